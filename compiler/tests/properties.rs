//! Properties of the front end on inputs nobody wrote by hand: the parser and the checker never
//! panic, whatever the bytes, and always say something about a broken file.

#![expect(
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

use charter::db::Database;

mod support;
use proptest::prelude::*;

fn example_files(name: &str) -> Vec<(String, String)> {
    support::charter_files(&support::example(name))
}

/// Runs every query of the front end over the files; returns the number of diagnostics.
fn check(files: &[(String, String)]) -> usize {
    let db = Database::default();
    let sources: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let ws = charter::workspace::from_sources(&db, &sources);
    let diagnostics = charter::semantics::diagnostics(&db, ws);
    let _ = charter::semantics::model(&db, ws);
    // Rendering must not panic either, whatever the spans.
    let texts = files.iter().cloned().collect();
    let _ = charter::diagnostics::render::text(diagnostics, &texts, false);
    diagnostics.len()
}

/// Pieces of Charter to splice into files: keywords, punctuation, literals and junk.
const PIECES: &[&str] = &[
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "<",
    ">",
    ",",
    ".",
    "..",
    ":",
    "?",
    "=",
    "==",
    "->",
    "@",
    "-",
    "\"",
    "\"x\"",
    "///",
    "//",
    "\n",
    " ",
    "record",
    "enum",
    "ordered",
    "policy",
    "allow",
    "deny",
    "when",
    "because",
    "and",
    "or",
    "not",
    "in",
    "has",
    "service",
    "op",
    "GET",
    "control",
    "threat",
    "test",
    "expect",
    "subject",
    "resource",
    "context",
    "action",
    "use",
    "package",
    "2026-02-30",
    "365d",
    "0.5",
    "99999999999999999999",
    "none",
    "true",
    "@deprecated(since: 2026-01-01)",
    "@canary",
    "list<",
    "map<string,",
    "é",
    "\u{0}",
    "\u{feff}",
    "🦀",
];

#[derive(Debug, Clone)]
enum Mutation {
    Delete { at: usize, len: usize },
    Insert { at: usize, piece: usize },
    Duplicate { at: usize, len: usize },
    Truncate { at: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1usize..40).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (any::<usize>(), 0..PIECES.len()).prop_map(|(at, piece)| Mutation::Insert { at, piece }),
        (any::<usize>(), 1usize..200).prop_map(|(at, len)| Mutation::Duplicate { at, len }),
        any::<usize>().prop_map(|at| Mutation::Truncate { at }),
    ]
}

fn boundary(text: &str, at: usize) -> usize {
    let mut at = at % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn apply(text: &str, m: &Mutation) -> String {
    match *m {
        Mutation::Delete { at, len } => {
            let start = boundary(text, at);
            let end = boundary(text, start.saturating_add(len).min(text.len()));
            format!("{}{}", &text[..start], &text[end.max(start)..])
        }
        Mutation::Insert { at, piece } => {
            let at = boundary(text, at);
            format!("{}{}{}", &text[..at], PIECES[piece], &text[at..])
        }
        Mutation::Duplicate { at, len } => {
            let start = boundary(text, at);
            let end = boundary(text, start.saturating_add(len).min(text.len())).max(start);
            format!("{}{}", &text[..end], &text[start..])
        }
        Mutation::Truncate { at } => text[..boundary(text, at)].to_string(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        let parsed = charter::syntax::parse("x.charter", &text);
        prop_assert!(parsed.file.items.len() <= text.len() + 1);
        check(&[("x.charter".to_string(), text)]);
    }

    #[test]
    fn arbitrary_tokens_never_panic(pieces in proptest::collection::vec(0..PIECES.len(), 0..120)) {
        let text: String = std::iter::once("package p\n").chain(pieces.iter().map(|&i| PIECES[i])).collect::<Vec<_>>().join(" ");
        check(&[("x.charter".to_string(), text)]);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, ..ProptestConfig::default() })]

    /// A mutated file in the full example never panics the checker, and the diagnostics stay
    /// local: untouched files of the example report nothing unless the mutation broke a name
    /// they use.
    #[test]
    fn mutated_examples_never_panic(file in 0usize..64, mutations in proptest::collection::vec(mutation(), 1..4)) {
        let mut files = example_files("summit");
        let index = file % files.len();
        let mut text = files[index].1.clone();
        for m in &mutations {
            text = apply(&text, m);
        }
        let changed = text != files[index].1;
        files[index].1 = text;
        let count = check(&files);
        if !changed {
            prop_assert_eq!(count, 0);
        }
    }
}

#[test]
fn the_examples_themselves_are_clean() {
    for name in ["summit", "hello"] {
        assert_eq!(check(&example_files(name)), 0, "{name}");
    }
}
