// Reads a running server's schema the way codegen and schema-diff tools do: graphql-js's full
// introspection query with every option, a client schema built from the answer and validated,
// then compared with the committed SDL. Also checks that every type, field, argument and enum
// value has a description (they are the API's documentation in GraphiQL and in codegen output).
// Usage: node introspection.mjs http://host:port/graphql path/to/schema.graphql
import { readFileSync } from 'node:fs';
import {
  buildClientSchema,
  buildSchema,
  getIntrospectionQuery,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isSpecifiedScalarType,
  lexicographicSortSchema,
  printSchema,
  validateSchema,
} from 'graphql';

const [url, sdlPath] = process.argv.slice(2);
if (!url || !sdlPath) {
  console.error('usage: node introspection.mjs <graphql endpoint URL> <schema.graphql>');
  process.exit(2);
}

const query = getIntrospectionQuery({
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  schemaDescription: true,
  inputValueDeprecation: true,
  oneOf: true,
});
const response = await fetch(url, {
  method: 'POST',
  headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
  body: JSON.stringify({ query, operationName: 'IntrospectionQuery' }),
});
const result = await response.json();
if (response.status !== 200 || result.errors) {
  console.error(`introspection failed with ${response.status}:`, JSON.stringify(result.errors));
  process.exit(1);
}

const failures = [];
const served = buildClientSchema(result.data);
for (const error of validateSchema(served)) failures.push(`served schema: ${error.message}`);
const committed = buildSchema(readFileSync(sdlPath, 'utf8'));
for (const error of validateSchema(committed)) failures.push(`${sdlPath}: ${error.message}`);

const print = (schema) => printSchema(lexicographicSortSchema(schema));
const servedLines = print(served).split('\n');
const committedLines = print(committed).split('\n');
const length = Math.max(servedLines.length, committedLines.length);
for (let line = 0; line < length; line += 1) {
  if (servedLines[line] !== committedLines[line]) {
    failures.push(
      `introspected schema differs from ${sdlPath} at line ${line + 1}:\n` +
        `  introspected: ${servedLines[line]}\n  committed:    ${committedLines[line]}`,
    );
    break;
  }
}

const undocumented = [];
let documented = 0;
const check = (what, description) => {
  if (description && description.trim()) documented += 1;
  else undocumented.push(what);
};
for (const type of Object.values(served.getTypeMap())) {
  if (type.name.startsWith('__') || isSpecifiedScalarType(type)) continue;
  check(type.name, type.description);
  if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
    for (const field of Object.values(type.getFields())) {
      check(`${type.name}.${field.name}`, field.description);
      for (const arg of field.args ?? []) check(`${type.name}.${field.name}(${arg.name})`, arg.description);
    }
  }
  if (isEnumType(type)) {
    for (const value of type.getValues()) check(`${type.name}.${value.name}`, value.description);
  }
}
if (undocumented.length) failures.push(`no description: ${undocumented.join(', ')}`);

const types = Object.keys(served.getTypeMap()).filter((name) => !name.startsWith('__')).length;
if (failures.length) {
  for (const failure of failures) console.error(failure);
  process.exit(1);
}
console.log(
  `graphql-js introspection: ${types} types, client schema valid, equal to ${sdlPath}, ` +
    `${documented} descriptions, none missing`,
);
