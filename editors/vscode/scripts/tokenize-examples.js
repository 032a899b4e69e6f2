// Tokenizes every .charter file of the repository's examples/ and stdlib/, and every ```charter
// block of README.md and docs/language.md, with the grammar, and fails on any token scoped
// `invalid.illegal` (a construct the grammar does not know), or on a non-blank token outside any
// Charter scope. `--dump FILE` prints the tokens of one file.
"use strict";

const fs = require("fs");
const path = require("path");
const { loadGrammar, tokenize } = require("./grammar");

const ROOT = path.resolve(__dirname, "..", "..", "..");

function charterFiles(dir) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && !entry.name.startsWith(".") && entry.name !== "out") {
      found.push(...charterFiles(full));
    } else if (entry.isFile() && entry.name.endsWith(".charter")) {
      found.push(full);
    }
  }
  return found.sort();
}

/** The ```charter blocks of a Markdown file, each named by the line its code starts on. */
function codeBlocks(name, markdown) {
  const blocks = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i += 1) {
    if (lines[i].trim() !== "```charter") {
      continue;
    }
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end].trim() !== "```") {
      end += 1;
    }
    blocks.push({ name: `${name}:${start + 1}`, text: lines.slice(start, end).join("\n") });
    i = end;
  }
  if (blocks.length === 0) {
    throw new Error(`${name} has no \`\`\`charter block`);
  }
  return blocks;
}

async function main() {
  const grammar = await loadGrammar();
  const dump = process.argv.indexOf("--dump");
  if (dump >= 0) {
    const file = process.argv[dump + 1];
    for (const t of tokenize(grammar, fs.readFileSync(file, "utf8"))) {
      console.log(`${t.line}:${t.column}\t${JSON.stringify(t.text)}\t${t.scopes.slice(1).join(" ")}`);
    }
    return;
  }
  const sources = [...charterFiles(path.join(ROOT, "examples")), ...charterFiles(path.join(ROOT, "stdlib"))]
    .map((file) => ({ name: path.relative(ROOT, file), text: fs.readFileSync(file, "utf8") }));
  for (const doc of ["README.md", path.join("docs", "language.md")]) {
    sources.push(...codeBlocks(doc, fs.readFileSync(path.join(ROOT, doc), "utf8")));
  }
  const files = sources;
  let failed = 0;
  let tokens = 0;
  for (const { name: rel, text } of sources) {
    const problems = [];
    for (const t of tokenize(grammar, text)) {
      tokens += 1;
      if (t.scopes.some((s) => s.startsWith("invalid.illegal"))) {
        problems.push(`${rel}:${t.line}:${t.column}: ${JSON.stringify(t.text)} is ${t.scopes.join(" ")}`);
      } else if (t.text.trim() !== "" && t.scopes.length < 2) {
        problems.push(`${rel}:${t.line}:${t.column}: ${JSON.stringify(t.text)} has no scope`);
      }
    }
    if (problems.length > 0) {
      failed += 1;
      console.log(`not ok - ${rel}`);
      problems.slice(0, 20).forEach((p) => console.log(`  ${p}`));
    } else {
      console.log(`ok - ${rel}`);
    }
  }
  if (files.length < 20) {
    console.log(`not ok - expected the examples, the standard library and the docs, found ${files.length} sources`);
    failed += 1;
  }
  console.log(`examples tokenized: ${files.length} sources, ${tokens} tokens`);
  console.log(`${files.length - failed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
