//! The descent parser against the LALRPOP grammar it stands in for: on every `.charter` file of
//! the repository and on mutated copies of them, `syntax::parse` (descent first, grammar for
//! what it gives up on) and `syntax::parse_reference` (the grammar alone) return the same
//! `Parsed`: the same tree with the same spans and doc comments, the same comments, the same
//! diagnostics. And the descent gives up on exactly the declarations that do not parse.

#![expect(
    clippy::disallowed_methods,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "tests read the repository's files and fail loudly"
)]

use std::path::{Path, PathBuf};

use charter::syntax::{self, ast::Item};
use proptest::prelude::*;

/// Every `.charter` file under the repository root (outside build folders), with its text.
fn repository_files() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    let mut stack: Vec<PathBuf> = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read folder") {
            let path = entry.expect("folder entry").path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if path.is_dir() {
                if !name.starts_with('.') && !matches!(name, "target" | "node_modules") {
                    stack.push(path);
                }
            } else if name.ends_with(".charter") {
                let text = std::fs::read_to_string(&path).expect("read file");
                let rel = path.strip_prefix(&root).expect("inside root");
                files.push((rel.to_string_lossy().replace('\\', "/"), text));
            }
        }
    }
    for (path, text) in charter::stdlib::FILES {
        files.push(((*path).to_string(), (*text).to_string()));
    }
    files.sort();
    files
}

/// The two parsers agree on `text`, and the descent missed exactly the broken declarations.
fn agree(path: &str, text: &str) -> Result<(), TestCaseError> {
    let reference = same(path, text)?;
    let broken = reference
        .file
        .items
        .iter()
        .filter(|i| matches!(i, Item::Error(_)))
        .count();
    let too_deep = reference
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "E0007")
        .count();
    prop_assert_eq!(
        syntax::descent_misses(text),
        broken - too_deep,
        "{}: the descent gave up on a declaration the grammar parses",
        path
    );
    Ok(())
}

/// The two parsers return the same `Parsed` for `text`; returns the reference's.
fn same(path: &str, text: &str) -> Result<syntax::Parsed, TestCaseError> {
    let fast = syntax::parse(path, text);
    let reference = syntax::parse_reference(path, text);
    // The first declaration that differs, not the whole file, so a failure stays readable.
    for (i, (a, b)) in fast
        .file
        .items
        .iter()
        .zip(&reference.file.items)
        .enumerate()
    {
        prop_assert_eq!(a, b, "{}: declaration {} parses differently", path, i);
    }
    prop_assert_eq!(&fast.diagnostics, &reference.diagnostics, "{}", path);
    prop_assert_eq!(&fast, &reference, "{} parses differently", path);
    Ok(reference)
}

#[test]
fn every_repository_file_parses_the_same() {
    let files = repository_files();
    assert!(files.len() > 200, "found only {} files", files.len());
    let mut declarations = 0;
    for (path, text) in &files {
        agree(path, text).expect("the parsers agree");
        declarations += syntax::parse(path, text).file.items.len();
    }
    assert!(declarations > 1_000, "only {declarations} declarations");
}

#[test]
fn the_examples_need_no_fallback() {
    for (path, text) in repository_files() {
        if path.starts_with("examples/") || path.starts_with("<std>/") {
            assert_eq!(syntax::descent_misses(&text), 0, "{path}");
        }
    }
}

/// A doc comment before any token: the two parsers attach it to the same node, or both leave
/// it documenting nothing (W0001).
#[test]
fn doc_comments_anywhere_attach_the_same() {
    let mut tried = 0;
    for (path, text) in repository_files() {
        if !path.starts_with("examples/") {
            continue;
        }
        // Also with the file's own doc comments made plain (`////`), so that a node's second
        // place for its doc (after its annotations) is tried when the first is empty.
        for text in [text.clone(), text.replace("///", "////")] {
            for (lo, _, _) in syntax::lex::lex(&text).tokens {
                let edited = format!("{}/// d\n{}", &text[..lo], &text[lo..]);
                agree(&path, &edited).expect("the parsers agree");
                tried += 1;
            }
        }
    }
    assert!(tried > 1_000, "only {tried} positions");
}

