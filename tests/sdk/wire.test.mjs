// Wire names, present-and-null and success statuses in the TypeScript SDK (issue 17; docs/sdk.md,
// "Wire names, null and success statuses"), on tests/sdk/wire: the SDK's values use identifiers
// and travel under their wire names (`assigned_by.any`, `+1`, a quote, a backslash, `größe`);
// `null` is accepted exactly where a field is `@nullable`; error paths name the wire names; the
// declared success status (201, 202) is a success, and so is any other 2xx whose body decodes.
// Then every operation through the SDK against Prism serving the emitted OpenAPI document with
// request validation on: Prism takes the request and answers the declared status.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';

import { buildSdk, importSdk, loudSkip, prism, refusal, sdkTargetExists } from './harness.mjs';

const target = sdkTargetExists();
let sdk;
let out;

before(async () => {
  if (!target) return;
  out = buildSdk('tests/sdk/wire', 'sdk-typescript,openapi');
  sdk = await importSdk(path.join(out, 'sdk-typescript'));
});

const skip = (t) => loudSkip(t, 'charter build --target sdk-typescript is unknown to this charter binary');

/** A task as the SDK holds it: identifiers. */
const TASK = {
  id: 't-1',
  assigned_by_any: 'ana',
  plus_one: 1,
  greeting: 'hello "you"',
  backslash: true,
  size: 2.5,
  state: 'in-progress',
  due: null,
  note: null,
  owner: { display_name: 'Ana', email: 'ana@example.com' },
  next_state: '+1',
  labels: null,
  people: [{ display_name: 'Bo' }],
};

/** The same task as it travels: wire names, members in declaration order. */
const WIRE =
  '{"id":"t-1","assigned_by.any":"ana","+1":1,"say \\"hi\\"":"hello \\"you\\"","back\\\\slash":true,' +
  '"größe":2.5,"state":"in-progress","due":null,"note":null,' +
  '"owner":{"display-name":"Ana","e-mail":"ana@example.com"},"next-state":"+1","labels":null,' +
  '"people":[{"display-name":"Bo"}]}';

/** The problems the generated check of `type` finds in `value`, as `path: message` lines. */
function problems(type, value) {
  const found = [];
  type.check(value, 'value', found);
  return found.map((p) => `${p.path}: ${p.message}`);
}

function without(object, key) {
  const copy = { ...object };
  delete copy[key];
  return copy;
}

test('a record travels under its wire names and comes back under its identifiers', (t) => {
  if (!target) return skip(t);
  const { Task } = sdk.wire_tracker;
  assert.equal(JSON.stringify(sdk.toWire(Task.check, TASK)), WIRE);
  assert.deepEqual(sdk.fromWire(Task.check, JSON.parse(WIRE)), TASK);
  assert.deepEqual(problems(Task, JSON.parse(WIRE)), []);
  // A member named `__proto__` on the wire stays a member (no prototype is set).
  const odd = sdk.fromWire(Task.check, JSON.parse('{"__proto__": 1}'));
  assert.equal(Object.getPrototypeOf(odd), Object.prototype);
});

test('null is accepted exactly where a field is @nullable', (t) => {
  if (!target) return skip(t);
  const { Task } = sdk.wire_tracker;
  const wire = JSON.parse(WIRE);
  const task = 'wire.tracker.Task';
  // Required nullable: null is a value, absence is not.
  assert.deepEqual(problems(Task, { ...wire, due: '2026-01-31', owner: null }), []);
  assert.deepEqual(problems(Task, without(wire, 'due')), [`value.due: missing required field of ${task}`]);
  assert.deepEqual(problems(Task, without(wire, 'owner')), [`value.owner: missing required field of ${task}`]);
  // Optional nullable: absent, null or a value.
  assert.deepEqual(problems(Task, without(without(wire, 'note'), 'next-state')), []);
  assert.deepEqual(problems(Task, { ...wire, note: 'n', 'next-state': null }), []);
  // Not nullable: null is refused, optional or not, at the wire name's path.
  assert.deepEqual(problems(Task, { ...wire, '+1': null }), ['value["+1"]: expected an integer, found null']);
  assert.deepEqual(problems(Task, { ...wire, state: null }), ['value.state: expected a wire.tracker.State value, found null']);
  assert.deepEqual(problems(Task, { ...wire, 'größe': null }), ['value["größe"]: expected a number, found null']);
  // A nullable field's value is still checked.
  assert.deepEqual(problems(Task, { ...wire, due: 'soon' }), ['value.due: invalid date (YYYY-MM-DD)']);
});

