// `tsc --strict --noEmit` with `exactOptionalPropertyTypes` and `noUncheckedIndexedAccess` on
// the TypeScript SDK of every example, of the hostile workspace (tests/sdk/hostile: reserved
// words, case collisions, comment-breaking doc text) and of tests/sdk/wire (hostile wire names):
// whatever workspaces exist are built with `charter build --target sdk-typescript` and checked
// with their own tsconfig.json, the strict flags forced on top.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { FORCED, buildSdk, loudSkip, root, run, sdkTargetExists, tool } from './harness.mjs';

const workspaces = [
  ...fs
    .readdirSync(path.join(root, 'examples'))
    .sort()
    .map((name) => `examples/${name}`),
  'tests/sdk/hostile',
  'tests/sdk/wire',
  'tests/evolution/summit-v1',
].filter((dir) => fs.existsSync(path.join(root, dir, 'charter.toml')));

const target = sdkTargetExists();

for (const workspace of workspaces) {
  test(`tsc --strict accepts the TypeScript SDK of ${workspace}`, (t) => {
    if (!target) return loudSkip(t, 'charter build --target sdk-typescript is unknown to this charter binary');
    const pkg = path.join(buildSdk(workspace), 'sdk-typescript');
    assert.ok(fs.existsSync(path.join(pkg, 'tsconfig.json')), 'the package has a tsconfig.json');
    const r = run(tool('tsc'), ['-p', pkg, '--noEmit', ...FORCED]);
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  });
}
