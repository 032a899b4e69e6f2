#!/usr/bin/env node
"use strict";
// Stages the npm packages of one release into OUT (then `npm pack` each folder):
//   OUT/charter             the launcher @charter-lang/charter (copied from ./charter), its version
//                           and its optional dependencies set to VERSION;
//   OUT/cli-PLATFORM-ARCH   the package of this machine's platform, holding the two binaries.
// A release stages one platform package per build machine (each with its own binaries) and one
// launcher. Usage: node stage.js OUT VERSION CHARTER_BINARY CHARTER_LSP_BINARY
const fs = require("node:fs");
const path = require("node:path");
const { PACKAGES } = require("./charter/bin/launch.js");

const [out, version, charter, charterLsp] = process.argv.slice(2);
if (!out || !/^\d+\.\d+\.\d+/.test(version ?? "") || !charter || !charterLsp) {
  process.stderr.write("usage: node stage.js OUT VERSION CHARTER_BINARY CHARTER_LSP_BINARY\n");
  process.exit(2);
}
const platform = `${process.platform}-${process.arch}`;
const name = PACKAGES[platform];
if (name === undefined) {
  process.stderr.write(`stage.js: no package is named for ${platform} (charter/bin/launch.js)\n`);
  process.exit(2);
}
const launcherDir = path.join(out, "charter");
fs.rmSync(launcherDir, { recursive: true, force: true });
fs.cpSync(path.join(__dirname, "charter"), launcherDir, { recursive: true });
const launcher = JSON.parse(fs.readFileSync(path.join(launcherDir, "package.json"), "utf8"));
launcher.version = version;
for (const dependency of Object.keys(launcher.optionalDependencies)) {
  launcher.optionalDependencies[dependency] = version;
}
if (!(name in launcher.optionalDependencies)) {
  process.stderr.write(`stage.js: ${name} is not an optional dependency of the launcher\n`);
  process.exit(2);
}
fs.writeFileSync(path.join(launcherDir, "package.json"), `${JSON.stringify(launcher, null, 2)}\n`);

const dir = path.join(out, name.split("/")[1]);
fs.rmSync(dir, { recursive: true, force: true });
fs.mkdirSync(path.join(dir, "bin"), { recursive: true });
const exe = process.platform === "win32" ? ".exe" : "";
fs.copyFileSync(charter, path.join(dir, "bin", `charter${exe}`));
fs.copyFileSync(charterLsp, path.join(dir, "bin", `charter-lsp${exe}`));
for (const file of ["charter", "charter-lsp"]) {
  fs.chmodSync(path.join(dir, "bin", file + exe), 0o755);
}
const platformPackage = {
  name,
  version,
  description: `The charter and charter-lsp binaries for ${platform} (installed by @charter-lang/charter)`,
  license: launcher.license,
  homepage: launcher.homepage,
  repository: launcher.repository,
  os: [process.platform],
  cpu: [process.arch],
  files: ["bin/"],
  // No "bin": the launcher's commands run these; no install script.
  preferUnplugged: true,
};
if (process.platform === "linux") {
  platformPackage.libc = ["glibc"];
}
fs.writeFileSync(path.join(dir, "package.json"), `${JSON.stringify(platformPackage, null, 2)}\n`);
fs.writeFileSync(
  path.join(dir, "README.md"),
  `# ${name}\n\nThe \`charter\` and \`charter-lsp\` binaries for ${platform}. Install ` +
    "[@charter-lang/charter](https://www.npmjs.com/package/@charter-lang/charter) instead: it " +
    "picks this package on this platform.\n",
);
process.stdout.write(`${launcherDir}\n${dir}\n`);
