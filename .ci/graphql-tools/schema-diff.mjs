// Compares two versions of the schema the way a client sees them and fails on a change that
// could break one unless CHANGELOG.md records it. graphql-js's findBreakingChanges and
// findDangerousChanges find the changes; this script names each by its schema coordinate and
// applies the project's compatibility rules:
//
// - A breaking change passes only when a `### Breaking` subsection of CHANGELOG.md's
//   `## Unreleased` section, or of the newest release's section (the first `##` section after
//   it), names its coordinate: `Type`, `Type.field`, `Enum.VALUE`, `Type.field(arg:)`,
//   `@directive` or `@directive(arg:)`, as the GraphQL schema coordinates specification writes
//   them. The coordinate must stand as a whole word (backticks are fine): `Role.skills` does not
//   name `Role`, and `Role.skill` does not name `Role.skills`. Each change needs its own
//   coordinate; the one of a type removed covers its fields, and that of a union or of a type
//   losing an interface is the union's or the type's name.
// - Removing something that can be deprecated (an output field, an enum value, an optional
//   argument or input field) also needs it to be `@deprecated` in the base schema: deprecate it
//   with a reason first, keep it for a release, then remove it and list it under Breaking.
//   Required arguments and input fields cannot be deprecated, so their removal needs the
//   Breaking entry only.
// - Every `@deprecated` in the new schema gives a reason (`@deprecated(reason: "...")`).
//
// Dangerous changes (an enum value or union member added, an optional argument added, a
// default changed) and additions are reported and pass.
//
// Usage: node schema-diff.mjs [--base-name NAME] [--new-name NAME] BASE.graphql NEW.graphql CHANGELOG.md
// Exits 0 when the change is compatible or recorded, 1 when it is not, 2 on unusable input.
import { readFileSync } from 'node:fs';
import {
  BreakingChangeType,
  DangerousChangeType,
  buildSchema,
  findBreakingChanges,
  findDangerousChanges,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isRequiredArgument,
  isRequiredInputField,
} from 'graphql';

const args = process.argv.slice(2);
const names = {};
const paths = [];
while (args.length > 0) {
  const arg = args.shift();
  if (arg === '--base-name') names.base = args.shift();
  else if (arg === '--new-name') names.new = args.shift();
  else paths.push(arg);
}
if (paths.length !== 3) {
  console.error(
    'usage: node schema-diff.mjs [--base-name NAME] [--new-name NAME] BASE.graphql NEW.graphql CHANGELOG.md',
  );
  process.exit(2);
}
const [basePath, newPath, changelogPath] = paths;
const baseName = names.base ?? basePath;
const newName = names.new ?? newPath;

function load(path, name) {
  try {
    return buildSchema(readFileSync(path, 'utf8'));
  } catch (error) {
    console.error(`schema diff: cannot build the schema of ${name}: ${error.message}`);
    process.exit(2);
  }
}
const base = load(basePath, baseName);
const next = load(newPath, newName);
let changelog;
try {
  changelog = readFileSync(changelogPath, 'utf8');
} catch (error) {
  console.error(`schema diff: cannot read ${changelogPath}: ${error.message}`);
  process.exit(2);
}

