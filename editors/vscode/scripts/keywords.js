// Keeps the grammar and the lexer from drifting apart: extracts every keyword from the lexer
// (`#[token("word")]` lines of compiler/src/syntax/lex.rs), checks that the grammar's keyword
// lists (repository.keywords) name exactly those words, each once, and that the grammar, run by
// the real TextMate engine, scopes each keyword, written alone, as a keyword; and that the Vim
// syntax file of the Neovim configuration (editors/neovim/syntax/charter.vim) lists the same words.
"use strict";

const fs = require("fs");
const path = require("path");
const { GRAMMAR, loadGrammar, tokenize } = require("./grammar");

const LEXER = path.resolve(__dirname, "..", "..", "..", "compiler", "src", "syntax", "lex.rs");
const VIM_SYNTAX = path.resolve(__dirname, "..", "..", "neovim", "syntax", "charter.vim");
/** Vim syntax groups that list words which are not keywords of the lexer. */
const VIM_NON_KEYWORD_GROUPS = new Set(["charterType", "charterMethod"]);
/** The scopes a keyword may take: keywords, declaration words, modifiers, constants, roots. */
const KEYWORD_SCOPES = /^(keyword\.|storage\.(type|modifier)|constant\.language|variable\.language)/;

function lexerKeywords() {
  const source = fs.readFileSync(LEXER, "utf8");
  const words = [...source.matchAll(/#\[token\("([^"]+)"\)\]/g)]
    .map((m) => m[1])
    .filter((token) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(token));
  if (words.length < 40) {
    throw new Error(`found only ${words.length} keywords in ${LEXER}: has its format changed?`);
  }
  return words;
}

function grammarKeywords() {
  const grammar = JSON.parse(fs.readFileSync(GRAMMAR, "utf8"));
  const lists = grammar.repository.keywords.patterns;
  const words = [];
  for (const pattern of lists) {
    const m = /^\\b\(\?:([A-Za-z_|]+)\)\\b$/.exec(pattern.match);
    if (m === null) {
      throw new Error(`repository.keywords: unexpected pattern ${JSON.stringify(pattern.match)}`);
    }
    words.push(...m[1].split("|"));
  }
  return words;
}

function vimKeywords() {
  const words = [];
  for (const line of fs.readFileSync(VIM_SYNTAX, "utf8").split("\n")) {
    const m = /^syn keyword (\w+) (.+)$/.exec(line.trim());
    if (m !== null && !VIM_NON_KEYWORD_GROUPS.has(m[1])) {
      words.push(...m[2].trim().split(/\s+/));
    }
  }
  return words;
}

async function main() {
  const lexer = lexerKeywords();
  const listed = grammarKeywords();
  const failures = [];
  let passed = 0;
  const check = (ok, message) => {
    if (ok) {
      passed += 1;
    } else {
      failures.push(message);
    }
  };

  const seen = new Set();
  for (const word of listed) {
    check(!seen.has(word), `the grammar lists \`${word}\` twice`);
    seen.add(word);
  }
  for (const word of listed) {
    check(lexer.includes(word), `the grammar lists \`${word}\`, which the lexer does not have`);
  }
  const grammar = await loadGrammar();
  for (const word of lexer) {
    check(seen.has(word), `the lexer's keyword \`${word}\` is missing from the grammar's keyword lists`);
    const tokens = tokenize(grammar, `${word}\n`).filter((t) => t.text === word);
    const scopes = tokens.length === 1 ? tokens[0].scopes : [];
    check(
      tokens.length === 1 && scopes.some((s) => KEYWORD_SCOPES.test(s)),
      `\`${word}\` alone on a line is scoped ${JSON.stringify(scopes)}, not as a keyword`,
    );
  }
  const vim = vimKeywords();
  const vimSet = new Set(vim);
  check(vim.length === vimSet.size, "charter.vim lists a keyword twice");
  for (const word of lexer) {
    check(vimSet.has(word), `the lexer's keyword \`${word}\` is missing from charter.vim`);
  }
  for (const word of vim) {
    check(lexer.includes(word), `charter.vim lists \`${word}\`, which the lexer does not have`);
  }
  failures.forEach((f) => console.log(`not ok - ${f}`));
  console.log(`keywords: ${lexer.length} in the lexer, ${listed.length} in the grammar, ${vim.length} in charter.vim`);
  console.log(`${passed} passed, ${failures.length} failed`);
  process.exitCode = failures.length > 0 ? 1 : 0;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
