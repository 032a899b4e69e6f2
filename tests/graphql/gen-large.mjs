// Writes a large, valid GraphQL schema for the import benchmark (docs/benchmarks.md):
// `node tests/graphql/gen-large.mjs OUT.graphql [TYPES]` (default 12,000 object types and as
// many inputs, about 5 MB). Deterministic: every type has the same shape, so the text depends
// only on TYPES.
import fs from 'node:fs';
import { buildSchema, validateSchema } from 'graphql';

const [out, count = '12000'] = process.argv.slice(2);
const n = Number(count);
const parts = ['"""Status of a record."""\nenum Status { ACTIVE ARCHIVED DELETED @deprecated(reason: "Use ARCHIVED.") }\n'];
const query = [];
const mutation = [];
for (let i = 0; i < n; i += 1) {
  parts.push(`"""Record number ${i}, with the fields a real API carries."""
type Record${i} {
  id: ID!
  name: String!
  description: String
  status: Status!
  tags: [String!]!
  score: Float
  count: Int
  owner: String @deprecated(reason: "Use steward.")
  steward: String
  next: Record${(i + 1) % n}
}

input Record${i}Input {
  name: String!
  description: String
  status: Status = ACTIVE
  tags: [String!]! = []
}
`);
  if (i % 10 === 0) {
    query.push(`  record${i}(id: ID!, limit: Int = 20, status: Status): Record${i}`);
    mutation.push(`  save${i}(id: ID!, input: Record${i}Input!): Record${i}!`);
  }
}
parts.push(`type Query {\n${query.join('\n')}\n}\n\ntype Mutation {\n${mutation.join('\n')}\n}\n`);
const text = parts.join('\n');
if (validateSchema(buildSchema(text)).length > 0) throw new Error('generated schema is invalid');
fs.writeFileSync(out, text);
console.log(`${out}: ${n} types, ${text.length} bytes`);
