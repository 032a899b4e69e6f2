// The generated TypeScript SDK of examples/summit against a small HTTP server of our own, for
// what a mock cannot do: the verdict header present, absent and garbled on guarded operations;
// signed verdicts (valid, unsigned, unknown key, tampered, replayed from another request, with
// the signing half of the runtime on the server side); provenance missing in a response;
// Deprecation/Sunset headers; Retry-After with the retries counted; a timeout; `traceparent`
// forwarded unchanged. Skips loudly while `charter build --target sdk-typescript` is unknown.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { buildSdk, clients, importSdk, loudSkip, root, sdkTargetExists } from './harness.mjs';
import { operations, params, success } from './sample.mjs';

const vectors = JSON.parse(fs.readFileSync(path.join(root, 'tests/sdk/vectors/verdicts.json'), 'utf8'));
const ALLOW =
  'allow=?1, decider="summit.policy.dataset_access", rule_id="read_within_clearance", ' +
  'reason="same-tenant read within clearance", policy_version="1.4.0", canary=()';
const DENY = 'allow=?0, decider="summit.policy.dataset_access", rule_id="default", reason="no", canary=()';
const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

const target = sdkTargetExists();
let sdk;
let docs;
let server;
let base;
let keys;
let signer;
let stranger;
/** What the server does next: `(request, body) => { status, headers, body, delayMs }`. */
let answer = () => ({ status: 500 });
/** Every request the server got in the current test. */
let seen = [];

