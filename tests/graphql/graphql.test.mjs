// The graphql target and `charter import graphql`, checked with graphql-js (the reference
// implementation): every emitted schema builds (`buildSchema`) and validates (`validateSchema`),
// summit's schemas hold the expected types and fields, and importing the stored public and
// hand-written schemas, then building them again, gives a semantically equal schema except for
// exactly the warned constructs. Run by tests/run (`node --test tests/graphql`); needs the
// `charter` binary (CHARTER_BIN, default target/debug/charter).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildSchema, validateSchema } from 'graphql';

import { compareSchemas } from './compare.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const charter = process.env.CHARTER_BIN ?? path.join(root, 'target/debug/charter');
const fixtures = path.join(root, 'tests/import/graphql');

function run(args) {
  const out = spawnSync(charter, args, { encoding: 'utf8', cwd: root });
  assert.equal(out.error, undefined, `${charter} runs`);
  return out;
}

// Every temporary folder a test makes is removed when the file's tests end, passed or failed.
const made = [];
after(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

function tmp() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'charter-graphql-'));
  made.push(dir);
  return dir;
}

function built(dir) {
  const folder = path.join(dir, 'graphql');
  return Object.fromEntries(
    fs.readdirSync(folder).sort().map((f) => [f, fs.readFileSync(path.join(folder, f), 'utf8')]),
  );
}

function valid(text, name) {
  const schema = buildSchema(text);
  assert.deepEqual(validateSchema(schema).map(String), [], `${name} validates`);
  return schema;
}

const args = (field) => Object.fromEntries(field.args.map((a) => [a.name, String(a.type)]));