// The coordinate each kind of change is about, read from graphql-js's description of it (the
// description is the only place the names are given). A description this table does not read
// (a graphql-js that words it differently) leaves the change without a coordinate, and such a
// change cannot be recorded: the check fails and says so, rather than pass it unseen.
const name = '([_A-Za-z][_0-9A-Za-z]*)';
const readers = {
  [BreakingChangeType.TYPE_REMOVED]: [
    [new RegExp(`^Standard scalar ${name} was removed`), (t) => t],
    [new RegExp(`^${name} was removed\\.$`), (t) => t],
  ],
  [BreakingChangeType.TYPE_CHANGED_KIND]: [[new RegExp(`^${name} changed from `), (t) => t]],
  [BreakingChangeType.TYPE_REMOVED_FROM_UNION]: [
    [new RegExp(`^${name} was removed from union type ${name}\\.$`), (_, u) => u],
  ],
  [BreakingChangeType.VALUE_REMOVED_FROM_ENUM]: [
    [new RegExp(`^${name} was removed from enum type ${name}\\.$`), (v, e) => `${e}.${v}`],
  ],
  [BreakingChangeType.REQUIRED_INPUT_FIELD_ADDED]: [
    [new RegExp(`^A required field ${name} on input type ${name} was added\\.$`), (f, t) => `${t}.${f}`],
  ],
  [BreakingChangeType.IMPLEMENTED_INTERFACE_REMOVED]: [
    [new RegExp(`^${name} no longer implements interface ${name}\\.$`), (t) => t],
  ],
  [BreakingChangeType.FIELD_REMOVED]: [
    [new RegExp(`^${name}\\.${name} was removed\\.$`), (t, f) => `${t}.${f}`],
  ],
  [BreakingChangeType.FIELD_CHANGED_KIND]: [
    [new RegExp(`^${name}\\.${name} changed type from `), (t, f) => `${t}.${f}`],
  ],
  [BreakingChangeType.REQUIRED_ARG_ADDED]: [
    [
      new RegExp(`^A required arg ${name} on ${name}\\.${name} was added\\.$`),
      (a, t, f) => `${t}.${f}(${a}:)`,
    ],
  ],
  [BreakingChangeType.ARG_REMOVED]: [
    [new RegExp(`^${name}\\.${name} arg ${name} was removed\\.$`), (t, f, a) => `${t}.${f}(${a}:)`],
  ],
  [BreakingChangeType.ARG_CHANGED_KIND]: [
    [new RegExp(`^${name}\\.${name} arg ${name} has changed type from `), (t, f, a) => `${t}.${f}(${a}:)`],
  ],
  [BreakingChangeType.DIRECTIVE_REMOVED]: [[new RegExp(`^${name} was removed\\.$`), (d) => `@${d}`]],
  [BreakingChangeType.DIRECTIVE_ARG_REMOVED]: [
    [new RegExp(`^${name} was removed from ${name}\\.$`), (a, d) => `@${d}(${a}:)`],
  ],
  [BreakingChangeType.REQUIRED_DIRECTIVE_ARG_ADDED]: [
    [new RegExp(`^A required arg ${name} on directive ${name} was added\\.$`), (a, d) => `@${d}(${a}:)`],
  ],
  [BreakingChangeType.DIRECTIVE_REPEATABLE_REMOVED]: [
    [new RegExp(`^Repeatable flag was removed from ${name}\\.$`), (d) => `@${d}`],
  ],
  [BreakingChangeType.DIRECTIVE_LOCATION_REMOVED]: [
    [new RegExp(`^${name} was removed from ${name}\\.$`), (_, d) => `@${d}`],
  ],
  [DangerousChangeType.VALUE_ADDED_TO_ENUM]: [
    [new RegExp(`^${name} was added to enum type ${name}\\.$`), (v, e) => `${e}.${v}`],
  ],
  [DangerousChangeType.TYPE_ADDED_TO_UNION]: [
    [new RegExp(`^${name} was added to union type ${name}\\.$`), (_, u) => u],
  ],
  [DangerousChangeType.OPTIONAL_INPUT_FIELD_ADDED]: [
    [new RegExp(`^An optional field ${name} on input type ${name} was added\\.$`), (f, t) => `${t}.${f}`],
  ],
  [DangerousChangeType.OPTIONAL_ARG_ADDED]: [
    [
      new RegExp(`^An optional arg ${name} on ${name}\\.${name} was added\\.$`),
      (a, t, f) => `${t}.${f}(${a}:)`,
    ],
  ],
  [DangerousChangeType.IMPLEMENTED_INTERFACE_ADDED]: [
    [new RegExp(`^${name} added to interfaces implemented by ${name}\\.$`), (_, t) => t],
  ],
  [DangerousChangeType.ARG_DEFAULT_VALUE_CHANGE]: [
    [
      new RegExp(`^${name}\\.${name} arg ${name} (?:defaultValue was removed|has changed defaultValue)`),
      (t, f, a) => `${t}.${f}(${a}:)`,
    ],
  ],
};
function coordinateOf(change) {
  for (const [pattern, build] of readers[change.type] ?? []) {
    const match = pattern.exec(change.description);
    if (match) return build(...match.slice(1));
  }
  return null;
}