test('error paths and enum values use wire names; identifiers are not wire names', (t) => {
  if (!target) return skip(t);
  const { Task, State } = sdk.wire_tracker;
  const wire = JSON.parse(WIRE);
  assert.deepEqual([...State.values], ['+1', 'in-progress', 'none', 'done']);
  assert.deepEqual(problems(State, 'in_progress'), ['value: not a value of wire.tracker.State']);
  const renamed = { ...without(wire, 'assigned_by.any'), assigned_by_any: 'ana' };
  assert.deepEqual(problems(Task, renamed), [
    'value["assigned_by.any"]: missing required field of wire.tracker.Task',
    'value.assigned_by_any: unknown field of wire.tracker.Task',
  ]);
  const quoted = { ...wire, 'say "hi"': 1, owner: { 'display-name': 2 } };
  assert.deepEqual(problems(Task, quoted), [
    'value["say \\"hi\\""]: expected a string, found a number',
    'value.owner["display-name"]: expected a string, found a number',
  ]);
});

/** A client whose fetch answers with `reply(url, init)` and records what was sent. */
function fakeClient(reply) {
  const sent = [];
  const client = new sdk.wire_tracker.TrackerClient({
    baseUrl: 'http://sdk.invalid',
    retry: { maxRetries: 0 },
    fetch: async (url, init) => {
      sent.push({ url: new URL(String(url)), init });
      const { status, body } = reply(new URL(String(url)), init);
      return new Response(body === undefined ? null : JSON.stringify(body), {
        status,
        headers: { 'content-type': 'application/json' },
      });
    },
  });
  return { client, sent };
}

test('requests carry wire names; responses are decoded and checked under them', async (t) => {
  if (!target) return skip(t);
  const { client, sent } = fakeClient(() => ({ status: 200, body: [JSON.parse(WIRE)] }));
  const listed = await client.listTasks({
    start_time: '2026-01-01T00:00:00Z',
    assigned_by: 'ana',
    size: 3,
    states: ['in-progress', '+1'],
  });
  assert.deepEqual(listed.data, [TASK]);
  const query = [...sent[0].url.searchParams];
  assert.deepEqual(query, [
    ['StartTime>', '2026-01-01T00:00:00Z'],
    ['assigned_by.any', 'ana'],
    ['größe', '3'],
    ['state-in', 'in-progress'],
    ['state-in', '+1'],
  ]);
  await assert.rejects(client.listTasks({ size: 1.5 }), (e) => e.name === 'ValidationError' && e.problems[0].path === 'query.größe');
  const created = fakeClient(() => ({ status: 201, body: JSON.parse(WIRE) }));
  await created.client.createTask({ body: TASK });
  assert.equal(created.sent[0].init.body, WIRE);
  // A bad response names the wire path.
  const bad = fakeClient(() => ({ status: 200, body: [{ ...JSON.parse(WIRE), 'assigned_by.any': 7 }] }));
  await assert.rejects(
    bad.client.listTasks(),
    (e) => e.name === 'ValidationError' && e.direction === 'response' && e.problems[0].path === 'response[0]["assigned_by.any"]',
  );
  // A request value is checked as it travels: its paths are wire names too.
  await assert.rejects(
    client.createTask({ body: { ...TASK, owner: { display_name: 5 } } }),
    (e) => e.name === 'ValidationError' && e.direction === 'request' && e.problems[0].path === 'body.owner["display-name"]',
  );
});