test('summit schemas build, validate and hold the exposed operations', () => {
  const out = tmp();
  const r = run(['build', 'examples/summit', '--target', 'graphql', '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  const files = built(out);
  assert.deepEqual(Object.keys(files), ['summit.lineage.graphql', 'summit.platform.graphql']);
  const platform = valid(files['summit.platform.graphql'], 'summit.platform');
  const query = platform.getQueryType().getFields();
  assert.deepEqual(Object.keys(query), ['events', 'get_dataset', 'search']);
  assert.deepEqual(args(query.search), { q: 'String!', sensitivity: 'Sensitivity', limit: 'Int!' });
  assert.equal(query.search.args.find((a) => a.name === 'limit').defaultValue, 50);
  assert.equal(String(query.search.type), '[DatasetSummary!]!');
  const mutation = platform.getMutationType().getFields();
  assert.deepEqual(args(mutation.request_export), { dataset_id: 'String!', input: 'ExportRequestInput!' });
  const input = platform.getType('ExportRequestInput').getFields();
  assert.equal(input.format.defaultValue, 'parquet');
  assert.equal(String(input.purpose.type), 'String');
  assert.deepEqual(
    platform.getType('Sensitivity').getValues().map((v) => v.name),
    ['public', 'internal', 'confidential', 'restricted'],
  );
  assert.equal(platform.getType('DateTime').specifiedByURL, 'https://scalars.graphql.org/andimarek/date-time');
  assert.equal(platform.getType('Problem'), undefined, 'error payloads are REST-only');
  const lineage = valid(files['summit.lineage.graphql'], 'summit.lineage');
  const lq = lineage.getQueryType().getFields();
  assert.deepEqual(args(lq.trace), { entity_id: 'String!', depth: 'Int!' });
  assert.match(lq.trace_v1.deprecationReason, /Use `trace` instead\. Sunset on 2027-06-30\.$/);
  assert.equal(lq.trace.deprecationReason, undefined);
  assert.equal(lineage.getMutationType(), undefined);
});

for (const [fixture, pkg, minimum] of [
  ['swapi.graphql', 'swapi', { types: 50, fields: 240 }],
  ['library.graphql', 'library', { types: 7, fields: 25 }],
]) {
  test(`round trip: ${fixture} imports, checks, builds and compares`, () => {
    const dir = tmp();
    const ws = path.join(dir, 'ws');
    const source = path.join(fixtures, fixture);
    const imp = run(['import', 'graphql', source, '--out', ws, '--package', pkg, '--format', 'json']);
    assert.equal(imp.status, 0, imp.stderr);
    const report = JSON.parse(imp.stdout);
    const check = run(['check', ws, '--deny-warnings']);
    assert.equal(check.status, 0, check.stderr);
    assert.equal(run(['fmt', '--check', ws]).status, 0, 'imported source is formatted');
    const out = path.join(dir, 'out');
    const build = run(['build', ws, '--target', 'graphql', '--out', out]);
    assert.equal(build.status, 0, build.stderr);
    const files = built(out);
    assert.deepEqual(Object.keys(files), [`${pkg}.graphql`]);
    const compared = compareSchemas(
      fs.readFileSync(source, 'utf8'),
      files[`${pkg}.graphql`],
      report.import.warnings,
    );
    assert.ok(compared.types >= minimum.types, JSON.stringify(compared));
    assert.ok(compared.fields >= minimum.fields, JSON.stringify(compared));
  });
}

test('summit schemas survive import and build (a fixed point up to warnings)', () => {
  const dir = tmp();
  const first = path.join(dir, 'first');
  assert.equal(run(['build', 'examples/summit', '--target', 'graphql', '--out', first]).status, 0);
  for (const [file, text] of Object.entries(built(first))) {
    const ws = path.join(dir, `ws-${file}`);
    const source = path.join(first, 'graphql', file);
    const imp = run(['import', 'graphql', source, '--out', ws, '--package', 'again', '--format', 'json']);
    assert.equal(imp.status, 0, imp.stderr);
    const out = path.join(dir, `out-${file}`);
    const build = run(['build', ws, '--target', 'graphql', '--out', out]);
    assert.equal(build.status, 0, build.stderr);
    const compared = compareSchemas(text, built(out)['again.graphql'], JSON.parse(imp.stdout).import.warnings);
    assert.ok(compared.fields >= 15 && compared.values >= 5, `${file}: ${JSON.stringify(compared)}`);
  }
});

test('the comparison notices a difference that no warning excuses', () => {
  const source = fs.readFileSync(path.join(fixtures, 'library.graphql'), 'utf8');
  const dir = tmp();
  const ws = path.join(dir, 'ws');
  const imp = run(['import', 'graphql', path.join(fixtures, 'library.graphql'), '--out', ws, '--format', 'json']);
  assert.equal(imp.status, 0, imp.stderr);
  const out = path.join(dir, 'out');
  assert.equal(run(['build', ws, '--target', 'graphql', '--out', out]).status, 0);
  const rebuilt = built(out)['library.graphql'];
  const warnings = JSON.parse(imp.stdout).import.warnings;
  // A changed type, a dropped warning, a changed deprecation: each must fail the comparison.
  assert.throws(() => compareSchemas(source, rebuilt.replace('pages: Int', 'pages: Float'), warnings));
  assert.throws(() => compareSchemas(source, rebuilt, warnings.filter((w) => w.construct !== 'union SearchResult')));
  assert.throws(() => compareSchemas(source, rebuilt.replace('"Use isbn."', '"Use the isbn."'), warnings));
});

test('bad documents: clear errors, non-zero exit, nothing written', () => {
  const dir = tmp();
  const cases = [
    ['truncated.graphql', 'type Book {\n  id: ID!\n  title: Str', 'E8001', /truncated\.graphql:3:/],
    ['empty.graphql', '  # only a comment\n', 'E8051', /empty\.graphql/],
    ['unknown.graphql', 'type Query {\n  book: Book\n}\n', 'E8052', /unknown\.graphql:2:9/],
    ['twice.graphql', 'type A { a: Int }\ntype A { b: Int }\n', 'E8054', /twice\.graphql:2:6/],
    ['deep.graphql', `type Query { a: ${'['.repeat(100)}Int${']'.repeat(100)} }\n`, 'E8005', /deep\.graphql:1:/],
  ];
  for (const [name, text, code, location] of cases) {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    const out = path.join(dir, `out-${name}`);
    const r = run(['import', 'graphql', file, '--out', out, '--format', 'json']);
    assert.equal(r.status, 1, `${name}: ${r.stderr}`);
    const report = JSON.parse(r.stdout);
    assert.equal(report.import.error.code, code, name);
    assert.match(report.import.error.location, location, name);
    assert.ok(report.import.error.help, `${name} has a hint`);
    assert.equal(fs.existsSync(out), false, `${name}: nothing written`);
  }
});

test('a non-empty --out is refused without --force, replaced with it', () => {
  const dir = tmp();
  const source = path.join(fixtures, 'library.graphql');
  fs.writeFileSync(path.join(dir, 'keep.txt'), 'mine');
  const refused = run(['import', 'graphql', source, '--out', dir]);
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /not empty/);
  assert.equal(fs.readFileSync(path.join(dir, 'keep.txt'), 'utf8'), 'mine');
  const forced = run(['import', 'graphql', source, '--out', dir, '--force']);
  assert.equal(forced.status, 0, forced.stderr);
  assert.ok(fs.existsSync(path.join(dir, 'charter.toml')));
  assert.ok(fs.existsSync(path.join(dir, 'src/library/library.charter')));
  assert.equal(fs.existsSync(path.join(dir, 'keep.txt')), false);
});
