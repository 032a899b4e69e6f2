"use strict";
// Runs the native binary of this platform, found in the platform package npm installed as an
// optional dependency (the way Biome and esbuild ship): nothing is downloaded, ever.
const { spawnSync } = require("node:child_process");

// process.platform-process.arch to the package holding that platform's binaries.
const PACKAGES = {
  "linux-x64": "@charter-lang/cli-linux-x64",
  "linux-arm64": "@charter-lang/cli-linux-arm64",
  "darwin-x64": "@charter-lang/cli-darwin-x64",
  "darwin-arm64": "@charter-lang/cli-darwin-arm64",
  "win32-x64": "@charter-lang/cli-win32-x64",
};

function fail(message) {
  process.stderr.write(`charter: ${message}\n`);
  process.exit(2);
}

/** The path of the binary NAME (`charter`, `charter-lsp`) for this platform. */
function binary(name) {
  const platform = `${process.platform}-${process.arch}`;
  const pkg = PACKAGES[platform];
  if (pkg === undefined) {
    fail(`no binary is published for ${platform}; install with cargo instead (cargo install --path cli)`);
  }
  const file = process.platform === "win32" ? `${name}.exe` : name;
  try {
    return require.resolve(`${pkg}/bin/${file}`);
  } catch {
    return fail(
      `the package ${pkg} is not installed; it is an optional dependency of @charter-lang/charter: ` +
        "reinstall without --omit=optional (or --no-optional)",
    );
  }
}

/** Runs NAME with this process's arguments and standard streams; exits as it exits. */
function launch(name) {
  const result = spawnSync(binary(name), process.argv.slice(2), { stdio: "inherit" });
  if (result.error) {
    fail(`cannot run ${name}: ${result.error.message}`);
  }
  if (result.signal) {
    process.kill(process.pid, result.signal);
  }
  process.exit(result.status ?? 2);
}

module.exports = { binary, launch, PACKAGES };