// The text of the `### Breaking` subsections of `## Unreleased` and of the newest release.
function breakingText(markdown) {
  const sections = [];
  let section = null;
  let subsection = null;
  for (const line of markdown.split('\n')) {
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading && heading[1].length <= 2) {
      section = heading[1].length === 2 ? { title: heading[2], breaking: [] } : null;
      if (section) sections.push(section);
      subsection = null;
    } else if (heading && heading[1].length === 3) {
      subsection = /^breaking\b/i.test(heading[2]) ? heading[2] : null;
    } else if (section && subsection) {
      section.breaking.push(line);
    }
  }
  const unreleased = sections.findIndex((s) => /^unreleased\b/i.test(s.title));
  const release = sections.findIndex((s, index) => index > unreleased && !/^unreleased\b/i.test(s.title));
  const read = [unreleased, release].filter((index) => index >= 0).map((index) => sections[index]);
  return { titles: read.map((s) => s.title), text: read.flatMap((s) => s.breaking).join('\n') };
}

// Whether `text` names `coordinate` as a whole word: not inside a longer name before it, and not
// continued by a name, a `.member` or an `(arg:)` after it. An argument's coordinate may carry a
// value or type after its colon: `Query.roles(first: Int)` names `Query.roles(first:)`.
function namesCoordinate(text, coordinate) {
  const escape = (part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = coordinate.endsWith(':)')
    ? `${escape(coordinate.slice(0, -2))}\\s*:[^)]*\\)`
    : `${escape(coordinate)}(?![_0-9A-Za-z]|[.(][_A-Za-z])`;
  return new RegExp(`(?<![_0-9A-Za-z.@])${pattern}`).test(text);
}

// What the base schema says of the element a removal is about: whether it could be deprecated
// and whether it was.
function removedElement(change, coordinate) {
  const field = /^([^.(]+)\.([^.(]+)(?:\(([^:]+):\))?$/.exec(coordinate);
  if (!field) return null;
  const [, typeName, member, argName] = field;
  const type = base.getType(typeName);
  if (!type) return null;
  if (change.type === BreakingChangeType.VALUE_REMOVED_FROM_ENUM && isEnumType(type)) {
    return { deprecatable: true, element: type.getValue(member) };
  }
  if (change.type === BreakingChangeType.FIELD_REMOVED) {
    const element =
      (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) && type.getFields()[member];
    if (!element) return null;
    return { deprecatable: !(isInputObjectType(type) && isRequiredInputField(element)), element };
  }
  if (change.type === BreakingChangeType.ARG_REMOVED && argName) {
    const element =
      (isObjectType(type) || isInterfaceType(type)) &&
      type.getFields()[member]?.args.find((a) => a.name === argName);
    if (!element) return null;
    return { deprecatable: !isRequiredArgument(element), element };
  }
  return null;
}

// The reason an element's `@deprecated` gives in the SDL: null when not deprecated, '' when
// the directive gives none (graphql-js would fill in "No longer supported").
function deprecation(element) {
  const directive = element?.astNode?.directives?.find((d) => d.name.value === 'deprecated');
  if (!directive) return null;
  const reason = directive.arguments?.find((a) => a.name.value === 'reason');
  return reason && reason.value.kind === 'StringValue' ? reason.value.value.trim() : '';
}

function* elements(schema) {
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isEnumType(type)) for (const value of type.getValues()) yield [`${type.name}.${value.name}`, value];
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        yield [`${type.name}.${field.name}`, field];
        for (const arg of field.args ?? []) yield [`${type.name}.${field.name}(${arg.name}:)`, arg];
      }
    }
  }
}