test('the declared success status is a success, and any other 2xx whose body decodes', async (t) => {
  if (!target) return skip(t);
  for (const status of [201, 200]) {
    const { client } = fakeClient(() => ({ status, body: JSON.parse(WIRE) }));
    const result = await client.createTask({ body: TASK });
    assert.equal(result.status, status);
    assert.deepEqual(result.data, TASK);
  }
  const receipt = { 'task-id': 't-1', 'archived.at': null };
  for (const status of [202, 200]) {
    const { client } = fakeClient(() => ({ status, body: receipt }));
    const result = await client.archiveTask({ id: 't-1', dry_run: true });
    assert.deepEqual(result.data, { task_id: 't-1', archived_at: null });
  }
  // A 2xx whose body does not decode is not a success.
  const empty = fakeClient(() => ({ status: 204 }));
  await assert.rejects(empty.client.createTask({ body: TASK }), (e) => e.name === 'ValidationError');
  const touched = fakeClient(() => ({ status: 202 }));
  assert.equal((await touched.client.touchTask({ id: 't-1' })).status, 202);
  // The method's doc names the declared status.
  const source = fs.readFileSync(path.join(out, 'sdk-typescript', 'src', 'wire.tracker.ts'), 'utf8');
  assert.match(source, /`POST \/tracker\/tasks`: 201 on success/);
  assert.match(source, /`POST \/tracker\/tasks\/\{id\}\/archive`: 202 on success/);
});

test('every Tracker operation through the SDK is taken by Prism, which answers the declared status', async (t) => {
  if (!target) return skip(t);
  const file = path.join(out, 'openapi', 'Tracker.json');
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  const basePath = new URL(doc.servers?.[0]?.url ?? '/', 'http://x').pathname.replace(/\/$/, '');
  const url = await prism(file);
  const sent = [];
  const forward = async (input, init) => {
    const u = new URL(String(input));
    const response = await fetch(`${url}${u.pathname.slice(basePath.length)}${u.search}`, init);
    sent.push({ path: u.pathname + u.search, status: response.status, problem: await refusal(response) });
    return response;
  };
  const client = new sdk.wire_tracker.TrackerClient({ baseUrl: 'http://sdk.invalid', fetch: forward, retry: { maxRetries: 0 } });
  const calls = [
    ['listTasks', () => client.listTasks({ start_time: '2026-01-01T00:00:00Z', assigned_by: 'ana', size: 3, states: ['in-progress'], limit: 5 }), 200],
    ['getTask', () => client.getTask({ id: 't-1' }), 200],
    ['createTask', () => client.createTask({ body: TASK }), 201],
    ['createTask with values', () => client.createTask({ body: { ...TASK, due: '2026-01-31', note: 'n', labels: ['a'], owner: null } }), 201],
    ['archiveTask', () => client.archiveTask({ id: 't-1', dry_run: true }), 202],
    ['touchTask', () => client.touchTask({ id: 't-1' }), 202],
  ];
  for (const [what, call, status] of calls) {
    const before = sent.length;
    try {
      await call();
    } catch (e) {
      // A mock's generated body may fail the SDK's checks; what matters is what Prism took.
      if (!(e.name === 'ValidationError' && e.direction === 'response')) throw e;
    }
    assert.equal(sent.length, before + 1, `${what}: one request sent`);
    const request = sent.at(-1);
    assert.equal(request.problem, undefined, `${what}: Prism refused ${request.path}: ${request.problem}`);
    assert.equal(request.status, status, `${what}: Prism answered ${request.status}`);
  }
  // The check can fail: the identifiers on the wire are refused by Prism.
  const response = await fetch(`${url}/tasks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(TASK),
  });
  assert.notEqual(await refusal(response), undefined, `identifiers on the wire: status ${response.status}`);
});
