// Tests the schema diff check itself: plants changes into copies of schema.graphql and asserts
// that schema-diff.mjs fails on each breaking one that CHANGELOG.md does not record (or that
// removes what was never deprecated), and passes identical schemas, additions and breaking
// changes listed under Breaking. Usage: node schema-diff-test.mjs [path/to/schema.graphql]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kind, parse, print } from 'graphql';

const here = dirname(fileURLToPath(import.meta.url));
const schemaPath = process.argv[2] ?? resolve(here, '../../schema.graphql');
const original = readFileSync(schemaPath, 'utf8');
const scratch = mkdtempSync(join(tmpdir(), 'schema-diff-test-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

// Edits of the SDL as a syntax tree: each takes the document and returns a changed copy.
let parsed;
try {
  parsed = parse(original, { noLocation: true });
} catch (error) {
  console.error(`schema diff self-test: cannot parse ${schemaPath}: ${error.message}`);
  process.exit(2);
}
const doc = () => parsed;
const clone = (value) => structuredClone(value);
function definition(document, typeName) {
  const found = document.definitions.find((d) => d.name?.value === typeName);
  if (!found) throw new Error(`${schemaPath} has no type ${typeName}: the test needs a new target`);
  return found;
}
function field(document, typeName, fieldName) {
  const found = definition(document, typeName).fields.find((f) => f.name.value === fieldName);
  if (!found)
    throw new Error(`${schemaPath} has no field ${typeName}.${fieldName}: the test needs a new target`);
  return found;
}
const sdlOf = (text) => parse(text, { noLocation: true }).definitions[0];
const deprecated = (reason) => ({
  kind: Kind.DIRECTIVE,
  name: { kind: Kind.NAME, value: 'deprecated' },
  arguments:
    reason === undefined
      ? []
      : [
          {
            kind: Kind.ARGUMENT,
            name: { kind: Kind.NAME, value: 'reason' },
            value: { kind: Kind.STRING, value: reason },
          },
        ],
});
function edit(change) {
  const document = clone(doc());
  change(document);
  return print(document);
}
const nullable = (typeName, fieldName) => (d) => {
  const target = field(d, typeName, fieldName);
  if (target.type.kind !== Kind.NON_NULL_TYPE)
    throw new Error(`${typeName}.${fieldName} is already nullable`);
  target.type = target.type.type;
};
const removeField = (typeName, fieldName) => (d) => {
  field(d, typeName, fieldName);
  const type = definition(d, typeName);
  type.fields = type.fields.filter((f) => f.name.value !== fieldName);
};
const deprecate = (typeName, fieldName, reason) => (d) => {
  const target = field(d, typeName, fieldName);
  target.directives = [...(target.directives ?? []), deprecated(reason)];
};
const addArg = (typeName, fieldName, sdl) => (d) => {
  const target = field(d, typeName, fieldName);
  target.arguments = [...target.arguments, sdlOf(`type T { f(${sdl}): Int }`).fields[0].arguments[0]];
};
const removeEnumValue = (typeName, valueName) => (d) => {
  const type = definition(d, typeName);
  if (!type.values.some((v) => v.name.value === valueName))
    throw new Error(`${typeName} has no ${valueName}`);
  type.values = type.values.filter((v) => v.name.value !== valueName);
};
const addEnumValue = (typeName, valueName) => (d) => {
  definition(d, typeName).values.push({
    kind: Kind.ENUM_VALUE_DEFINITION,
    name: { kind: Kind.NAME, value: valueName },
  });
};
const addProbe = (d) => {
  d.definitions.push(sdlOf('"A planted type." type SchemaDiffProbe { "A planted field." value: String }'));
  definition(d, 'Query').fields.push(
    sdlOf('type Query { "A planted field." schemaDiffProbe: SchemaDiffProbe }').fields[0],
  );
};
const all =
  (...changes) =>
  (d) =>
    changes.forEach((change) => change(d));

// Changelogs: an empty Unreleased section, or one whose given subsection lists `text`.
const changelog = (sections) => `# Changelog\n\nWhat changed.\n\n${sections}\n`;
const empty = changelog('## Unreleased\n\n### Added\n\n- Nothing yet.\n');
const listing = (text, subsection = 'Breaking') =>
  changelog(`## Unreleased\n\n### Added\n\n- Something.\n\n### ${subsection}\n\n- ${text}\n`);

const same = original;
const importanceNullable = edit(nullable('RoleSkillEdge', 'importance'));
const levelRemoved = edit(removeField('RoleSkillEdge', 'level'));
const levelDeprecated = edit(deprecate('RoleSkillEdge', 'level', 'Use `node { level }` instead.'));
const withProbe = edit(addProbe);

const cases = [
  ['identical schemas pass', same, same, empty, 0, 'breaking changes: none'],
  [
    'additions pass (a type, an optional field, an optional argument, an enum value)',
    same,
    edit(all(addProbe, addArg('Query', 'role', 'probe: Int'), addEnumValue('Importance', 'PLANTED'))),
    empty,
    0,
    'added: 2: SchemaDiffProbe, Query.schemaDiffProbe',
  ],
  ['a field made nullable fails', same, importanceNullable, empty, 1, 'FAIL  RoleSkillEdge.importance'],
  [
    'a field made nullable passes when Breaking names it',
    same,
    importanceNullable,
    listing('`RoleSkillEdge.importance` is nullable (`Importance`, was `Importance!`).'),
    0,
    'ok    RoleSkillEdge.importance',
  ],
  [
    'a field made nullable fails when only another subsection names it',
    same,
    importanceNullable,
    listing('`RoleSkillEdge.importance` is nullable.', 'Changed'),
    1,
    'FAIL  RoleSkillEdge.importance',
  ],
  [
    'a field made nullable fails when Breaking names only its type',
    same,
    importanceNullable,
    listing('`RoleSkillEdge` changed.'),
    1,
    'FAIL  RoleSkillEdge.importance',
  ],
  [
    'a field made nullable fails when Breaking names a longer field',
    same,
    importanceNullable,
    listing('`RoleSkillEdge.importanceLevel` and `Other.RoleSkillEdge.importance` changed.'),
    1,
    'FAIL  RoleSkillEdge.importance',
  ],
  [
    'a field made nullable passes when the newest release lists it',
    same,
    importanceNullable,
    changelog(
      '## Unreleased\n\n## 2.0.0\n\n### Breaking\n\n- `RoleSkillEdge.importance` is nullable.\n\n## 1.0.0\n',
    ),
    0,
    'ok    RoleSkillEdge.importance',
  ],
  [
    'a field made nullable fails when only an older release lists it',
    same,
    importanceNullable,
    changelog(
      '## Unreleased\n\n## 2.0.0\n\n### Added\n\n- Something.\n\n## 1.0.0\n\n### Breaking\n\n- `RoleSkillEdge.importance` is nullable.\n',
    ),
    1,
    'FAIL  RoleSkillEdge.importance',
  ],
  ['a field removed fails', same, levelRemoved, empty, 1, 'FAIL  RoleSkillEdge.level'],
  [
    'a field removed without deprecation fails even when Breaking names it',
    same,
    levelRemoved,
    listing('`RoleSkillEdge.level` is removed.'),
    1,
    'was not @deprecated',
  ],
  [
    'a deprecated field removed fails when Breaking does not name it',
    levelDeprecated,
    levelRemoved,
    empty,
    1,
    'is not named',
  ],
  [
    'a deprecated field removed passes when Breaking names it',
    levelDeprecated,
    levelRemoved,
    listing('`RoleSkillEdge.level` is removed: ask `node { level }`.'),
    0,
    'ok    RoleSkillEdge.level',
  ],
  [
    'deprecating a field with a reason passes',
    same,
    levelDeprecated,
    empty,
    0,
    'newly deprecated: RoleSkillEdge.level',
  ],
  [
    'deprecating a field without a reason fails',
    same,
    edit(deprecate('RoleSkillEdge', 'level')),
    empty,
    1,
    '@deprecated without a reason: 1\n  FAIL  RoleSkillEdge.level',
  ],
  [
    'a required argument added fails',
    same,
    edit(addArg('Query', 'role', 'probe: Int!')),
    empty,
    1,
    'FAIL  Query.role(probe:)',
  ],
  [
    'a required argument added passes when Breaking names it',
    same,
    edit(addArg('Query', 'role', 'probe: Int!')),
    listing('`Query.role(probe: Int!)` must be given.'),
    0,
    'ok    Query.role(probe:)',
  ],
  [
    'an enum value removed without deprecation fails even when Breaking names it',
    same,
    edit(removeEnumValue('Importance', 'OPTIONAL')),
    listing('`Importance.OPTIONAL` is gone.'),
    1,
    'FAIL  Importance.OPTIONAL',
  ],
  [
    'a type removed with its deprecated field passes when Breaking names both',
    edit(all(addProbe, deprecate('Query', 'schemaDiffProbe', 'Planted.'))),
    same,
    listing('`SchemaDiffProbe` and `Query.schemaDiffProbe` are removed.'),
    0,
    'ok    SchemaDiffProbe',
  ],
  [
    'a type removed fails when Breaking names only its field',
    edit(all(addProbe, deprecate('Query', 'schemaDiffProbe', 'Planted.'))),
    same,
    listing('`Query.schemaDiffProbe` is removed.'),
    1,
    'FAIL  SchemaDiffProbe',
  ],
  [
    'a schema that does not build is refused',
    same,
    `${original}\ntype Broken { field: Missing }\n`,
    empty,
    2,
    'cannot build',
  ],
];

let failed = 0;
cases.forEach(([title, baseSdl, newSdl, changelogText, expectedStatus, expectedText], index) => {
  const files = ['base.graphql', 'new.graphql', 'CHANGELOG.md'].map((file) =>
    join(scratch, `${index}-${file}`),
  );
  [baseSdl, newSdl, changelogText].forEach((text, i) => writeFileSync(files[i], text));
  const run = spawnSync(process.execPath, [join(here, 'schema-diff.mjs'), ...files], { encoding: 'utf8' });
  const output = `${run.stdout}${run.stderr}`;
  const good = run.status === expectedStatus && output.includes(expectedText);
  console.log(`${good ? 'ok  ' : 'FAIL'}  ${title} (exit ${run.status})`);
  if (!good) {
    failed += 1;
    console.log(
      `      expected exit ${expectedStatus} and output containing ${JSON.stringify(expectedText)}; got:`,
    );
    console.log(output.replace(/^/gm, '      | '));
  }
});
console.log(
  failed
    ? `schema diff self-test: ${failed} of ${cases.length} cases FAILED`
    : `schema diff self-test: all ${cases.length} cases pass`,
);
process.exit(failed ? 1 : 0);