const recorded = breakingText(changelog);
const where = recorded.titles.length
  ? `"### Breaking" under ${recorded.titles.map((t) => `"## ${t}"`).join(' or ')} of ${changelogPath}`
  : `"### Breaking" of ${changelogPath} (it has no "## Unreleased" or release section)`;

let failures = 0;
const breaking = [];
const breakingCoordinates = [];
for (const change of findBreakingChanges(base, next)) {
  const coordinate = coordinateOf(change);
  breakingCoordinates.push(coordinate);
  const problems = [];
  if (!coordinate) {
    problems.push('cannot tell which schema coordinate it changes, so it cannot be recorded');
  } else {
    if (!namesCoordinate(recorded.text, coordinate))
      problems.push(`\`${coordinate}\` is not named in ${where}`);
    const removed = removedElement(change, coordinate);
    if (removed?.deprecatable && deprecation(removed.element) === null) {
      problems.push(
        `it was not @deprecated in ${baseName}: deprecate it with a reason and keep it for a release first`,
      );
    }
  }
  breaking.push(
    `  ${problems.length ? 'FAIL' : 'ok  '}  ${coordinate ?? '(unknown)'}  ${change.type}: ${change.description}`,
  );
  for (const problem of problems) breaking.push(`          ${problem}`);
  if (problems.length) failures += 1;
  else breaking.push(`          recorded in ${where}`);
}

const unexplained = [];
for (const [coordinate, element] of elements(next)) {
  if (deprecation(element) === '') {
    unexplained.push(`  FAIL  ${coordinate}: say why and what to use instead, @deprecated(reason: "...")`);
    failures += 1;
  }
}

const dangerous = findDangerousChanges(base, next).map((change) => [coordinateOf(change), change]);

// Additions, for the record: the types and fields the base schema lacks (those not already
// listed as breaking or dangerous), and what is newly deprecated.
const listed = new Set([...breakingCoordinates, ...dangerous.map(([coordinate]) => coordinate)]);
const baseElements = new Map(elements(base));
const added = [];
const deprecated = [];
for (const type of Object.values(next.getTypeMap())) {
  if (!type.name.startsWith('__') && !base.getType(type.name)) added.push(type.name);
}
for (const [coordinate, element] of elements(next)) {
  const typeName = coordinate.split('.')[0];
  const sameKind = base.getType(typeName)?.constructor === next.getType(typeName).constructor;
  const fresh = sameKind && !baseElements.has(coordinate);
  if (fresh && !coordinate.includes('(') && !listed.has(coordinate)) added.push(coordinate);
  const reason = deprecation(element);
  if (reason && deprecation(baseElements.get(coordinate)) === null)
    deprecated.push(`${coordinate} (${reason})`);
}

console.log(`schema diff: ${baseName} -> ${newName}`);
const breakingCount = breakingCoordinates.length;
console.log(breakingCount ? `breaking changes: ${breakingCount}` : 'breaking changes: none');
for (const line of breaking) console.log(line);
if (unexplained.length) {
  console.log(`@deprecated without a reason: ${unexplained.length}`);
  for (const line of unexplained) console.log(line);
}
if (dangerous.length) {
  console.log(
    `dangerous changes (allowed; clients that switch over every value or rely on a default should look): ${dangerous.length}`,
  );
  for (const [coordinate, change] of dangerous) {
    console.log(`  warn  ${coordinate ?? '(unknown)'}  ${change.type}: ${change.description}`);
  }
}
if (added.length) {
  const shown = added.slice(0, 40).join(', ') + (added.length > 40 ? `, and ${added.length - 40} more` : '');
  console.log(`added: ${added.length}: ${shown}`);
}
if (deprecated.length) console.log(`newly deprecated: ${deprecated.join('; ')}`);
if (failures) {
  console.log(
    `schema diff: FAILED: ${failures} of the above break the compatibility rules (README.md, "Compatibility")`,
  );
  process.exit(1);
}
console.log('schema diff: ok');
