// Checks the .vsix that `npm run package` wrote (a zip, read with yauzl): it holds the manifest,
// the grammar, language configuration and bundled client byte-for-byte as built, every file the
// manifest points to, and no sources; the bundle (esbuild) carries vscode-languageclient inside
// and requires nothing but `vscode` and Node's own modules.
"use strict";

const fs = require("fs");
const path = require("path");
const { builtinModules } = require("module");
const yauzl = require("yauzl");

const HERE = path.resolve(__dirname, "..");
const pkg = JSON.parse(fs.readFileSync(path.join(HERE, "package.json"), "utf8"));
const VSIX = path.join(HERE, "dist", `${pkg.name}-${pkg.version}.vsix`);

function readZip(file) {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error) {
        reject(error);
        return;
      }
      const entries = new Map();
      zip.on("entry", (entry) => {
        if (entry.fileName.endsWith("/")) {
          zip.readEntry();
          return;
        }
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError) {
            reject(streamError);
            return;
          }
          const chunks = [];
          stream.on("data", (chunk) => chunks.push(chunk));
          stream.on("end", () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on("end", () => resolve(entries));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}

async function main() {
  const entries = await readZip(VSIX);
  const failures = [];
  let passed = 0;
  const check = (ok, message) => {
    if (ok) {
      passed += 1;
    } else {
      failures.push(message);
    }
  };
  const same = (inZip, onDisk) => {
    const packed = entries.get(`extension/${inZip}`);
    check(packed !== undefined, `${inZip} is missing`);
    if (packed !== undefined) {
      check(packed.equals(fs.readFileSync(path.join(HERE, onDisk))), `${inZip} differs from ${onDisk}`);
    }
  };

  check(entries.has("extension.vsixmanifest"), "extension.vsixmanifest is missing");
  check(entries.has("[Content_Types].xml"), "[Content_Types].xml is missing");
  const manifest = (entries.get("extension.vsixmanifest") || Buffer.alloc(0)).toString("utf8");
  check(
    manifest.includes(`Id="${pkg.name}"`) && manifest.includes(`Version="${pkg.version}"`) &&
      manifest.includes(`Publisher="${pkg.publisher}"`),
    "extension.vsixmanifest does not name the extension, version and publisher",
  );

  const packedPkg = JSON.parse((entries.get("extension/package.json") || Buffer.from("{}")).toString("utf8"));
  check(packedPkg.name === pkg.name && packedPkg.version === pkg.version, "package.json is missing or differs");
  const grammars = (packedPkg.contributes && packedPkg.contributes.grammars) || [];
  const languages = (packedPkg.contributes && packedPkg.contributes.languages) || [];
  check(grammars.length === 1 && grammars[0].scopeName === "source.charter", "no source.charter grammar contributed");
  check(languages.length === 1 && languages[0].extensions.includes(".charter"), "no .charter language contributed");
  // Every file the manifest points to is in the package.
  for (const rel of [packedPkg.main, ...grammars.map((g) => g.path), ...languages.map((l) => l.configuration)]) {
    const name = `extension/${path.posix.normalize(String(rel)).replace(/^\.\//, "")}`;
    check(entries.has(name) || entries.has(`${name}.js`), `package.json points to ${rel}, which is not packaged`);
  }

  same("syntaxes/charter.tmLanguage.json", "syntaxes/charter.tmLanguage.json");
  same("language-configuration.json", "language-configuration.json");
  same("out/extension.js", "out/extension.js");
  const client = (entries.get("extension/out/extension.js") || Buffer.alloc(0)).toString("utf8");
  check(/\bactivate\b/.test(client) && /\bdeactivate\b/.test(client), "out/extension.js has no activate/deactivate");
  check(client.includes("charter.restartServer") && client.includes("charter-lsp"), "out/extension.js is not the Charter client");
  // The language client is bundled: its protocol code is in the file, and nothing outside it is
  // required at run time but VS Code's API and Node's modules.
  check(client.includes("textDocument/didOpen") && client.includes("Content-Length"), "vscode-languageclient is not bundled");
  const required = [...new Set([...client.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]))];
  const foreign = required.filter((name) => name !== "vscode" && !builtinModules.includes(name.replace(/^node:/, "")));
  check(required.includes("vscode") && foreign.length === 0, `out/extension.js requires ${foreign.join(", ") || "no vscode"}`);
  check(![...entries.keys()].some((n) => n.startsWith("extension/node_modules/")), "node_modules is packaged beside the bundle");
  check([...entries.keys()].some((n) => /^extension\/license(\.txt)?$/i.test(n)), "LICENSE is not packaged");

  const forbidden = [...entries.keys()].filter((n) =>
    /^extension\/(src|test|scripts|dist)\//.test(n) || n.endsWith(".ts") || n.endsWith(".vsix") ||
    n.startsWith("extension/node_modules/typescript/") || n.startsWith("extension/node_modules/@vscode/vsce/"));
  check(forbidden.length === 0, `sources or dev dependencies are packaged: ${forbidden.slice(0, 5).join(", ")}`);

  failures.forEach((f) => console.log(`not ok - ${f}`));
  console.log(`${path.relative(HERE, VSIX)}: ${entries.size} files`);
  console.log(`${passed} passed, ${failures.length} failed`);
  process.exitCode = failures.length > 0 ? 1 : 0;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
