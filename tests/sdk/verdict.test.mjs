// The TypeScript verdict runtime (codegen/src/sdk/typescript/runtime/verdict.ts), compiled with
// the strict flags, gives the reference answers of tests/sdk/vectors/verdicts.json (written by
// the Rust reference, codegen/src/verdict/): every signed-verdict case and every header parse.
// Its own signatures have the reference's header and payload byte for byte and verify.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { compile, root } from './harness.mjs';

const vectors = JSON.parse(fs.readFileSync(path.join(root, 'tests/sdk/vectors/verdicts.json'), 'utf8'));
const source = path.join(root, 'codegen/src/sdk/typescript/runtime/verdict.ts');
const out = compile([source]);
const runtime = await import(pathToFileURL(path.join(out, 'verdict.js')).href);
const { parseVerdict, verifyVerdict, signVerdict, VerdictError, SIGNATURE_HEADER } = runtime;

const keys = vectors.verification_keys.map((jwk) => ({ kid: jwk.kid, jwk }));

function binding(request) {
  const b = { method: request.method, path: request.path, traceId: request.trace_id };
  if (request.body !== undefined) b.body = new TextEncoder().encode(request.body);
  return b;
}

async function outcome(c) {
  try {
    parseVerdict(c.verdict);
    await verifyVerdict(c.verdict, c.signature, binding(c.request), keys);
    return 'valid';
  } catch (e) {
    assert.ok(e instanceof VerdictError, `${c.name}: ${e}`);
    return e.kind;
  }
}

test('the signature header is the one the vectors name', () => {
  assert.equal(SIGNATURE_HEADER, vectors.signature_header);
});

for (const c of vectors.cases) {
  test(`signed verdict vector ${c.name}: ${c.expected}`, async () => {
    assert.equal(await outcome(c), c.expected, c.description);
  });
}

function snake(v) {
  const out = { allow: v.allow, decider: v.decider, rule_id: v.ruleId, reason: v.reason };
  if (v.policy !== undefined) out.policy_version = v.policy;
  if (v.confidence !== undefined) out.confidence = v.confidence;
  if (v.canary !== undefined) out.canary = v.canary;
  return out;
}

test('every parse vector reads as the reference reads it', () => {
  for (const c of vectors.parse) {
    let got;
    try {
      got = snake(parseVerdict(c.header));
    } catch (e) {
      assert.ok(e instanceof VerdictError && e.kind === 'malformed', `${c.header}: ${e}`);
      got = 'malformed';
    }
    assert.deepEqual(got, c.expected, c.header);
  }
});

test('a missing header is `missing`', () => {
  assert.throws(() => parseVerdict(null), (e) => e instanceof VerdictError && e.kind === 'missing');
});

test('signVerdict writes the reference header and payload and its signature verifies', async () => {
  const jwk = vectors.signing_keys.find((k) => k.kid === 'k1');
  const privateKey = await crypto.subtle.importKey('jwk', jwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
  ]);
  for (const name of ['valid-get', 'valid-post', 'valid-deny']) {
    const c = vectors.cases.find((v) => v.name === name);
    const signed = await signVerdict(c.verdict, binding(c.request), { kid: 'k1', privateKey });
    const [h, p] = signed.split('.');
    const [rh, rp] = c.signature.split('.');
    assert.equal(h, rh, `${name}: protected header`);
    assert.equal(p, rp, `${name}: payload`);
    await verifyVerdict(c.verdict, signed, binding(c.request), keys);
    const other = { ...binding(c.request), traceId: '0'.repeat(32) };
    await assert.rejects(verifyVerdict(c.verdict, signed, other, keys), (e) => e.kind === 'wrong-request');
  }
});

test('a key that is not an EC P-256 public key is refused, not trusted', async () => {
  const c = vectors.cases.find((v) => v.name === 'valid-get');
  const bad = [{ kid: 'k1', jwk: { kty: 'oct', k: 'AAAA' } }];
  await assert.rejects(verifyVerdict(c.verdict, c.signature, binding(c.request), bad), (e) => e instanceof VerdictError);
});

test('the server-side helpers bind a fetch Request and set both headers', async () => {
  const jwk = vectors.signing_keys.find((k) => k.kid === 'k1');
  const privateKey = await crypto.subtle.importKey('jwk', jwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
  const c = vectors.cases.find((v) => v.name === 'valid-post');
  const request = new Request(`https://api.example.com${c.request.path}`, {
    method: c.request.method,
    headers: { traceparent: `00-${c.request.trace_id}-00f067aa0ba902b7-01` },
    body: c.request.body,
  });
  const bound = await runtime.requestBinding(request);
  assert.deepEqual(bound, binding(c.request));
  const headers = await runtime.signedVerdictHeaders(c.verdict, bound, { kid: 'k1', privateKey });
  assert.equal(headers['Charter-Verdict'], c.verdict);
  await verifyVerdict(c.verdict, headers[SIGNATURE_HEADER], binding(c.request), keys);
  assert.equal(await runtime.requestBinding(new Request('https://api.example.com/x')), undefined);
  assert.equal(runtime.traceIdOf('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'), '4bf92f3577b34da6a3ce929d0e0e4736');
  assert.equal(runtime.traceIdOf('garbage'), undefined);
});
