// The generated TypeScript SDK of examples/summit against Prism (`prism mock --errors`, request
// validation on) serving each emitted OpenAPI document: every operation is called through the
// SDK with valid data and Prism accepts the request (no validation error); invalid data is
// refused by the SDK before anything is sent. Skips loudly while `charter build --target
// sdk-typescript` is unknown.
//
// Prism serves a document's paths without its relative server URL (`/lineage`), so the client's
// `fetch` drops that base path on the way to Prism; it also records what was sent.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';

import { buildSdk, clients, importSdk, loudSkip, prism, refusal, sdkTargetExists } from './harness.mjs';
import { operations, params } from './sample.mjs';

const target = sdkTargetExists();
let sdk;
let out;
before(async () => {
  if (!target) return;
  out = buildSdk('examples/summit', 'sdk-typescript,openapi');
  sdk = await importSdk(path.join(out, 'sdk-typescript'));
});

const camel = (name) => name.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());

function services() {
  if (!target) return [];
  return ['Audit', 'Catalog', 'Lineage', 'PolicyDecision'];
}

for (const service of ['Audit', 'Catalog', 'Lineage', 'PolicyDecision']) {
  test(`every ${service} operation, called through the SDK with valid data, is accepted by Prism`, async (t) => {
    if (!services().includes(service)) {
      return loudSkip(t, 'charter build --target sdk-typescript is unknown to this charter binary');
    }
    const file = path.join(out, 'openapi', `${service}.json`);
    const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    const basePath = new URL(doc.servers?.[0]?.url ?? '/', 'http://x').pathname.replace(/\/$/, '');
    const url = await prism(file);
    const sent = [];
    const forward = async (input, init) => {
      const u = new URL(String(input));
      const request = { method: init?.method ?? 'GET', path: u.pathname + u.search, body: init?.body };
      const response = await fetch(`${url}${u.pathname.slice(basePath.length)}${u.search}`, init);
      request.status = response.status;
      request.problem = await refusal(response);
      sent.push(request);
      return response;
    };
    const Client = clients(sdk).get(`${service}Client`);
    assert.ok(Client, `the SDK exports ${service}Client`);
    const client = new Client({ baseUrl: 'http://sdk.invalid', fetch: forward, retry: { maxRetries: 0 }, warn: () => {} });
    const ops = operations(doc);
    assert.ok(ops.length > 0);
    for (const { method, op } of ops) {
      const name = camel(op.operationId);
      assert.equal(typeof client[name], 'function', `${service}Client.${name}`);
      const before = sent.length;
      try {
        await client[name](params(doc, op));
      } catch (e) {
        // A mock's response may fail the SDK's own checks (a static example is not a verdict
        // of this request); what matters here is that Prism took the request.
        if (e.name === 'ValidationError' && e.direction !== 'response' && sent.length === before) throw e;
      }
      assert.equal(sent.length, before + 1, `${op.operationId}: one request sent`);
      const request = sent.at(-1);
      assert.equal(request.method, method);
      assert.equal(
        request.problem,
        undefined,
        `${op.operationId}: Prism refused ${request.method} ${request.path}: ${request.problem}`,
      );
    }
  });
}

test('invalid data is refused by the SDK before anything is sent', async (t) => {
  if (!target) return loudSkip(t, 'charter build --target sdk-typescript is unknown to this charter binary');
  const doc = JSON.parse(fs.readFileSync(path.join(out, 'openapi', 'Lineage.json'), 'utf8'));
  let calls = 0;
  const client = new (clients(sdk).get('LineageClient'))({
    baseUrl: 'http://sdk.invalid',
    fetch: () => {
      calls += 1;
      throw new Error('nothing may be sent');
    },
    warn: () => {},
  });
  const ingest = operations(doc).find(({ op }) => op.operationId === 'ingest').op;
  const valid = params(doc, ingest);
  const { provenance, ...noProvenance } = valid.body;
  assert.ok(provenance);
  const invalid = [
    ['a depth above its maximum', () => client.trace({ entity_id: 'e', depth: 51 })],
    ['a missing path parameter', () => client.trace({})],
    ['an unknown enum value', () => client.ingest({ body: { ...valid.body, kind: 'teleport' } })],
    ['a field of the wrong type', () => client.ingest({ body: { ...valid.body, tags: 'x' } })],
    ['an unknown field of a closed record', () => client.ingest({ body: { ...valid.body, surprise: 1 } })],
    ['duplicates in a set', () => client.validate({ body: [{ ...valid.body, tags: ['a', 'a'] }] })],
    ['no provenance envelope', () => client.ingest({ body: noProvenance })],
  ];
  for (const [what, call] of invalid) {
    await assert.rejects(call(), (e) => ['ValidationError', 'ProvenanceError'].includes(e.name), what);
  }
  assert.equal(calls, 0, 'nothing was sent');
});

test('the Prism check sees what Prism refuses', async (t) => {
  if (!target) return loudSkip(t, 'charter build --target sdk-typescript is unknown to this charter binary');
  // The suite can fail: a body the SDK would never send is refused by Prism, and seen.
  const url = await prism(path.join(out, 'openapi', 'Lineage.json'));
  const response = await fetch(`${url}/v2/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"event_id": 1}',
  });
  assert.notEqual(await refusal(response), undefined, `status ${response.status}`);
});
