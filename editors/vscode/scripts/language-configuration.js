// Checks language-configuration.json the way VS Code reads it: the regular expressions compile
// as JavaScript RegExps and do what they are for on Charter text (indentation after an opening
// bracket, dedent on a closing one, `///` continued on Enter, words that keep hyphenated ids,
// dates and durations whole), and the brackets and pairs are the language's.
"use strict";

const fs = require("fs");
const path = require("path");

const config = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "language-configuration.json"), "utf8"));
const failures = [];
let passed = 0;
const check = (ok, message) => {
  if (ok) {
    passed += 1;
  } else {
    failures.push(message);
  }
};

const increase = new RegExp(config.indentationRules.increaseIndentPattern);
const decrease = new RegExp(config.indentationRules.decreaseIndentPattern);
for (const line of ["record Receipt {", "service Docs version \"1.0.0\" at \"/docs\" {  // docs",
  "  op trace GET \"/v2/{id}\" (", "  tags: [", "policy p on R by S default deny \"x\" {"]) {
  check(increase.test(line), `increaseIndentPattern should match ${JSON.stringify(line)}`);
}
for (const line of ["entity User { id: string }", "  op get GET \"/v1/{id}\" (id: string) -> Doc",
  "  // a comment about {", "  id: string"]) {
  check(!increase.test(line), `increaseIndentPattern should not match ${JSON.stringify(line)}`);
}
for (const line of ["}", "  )", "  ] -> Doc", "  ) -> list<Trace>"]) {
  check(decrease.test(line), `decreaseIndentPattern should match ${JSON.stringify(line)}`);
}
check(!decrease.test("  id: string"), "decreaseIndentPattern should not match a field");

const doc = config.onEnterRules.find((rule) => rule.action.appendText === "/// ");
check(doc !== undefined && new RegExp(doc.beforeText).test("  /// A receipt."), "/// continues on Enter");
check(doc !== undefined && !new RegExp(doc.beforeText).test("  // plain"), "// does not become ///");

const word = new RegExp(`^(?:${config.wordPattern})$`);
for (const w of ["GOV-01", "STR-01-b", "2026-03-01", "365d", "1_000", "2.5e3", "tenant", "_x1"]) {
  check(word.test(w), `wordPattern should take ${JSON.stringify(w)} as one word`);
}
for (const w of ["a.b", "x y", "\"s\""]) {
  check(!word.test(w), `wordPattern should not take ${JSON.stringify(w)} as one word`);
}

const markers = config.folding.markers;
check(new RegExp(markers.start).test("// region controls") && new RegExp(markers.end).test("  // endregion"),
  "folding markers // region and // endregion");
check(config.comments.lineComment === "//", "line comments are //");
const pairs = JSON.stringify(config.brackets);
check(pairs === JSON.stringify([["{", "}"], ["[", "]"], ["(", ")"]]), "brackets are {} [] ()");
check(config.autoClosingPairs.some((p) => p.open === "\"" && p.notIn.includes("string")), "quotes auto-close outside strings");

failures.forEach((f) => console.log(`not ok - ${f}`));
console.log(`language configuration: ${passed} passed, ${failures.length} failed`);
process.exitCode = failures.length > 0 ? 1 : 0;
