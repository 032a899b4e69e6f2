// The TypeScript driver of the agreement test's wire cases (tests/sdk-agree/run.sh, wire.json):
// calls each case's operation through the generated, compiled SDK of tests/sdk/wire against the
// replay server and prints one normalised JSON line per case: {"case", "outcome", "status",
// "kind", "path", "value_digest": canonical JSON of the decoded value written back to the wire}.
//
// Usage: node wire.mjs RESPONSES_JSON BASE_URL SDK_ENTRY (the compiled package's entry file)

import { canonical, drive, setup } from './agree.mjs';

const { cases, base, sdk } = await setup();
const { Receipt, Task, TrackerClient } = sdk.wire_tracker;

// The drivers' task: due null (a required nullable given nothing), no note, no labels.
const TASK = {
  id: 't-1',
  assigned_by_any: 'ana',
  plus_one: 1,
  greeting: 'hello "you"',
  backslash: true,
  size: 2.5,
  state: 'in-progress',
  due: null,
  owner: { display_name: 'Ana', email: 'ana@example.com' },
  next_state: '+1',
  people: [{ display_name: 'Bo' }],
};
const VALUES = { ...TASK, due: '2026-01-31', note: 'n', owner: null, labels: ['a'] };

async function call(client, op) {
  switch (op) {
    case 'list': {
      const r = await client.listTasks({ start_time: '2026-01-01T00:00:00Z', assigned_by: 'ana', size: 3, states: ['in-progress', '+1'] });
      return [r, r.data.map((t) => sdk.toWire(Task.check, t))];
    }
    case 'create': {
      const r = await client.createTask({ body: TASK });
      return [r, sdk.toWire(Task.check, r.data)];
    }
    case 'create_values': {
      const r = await client.createTask({ body: VALUES });
      return [r, sdk.toWire(Task.check, r.data)];
    }
    case 'archive': {
      const r = await client.archiveTask({ id: 't-1', dry_run: true });
      return [r, sdk.toWire(Receipt.check, r.data)];
    }
    default:
      return [await client.touchTask({ id: 't-1' }), undefined];
  }
}

async function run(c) {
  const client = new TrackerClient({ baseUrl: `${base}/typescript/${c.case}`, retry: { maxRetries: 0 } });
  const line = { case: c.case };
  try {
    const [result, wire] = await call(client, c.op);
    line.outcome = 'ok';
    line.status = result.status;
    if (wire !== undefined) line.value_digest = canonical(wire);
  } catch (e) {
    line.outcome = 'error';
    if (e instanceof sdk.ValidationError) Object.assign(line, { kind: 'validation', path: e.problems[0]?.path });
    else if (e instanceof sdk.ApiError) line.kind = `api:${e.status}`;
    else line.kind = `unexpected:${e?.name}: ${e?.message}`;
  }
  return line;
}

await drive(cases, run);