/// Cuts a mutated copy of `text`: pieces deleted, duplicated, swapped or replaced by tokens.
fn mutate(text: &str, edits: &[(usize, usize, usize)]) -> String {
    const PIECES: &[&str] = &[
        "",
        " ",
        "\n",
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
        "x",
        "\"s\"",
        "///d\n",
        "//c\n",
        "and",
        "or",
        "not",
        "in",
        "has",
        "when",
        "because",
        "allow",
        "deny",
        "default",
        "record",
        "enum",
        "policy",
        "op",
        "on",
        "by",
        "with",
        "1",
        "2.5",
        "2026-01-01",
        "30d",
        "none",
        "true",
        "list<",
        "map<string,",
        "matching",
        "A-1",
        "use",
        "as",
        "errors",
        "requirement",
        "subject",
        "expect",
        "action",
    ];
    let mut out = text.to_string();
    for &(at, len, piece) in edits {
        let mut start = at % (out.len() + 1);
        while !out.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = (start + len % 24).min(out.len());
        while !out.is_char_boundary(end) {
            end -= 1;
        }
        let replacement = match piece % (PIECES.len() + 1) {
            0 => out[start..end].repeat(2),
            n => PIECES[n - 1].to_string(),
        };
        out.replace_range(start..end, &replacement);
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn mutated_files_parse_the_same(
        file in any::<usize>(),
        edits in proptest::collection::vec((any::<usize>(), 0usize..24, any::<usize>()), 1..5),
    ) {
        thread_local! {
            static FILES: Vec<(String, String)> = repository_files();
        }
        let (path, text) = FILES.with(|files| files[file % files.len()].clone());
        agree(&path, &mutate(&text, &edits))?;
    }

    #[test]
    fn token_soup_parses_the_same(pieces in proptest::collection::vec(0usize..40, 0..60)) {
        const WORDS: &[&str] = &[
            "policy p on R by S default deny {", "allow a when", "x.y", "==", "1", "}", "(", ")",
            "not", "and", "or", "[", "]", ",", "{", "k:", "\"v\"", "record", "T", "{", "f:",
            "int", "?", "in", "0..9", "=", "@a", "(b: 1)", "service s {", "op o GET \"/\" (",
            "->", "errors", "400: E", "control C-1", "owner", "satisfies", "soc2.\"CC\"",
            "test p {", "\"c\" {", "subject",
        ];
        let text: Vec<&str> = pieces.iter().map(|&i| WORDS[i % WORDS.len()]).collect();
        agree("soup.charter", &text.join(" "))?;
    }
}

/// The deepest input the nesting limits (E0007) let through, and generic types the descent hands
/// to the grammar, parse the same on a thread with the default 2 MiB stack (the CLI's and the
/// language server's worker threads), in this unoptimised build too.
#[test]
fn deep_nesting_parses_the_same_on_a_worker_stack() {
    // 63 brackets inside the declaration's own `{`: the deepest E0007 allows.
    let condition = format!("{}x{}", "not (".repeat(63), ")".repeat(63));
    let list = format!("{}1{}", "[".repeat(63), "]".repeat(63));
    let generic = format!("{}int{}", "a<".repeat(300), ">".repeat(300));
    let text = format!(
        "package p\npolicy q on R by S default deny {{\n  allow r when {condition}\n}}\n\
         record T {{\n  f: list<int> = {list}\n  g: {generic}\n}}\n"
    );
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let parsed = same("deep.charter", &text).expect("the parsers agree");
            assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
            // The record's 300-deep type is past the descent's limit: the grammar parsed it.
            assert_eq!(syntax::descent_misses(&text), 1);
        })
        .expect("spawn")
        .join()
        .expect("no stack overflow");
}