before(async () => {
  if (!target) return;
  const out = buildSdk('examples/summit', 'sdk-typescript,openapi');
  sdk = await importSdk(path.join(out, 'sdk-typescript'));
  docs = Object.fromEntries(
    ['Lineage', 'Catalog', 'Audit'].map((s) => [s, JSON.parse(fs.readFileSync(path.join(out, 'openapi', `${s}.json`), 'utf8'))]),
  );
  keys = vectors.verification_keys.map((jwk) => ({ kid: jwk.kid, jwk }));
  const importPrivate = (kid) =>
    crypto.subtle.importKey('jwk', vectors.signing_keys.find((k) => k.kid === kid), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
  signer = { kid: 'k1', privateKey: await importPrivate('k1') };
  stranger = { kid: 'k2', privateKey: await importPrivate('k2') };
  server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const request = { method: req.method, url: req.url, headers: req.headers, body };
      seen.push(request);
      const reply = await answer(request);
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
        res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});

after(() => server?.close());

function guarded(t) {
  if (!target) {
    loudSkip(t, 'charter build --target sdk-typescript is unknown to this charter binary');
    return false;
  }
  seen = [];
  return true;
}

function client(name, options = {}) {
  const Client = clients(sdk).get(name);
  assert.ok(Client, `the SDK exports ${name}`);
  return new Client({ baseUrl: base, retry: { maxRetries: 0 }, warn: () => {}, ...options });
}

/** A valid success body of the operation `operationId` of `service`. */
function ok(service, operationId) {
  const found = operations(docs[service]).find(({ op }) => op.operationId === operationId);
  assert.ok(found, `${service} has ${operationId}`);
  return success(docs[service], found.op);
}

/** The binding of a request as the server received it: the path and query as sent. */
function binding(request) {
  const traceId = /^00-([0-9a-f]{32})-/.exec(request.headers.traceparent ?? '')?.[1] ?? '';
  const b = { method: request.method, path: request.url, traceId };
  if (request.body.length > 0) b.body = new Uint8Array(request.body);
  return b;
}

/** A success answer carrying `verdict`, signed (or not) by `key` for `signedFor`. */
async function answerWith(request, verdict, { key, signedFor, sentVerdict, service = 'Lineage', op = 'trace' } = {}) {
  const { status, body } = ok(service, op);
  const headers = {};
  if (verdict !== null) headers['Charter-Verdict'] = sentVerdict ?? verdict;
  if (key) headers[sdk.SIGNATURE_HEADER] = await sdk.signVerdict(verdict, signedFor ?? binding(request), key);
  return { status, headers, body };
}

const traceCall = (c, options) => c.trace({ entity_id: 'e-1', depth: 3 }, options);
const rejectsKind = (promise, kind) =>
  assert.rejects(promise, (e) => e instanceof sdk.VerdictError && e.kind === kind, `a VerdictError ${kind}`);

test('a guarded call exposes its verdict and hands it to onVerdict with the trace id', async (t) => {
  if (!guarded(t)) return;
  const events = [];
  answer = (r) => answerWith(r, ALLOW);
  const result = await traceCall(client('LineageClient', { onVerdict: (e) => events.push(e) }));
  assert.equal(result.status, 200);
  assert.equal(result.verdict.allow, true);
  assert.equal(result.verdict.ruleId, 'read_within_clearance');
  assert.equal(events.length, 1);
  assert.equal(events[0].decider, 'summit.policy.dataset_access');
  assert.equal(events[0].reason, 'same-tenant read within clearance');
  assert.equal(events[0].traceId, result.traceId);
  assert.match(seen[0].headers.traceparent, new RegExp(`^00-${result.traceId}-[0-9a-f]{16}-01$`));
});

test('a guarded response without a verdict fails closed', async (t) => {
  if (!guarded(t)) return;
  answer = (r) => answerWith(r, null);
  await rejectsKind(traceCall(client('LineageClient')), 'missing');
});

test('a guarded response with a garbled verdict fails closed', async (t) => {
  if (!guarded(t)) return;
  answer = (r) => answerWith(r, ALLOW, { sentVerdict: 'allow=yes, decider=' });
  await rejectsKind(traceCall(client('LineageClient')), 'malformed');
});

test('a denying verdict on a success status is refused', async (t) => {
  if (!guarded(t)) return;
  answer = (r) => answerWith(r, DENY);
  await assert.rejects(traceCall(client('LineageClient')), (e) => e.name === 'DeniedError');
});

test('an unguarded operation needs no verdict', async (t) => {
  if (!guarded(t)) return;
  answer = () => ok('Lineage', 'validate');
  const result = await client('LineageClient').validate({ body: [] });
  assert.equal(result.verdict, undefined);
});

test('a verdict signed for this request (path and query, trace, body) is accepted', async (t) => {
  if (!guarded(t)) return;
  answer = (r) => answerWith(r, ALLOW, { key: signer });
  const c = client('LineageClient', { verdictKeys: keys });
  const result = await traceCall(c);
  assert.equal(result.verdict.allow, true);
  assert.ok(seen[0].url.includes('?'), 'the call had a query, which the signature binds');
});

test('signed verdicts: unsigned, unknown key, tampered and replayed ones are refused', async (t) => {
  if (!guarded(t)) return;
  const c = client('LineageClient', { verdictKeys: keys });
  answer = (r) => answerWith(r, ALLOW);
  await rejectsKind(traceCall(c), 'unsigned');
  answer = (r) => answerWith(r, ALLOW, { key: stranger });
  await rejectsKind(traceCall(c), 'unknown-key');
  answer = (r) => answerWith(r, DENY, { key: signer, sentVerdict: ALLOW });
  await rejectsKind(traceCall(c), 'bad-signature');
  // A replay: the headers of one response sent back for another request.
  let first;
  answer = async (r) => {
    const reply = await answerWith(r, ALLOW, { key: signer });
    first ??= reply;
    return first;
  };
  await traceCall(c);
  await rejectsKind(traceCall(c), 'wrong-request');
  await rejectsKind(c.trace({ entity_id: 'e-2', depth: 3 }, { traceparent: TRACEPARENT }), 'wrong-request');
  answer = (r) => answerWith(r, ALLOW, { key: signer, signedFor: { ...binding(r), path: '/lineage/v2/entities/e-9/trace' } });
  await rejectsKind(traceCall(c), 'wrong-request');
});

test('a signed verdict binds the request body', async (t) => {
  if (!guarded(t)) return;
  const c = client('LineageClient', { verdictKeys: keys });
  const sent = ok('Lineage', 'ingest');
  const lineage = docs.Lineage;
  const op = operations(lineage).find(({ op }) => op.operationId === 'ingest').op;
  const call = params(lineage, op);
  answer = async (r) => ({ ...(await answerWith(r, ALLOW, { key: signer, op: 'ingest' })), status: sent.status });
  await c.ingest(call);
  answer = async (r) => ({
    ...(await answerWith(r, ALLOW, { key: signer, op: 'ingest', signedFor: { ...binding(r), body: new TextEncoder().encode('{}') } })),
    status: sent.status,
  });
  await rejectsKind(c.ingest(call), 'wrong-request');
});

test('a response missing its provenance envelope is refused', async (t) => {
  if (!guarded(t)) return;
  const lineage = docs.Lineage;
  const op = operations(lineage).find(({ op }) => op.operationId === 'ingest').op;
  answer = async (r) => {
    const reply = await answerWith(r, ALLOW, { op: 'ingest' });
    const { provenance, ...rest } = reply.body;
    assert.ok(provenance, 'the receipt carries provenance');
    return { ...reply, body: rest };
  };
  await assert.rejects(client('LineageClient').ingest(params(lineage, op)), (e) => e.name === 'ProvenanceError');
});

test('Deprecation and Sunset reach the hook; the deprecation warning is printed once', async (t) => {
  if (!guarded(t)) return;
  const events = [];
  const warnings = [];
  const c = client('LineageClient', { onDeprecation: (e) => events.push(e), warn: (m) => warnings.push(m) });
  answer = async (r) => ({
    ...(await answerWith(r, ALLOW, { op: 'trace_v1' })),
    headers: { 'Charter-Verdict': ALLOW, Deprecation: '@1772323200', Sunset: 'Wed, 30 Jun 2027 00:00:00 GMT' },
  });
  await c.traceV1({ entity_id: 'e-1' });
  await c.traceV1({ entity_id: 'e-1' });
  assert.equal(events.length, 2);
  assert.equal(events[0].deprecation, '@1772323200');
  assert.equal(events[0].sunset, 'Wed, 30 Jun 2027 00:00:00 GMT');
  assert.equal(warnings.length, 1, `warned once: ${warnings}`);
});

test('429/503 with Retry-After are retried for idempotent calls only, counted', async (t) => {
  if (!guarded(t)) return;
  let calls = 0;
  answer = async (r) => {
    calls += 1;
    if (calls <= 2) return { status: calls === 1 ? 503 : 429, headers: { 'Retry-After': '0' } };
    return answerWith(r, ALLOW);
  };
  const c = client('LineageClient', { retry: { maxRetries: 3, baseDelayMs: 1 } });
  const result = await traceCall(c);
  assert.equal(result.status, 200);
  assert.equal(seen.length, 3, 'two retries');
  // Retry-After beyond the retry budget: no retry.
  seen = [];
  answer = () => ({ status: 503, headers: { 'Retry-After': '5' } });
  await assert.rejects(
    traceCall(client('LineageClient', { retry: { maxRetries: 3, budgetMs: 1000 } })),
    (e) => e.status === 503,
  );
  assert.equal(seen.length, 1, 'a Retry-After longer than the budget is not waited for');
  // POST is not idempotent: never retried.
  seen = [];
  const lineage = docs.Lineage;
  const op = operations(lineage).find(({ op }) => op.operationId === 'ingest').op;
  answer = () => ({ status: 503, headers: { 'Retry-After': '0' } });
  await assert.rejects(
    client('LineageClient', { retry: { maxRetries: 3 } }).ingest(params(lineage, op)),
    (e) => e.status === 503,
  );
  assert.equal(seen.length, 1, 'a POST is sent once');
});

test('an attempt slower than timeoutMs fails with a TimeoutError', async (t) => {
  if (!guarded(t)) return;
  answer = async (r) => ({ ...(await answerWith(r, ALLOW)), delayMs: 1000 });
  await assert.rejects(traceCall(client('LineageClient', { timeoutMs: 100 })), (e) => e.name === 'TimeoutError');
});

test('a caller traceparent is forwarded unchanged', async (t) => {
  if (!guarded(t)) return;
  answer = (r) => answerWith(r, ALLOW);
  const result = await traceCall(client('LineageClient'), { traceparent: TRACEPARENT });
  assert.equal(seen[0].headers.traceparent, TRACEPARENT);
  assert.equal(result.traceId, TRACEPARENT.split('-')[1]);
});
