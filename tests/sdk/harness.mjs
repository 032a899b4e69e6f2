// Shared helpers of the SDK tests (tests/sdk/*.test.mjs): where the npm tools are, running the
// `charter` binary, temporary folders, and compiling TypeScript with the strict flags every
// generated SDK must pass.
//
// The npm packages (typescript, @stoplight/prism-cli; pinned in package-lock.json here) are
// installed by tests/run outside the clone, into $CHARTER_SDK_DEPS (default
// ~/.cache/charter-tests/sdk); a local `npm ci` in tests/sdk works too.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '../..');
export const charter = process.env.CHARTER_BIN ?? path.join(root, 'target/debug/charter');

/** The folder holding node_modules/ with the pinned tools. */
function depsFolder() {
  const candidates = [
    process.env.CHARTER_SDK_DEPS,
    path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'charter-tests/sdk'),
    here,
  ];
  for (const dir of candidates) {
    if (dir && fs.existsSync(path.join(dir, 'node_modules/.bin/tsc'))) return dir;
  }
  return null;
}

/** The path of an npm tool's binary (`tsc`, `prism`); fails loudly when it is not installed. */
export function tool(name) {
  const dir = depsFolder();
  const bin = dir && path.join(dir, 'node_modules/.bin', name);
  assert.ok(
    bin && fs.existsSync(bin),
    `${name} is not installed: run tests/run, or \`npm ci\` in tests/sdk (or set CHARTER_SDK_DEPS)`,
  );
  return bin;
}

// Every temporary folder a test file makes is removed when its tests end, passed or failed.
const made = [];
after(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

export function tmp(prefix = 'charter-sdk-') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function run(command, args, options = {}) {
  const out = spawnSync(command, args, { encoding: 'utf8', cwd: root, ...options });
  assert.equal(out.error, undefined, `${command} runs`);
  return out;
}

/** The strict flags of the issue: every generated SDK and the runtime compile under them. */
export const STRICT = [
  '--strict',
  '--exactOptionalPropertyTypes',
  '--noUncheckedIndexedAccess',
  '--target',
  'ES2022',
  '--module',
  'ES2022',
  '--moduleResolution',
  'bundler',
  '--lib',
  'ES2022,DOM',
  '--skipLibCheck',
];

/** Compiles `files` with the strict flags into a temporary ES module folder; returns it. */
export function compile(files) {
  const out = tmp('charter-sdk-js-');
  const r = run(tool('tsc'), [...STRICT, '--outDir', out, ...files]);
  assert.equal(r.status, 0, `tsc: ${r.stdout}${r.stderr}`);
  fs.writeFileSync(path.join(out, 'package.json'), '{"type":"module"}\n');
  return out;
}

/**
 * Whether `charter build --target sdk-typescript` exists in this build. When it does not, the
 * SDK-dependent tests skip with a loud line (the target lands from the other branch of
 * issue 14).
 */
export function sdkTargetExists() {
  if (!fs.existsSync(charter)) return false;
  const out = tmp('charter-sdk-probe-');
  const r = run(charter, ['build', 'examples/hello', '--target', 'sdk-typescript', '--out', out]);
  return r.status === 0 && fs.existsSync(path.join(out, 'sdk-typescript'));
}

export function loudSkip(t, why) {
  const line = `SKIPPED (not a pass): ${why}`;
  console.log(`\n!!!!!!!! ${line} !!!!!!!!\n`);
  t.skip(line);
}

/** Builds the TypeScript SDK of `workspace` (relative to the repository) into a temporary
 * folder; returns the package folder (`OUT/sdk-typescript`). */
export function buildSdk(workspace, targets = 'sdk-typescript') {
  const out = tmp('charter-sdk-out-');
  const r = run(charter, ['build', workspace, '--target', targets, '--out', out]);
  assert.equal(r.status, 0, `charter build ${workspace}: ${r.stderr}`);
  return out;
}

/** The flags forced on top of a generated package's own tsconfig.json. */
export const FORCED = ['--strict', '--exactOptionalPropertyTypes', '--noUncheckedIndexedAccess'];

/** Compiles a generated package with its tsconfig (and the forced flags) and imports it. */
export async function importSdk(pkg) {
  const r = run(tool('tsc'), ['-p', pkg, ...FORCED]);
  assert.equal(r.status, 0, `tsc -p ${pkg}: ${r.stdout}${r.stderr}`);
  const manifest = JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8'));
  const entry = manifest.exports?.['.']?.import ?? manifest.main;
  return import(pathToFileURL(path.join(pkg, entry)).href);
}

/** Every exported client class of a compiled SDK, by name, across its module namespaces. */
export function clients(sdk) {
  const out = new Map();
  for (const value of Object.values(sdk)) {
    if (value === null || typeof value !== 'object') continue;
    for (const [name, cls] of Object.entries(value)) {
      if (typeof cls === 'function' && name.endsWith('Client')) out.set(name, cls);
    }
  }
  return out;
}

// Prism (`prism mock --errors`, request validation on): the mocks a test file starts are stopped
// when its tests end.
const running = [];
after(() => {
  for (const child of running) child.kill();
});

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Starts Prism on `doc`; resolves with its URL once it listens. */
export async function prism(doc) {
  const port = await freePort();
  const child = spawn(tool('prism'), ['mock', '-h', '127.0.0.1', '-p', String(port), '--errors', doc], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let log = '';
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`prism did not start:\n${log}`)), 60_000);
    const read = (chunk) => {
      log += chunk;
      if (log.includes('Prism is listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', (code) => reject(new Error(`prism exited (${code}):\n${log}`)));
  });
  return `http://127.0.0.1:${port}`;
}

/**
 * What Prism found wrong with the request a response answers, or undefined when it took it.
 * Prism lists its findings in the `sl-violations` header and in a problem body's `validation`:
 * with --errors the request's problems may be in the header only, the body naming its own
 * mock's problems. Only request-side problems are the SDK's: with --errors Prism also fails its
 * own mock responses (it replaces `Deprecation` with `true` on deprecated operations, then finds
 * that value wrong), a `#VIOLATIONS` problem of the response alone.
 */
export async function refusal(response) {
  const found = JSON.parse(response.headers.get('sl-violations') ?? '[]');
  let kind = '';
  if (response.headers.get('content-type')?.includes('problem')) {
    const problem = JSON.parse(await response.clone().text());
    found.push(...(problem.validation ?? []));
    kind = problem.type ?? '';
  }
  const requestSide = found.filter((v) => v.location?.[0] !== 'response');
  if (requestSide.length > 0 || (kind.includes('stoplight.io/prism/errors') && !kind.endsWith('#VIOLATIONS'))) {
    return JSON.stringify(requestSide.length > 0 ? requestSide : kind);
  }
  return undefined;
}
