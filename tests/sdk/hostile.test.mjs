// The hostile workspace (tests/sdk/hostile: names reserved in TypeScript, Go and Python, names
// that collide after case conversion, doc comments that try to end the comment or open a
// template) means in the generated SDK what it means in Charter: values round-trip through the
// generated validators under their wire names, and each constraint is still enforced. tsc
// --strict on the same SDK is in tsc.test.mjs.

import assert from 'node:assert/strict';
import path from 'node:path';
import { before, test } from 'node:test';

import { buildSdk, importSdk, loudSkip, sdkTargetExists } from './harness.mjs';

const target = sdkTargetExists();
let sdk;

before(async () => {
  if (target) sdk = await importSdk(path.join(buildSdk('tests/sdk/hostile'), 'sdk-typescript'));
});

/** The problems the generated check of `type` finds in `value`, as `path: message` lines. */
function problems(type, value) {
  const out = [];
  type.check(value, 'value', out);
  return out.map((p) => `${p.path}: ${p.message}`);
}

const valid = {
  default: 1,
  type: 'x',
  import: true,
  func: 0.5,
  range: ['a'],
  None: 'n',
  async: { k: 1 },
  interface: [1, 2],
  package: '2026-01-31T12:00:00Z',
  self: '2026-01-31',
  nil: '123e4567-e89b-12d3-a456-426614174000',
  await: 'AAEC',
  yield: '30d',
};

test('a record whose fields are reserved words round-trips under its wire names', (t) => {
  if (!target) return loudSkip(t, 'charter build --target sdk-typescript is unknown to this charter binary');
  const record = sdk.hostile_default.Class;
  assert.deepEqual(problems(record, valid), []);
  assert.deepEqual(problems(record, JSON.parse(JSON.stringify(valid))), []);
  // Each constraint still holds under its hostile name.
  assert.deepEqual(problems(record, { ...valid, func: 1.5 }).length, 1);
  assert.match(problems(record, { ...valid, func: 1.5 })[0], /^value\.func: /);
  assert.match(problems(record, { ...valid, interface: [1, 1] })[0], /^value\.interface/);
  const { default: _dropped, ...missing } = valid;
  assert.match(problems(record, missing)[0], /^value\.default: /);
  assert.match(problems(record, { ...valid, constructor: 'x' }).join('\n'), /constructor/);
});

test('names that collide after case conversion stay two types with their own checks', (t) => {
  if (!target) return loudSkip(t, 'charter build --target sdk-typescript is unknown to this charter binary');
  const { Class, Class_2, MyType, MyType_2 } = sdk.hostile_default;
  assert.notEqual(Class, Class_2);
  assert.deepEqual(problems(Class_2, { lambda: 1, constructor: 'c' }), []);
  assert.deepEqual(problems(MyType, { x: 1 }), []);
  assert.deepEqual(problems(MyType_2, { y: 'abc1' }), []);
  assert.equal(problems(MyType_2, { y: 'ABC' }).length, 1);
});

test('enums of reserved words keep their values; an open enum keeps unknown ones', (t) => {
  if (!target) return loudSkip(t, 'charter build --target sdk-typescript is unknown to this charter binary');
  const { Type, Func } = sdk.hostile_default;
  assert.deepEqual([...Type.values], ['default', 'class', 'None', 'async']);
  for (const value of Type.values) assert.deepEqual(problems(Type, value), []);
  assert.equal(problems(Type, 'other').length, 1);
  assert.deepEqual(problems(Func, 'select'), []);
  assert.equal(Func.isKnown('select'), false);
  assert.equal(Func.isKnown('go'), true);
});
