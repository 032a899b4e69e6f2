// The TypeScript driver of the agreement test (tests/sdk-agree/run.sh): calls each case's
// operation through the generated, compiled summit SDK against the replay server and prints
// one normalised JSON line per case (see run.sh for the fields).
//
// Usage: node driver.mjs RESPONSES_JSON BASE_URL SDK_ENTRY (the compiled package's entry file)

import { canonical, drive, setup } from './agree.mjs';

const { cases, base, sdk } = await setup();

/** The exported client class `name`, across the SDK's module namespaces. */
function clientClass(name) {
  for (const ns of Object.values(sdk)) {
    if (ns !== null && typeof ns === 'object' && typeof ns[name] === 'function') return ns[name];
  }
  throw new Error(`the SDK exports no ${name}`);
}

const EVENT = {
  provenance: { origin: 'etl', actor: 'svc', timestamp: '2026-01-01T00:00:00Z', confidence: 0.5, simulated: false },
  event_id: '1b4e28ba-2fa1-11d2-883f-0000f87a31d2',
  dataset: 'd-1',
  from: 'a',
  to: 'b',
  kind: 'copy',
  hash: 'AQID',
  tags: ['backfill'],
};

const verdictOf = (v) => ({ allow: v.allow, decider: v.decider, rule_id: v.ruleId });

async function run(c) {
  const Client = clientClass('LineageClient');
  const deprecations = [];
  const client = new Client({
    baseUrl: `${base}/typescript/${c.case}`,
    retry: { maxRetries: 2, baseDelayMs: 10, maxDelayMs: 50 },
    onDeprecation: (e) => deprecations.push(e),
    warn: () => deprecations.push({ warned: true }),
  });
  const line = { case: c.case };
  try {
    const result =
      c.op === 'trace'
        ? await client.trace({ entity_id: 'e-1', depth: 3 })
        : c.op === 'trace_v1'
          ? await client.traceV1({ entity_id: 'e-1' })
          : await client.ingest({ body: EVENT });
    line.outcome = 'ok';
    line.value_digest = canonical(result.data);
    if (result.verdict) line.verdict = verdictOf(result.verdict);
    const headers = deprecations.find((e) => !e.warned && (e.deprecation || e.sunset));
    if (headers) {
      line.deprecation = {
        deprecation: headers.deprecation,
        sunset: headers.sunset,
        warned: deprecations.some((e) => e.warned),
      };
    }
  } catch (e) {
    line.outcome = 'error';
    if (e instanceof sdk.VerdictError) line.kind = `verdict:${e.kind}`;
    else if (e instanceof sdk.DeniedError) {
      line.kind = 'denied';
      line.verdict = verdictOf(e.verdict);
    } else if (e instanceof sdk.ProvenanceError) Object.assign(line, { kind: 'provenance', path: e.problems[0]?.path });
    else if (e instanceof sdk.ValidationError) Object.assign(line, { kind: 'validation', path: e.problems[0]?.path });
    else if (e instanceof sdk.DeclaredError) {
      line.kind = `declared:${e.status}`;
      line.value_digest = canonical(e.body);
    } else if (e instanceof sdk.ApiError) line.kind = `api:${e.status}`;
    else line.kind = `unexpected:${e?.name}: ${e?.message}`;
  }
  return line;
}

await drive(cases, run);
