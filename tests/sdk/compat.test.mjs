// N-1 compatibility of the TypeScript SDK (`[sdk] compat` / `--compat REV`, docs/sdk.md): code
// written against the previous release's SDK compiles against today's SDK built with `--compat`
// pointing at that release. Two cases: summit-v1 → examples/summit (additive changes only), and a
// small workspace whose operation is renamed, which compiles only with the shim (the same code
// against the SDK built without `--compat` is refused, so the test can fail).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { FORCED, charter, here, loudSkip, run, sdkTargetExists, tmp, tool } from './harness.mjs';

const target = sdkTargetExists();

/** Builds `workspace`'s SDK (with `extra` arguments), adds `consumer` to its sources, runs tsc. */
function compileWith(workspace, consumer, extra) {
  const out = tmp('charter-sdk-compat-');
  const r = run(charter, ['build', workspace, '--target', 'sdk-typescript', '--out', out, ...extra]);
  assert.equal(r.status, 0, `charter build ${workspace}: ${r.stderr}`);
  const pkg = path.join(out, 'sdk-typescript');
  fs.copyFileSync(path.join(here, 'compat', consumer), path.join(pkg, 'src', consumer));
  return run(tool('tsc'), ['-p', pkg, '--noEmit', ...FORCED]);
}

test('code written against the summit-v1 SDK compiles against today\'s SDK with --compat', (t) => {
  if (!target) return loudSkip(t, 'charter build --target sdk-typescript is unknown to this charter binary');
  const v1 = compileWith('tests/evolution/summit-v1', 'summit-v1.consumer.ts', []);
  assert.equal(v1.status, 0, `against the v1 SDK itself: ${v1.stdout}${v1.stderr}`);
  const today = compileWith('examples/summit', 'summit-v1.consumer.ts', ['--compat', 'tests/evolution/summit-v1']);
  assert.equal(today.status, 0, `against today's SDK: ${today.stdout}${today.stderr}`);
});

test('a renamed operation keeps its old name only with --compat', (t) => {
  if (!target) return loudSkip(t, 'charter build --target sdk-typescript is unknown to this charter binary');
  const dir = tmp('charter-sdk-rename-');
  const source = 'package demo\n\nrecord Item {\n  id: int\n}\n\nservice Shop version "1.0.0" {\n  op get_item GET "/items/{id}" (id: int) -> Item\n}\n';
  for (const [side, text] of [['old', source.replace('op get_item', 'op fetch')], ['new', source]]) {
    fs.mkdirSync(path.join(dir, side, 'src'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, side, 'charter.toml'),
      '[package]\nname = "demo"\nversion = "1.0.0"\n[build]\nsources = ["src"]\n',
    );
    fs.writeFileSync(path.join(dir, side, 'src/demo.charter'), text);
  }
  const old = compileWith(path.join(dir, 'old'), 'rename.consumer.ts', []);
  assert.equal(old.status, 0, `against the old SDK itself: ${old.stdout}${old.stderr}`);
  const shimmed = compileWith(path.join(dir, 'new'), 'rename.consumer.ts', ['--compat', path.join(dir, 'old')]);
  assert.equal(shimmed.status, 0, `with --compat: ${shimmed.stdout}${shimmed.stderr}`);
  const bare = compileWith(path.join(dir, 'new'), 'rename.consumer.ts', []);
  assert.notEqual(bare.status, 0, 'without --compat the old name must not exist');
  assert.match(`${bare.stdout}${bare.stderr}`, /fetch/);
});
