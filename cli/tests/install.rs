//! The conventions of an installed tool (issue 22): `charter --help` grouped by what a user is
//! doing, `--version` with the commit, `charter completions SHELL`, `charter man [DIR]`. The
//! scripts and pages are loaded by the real shells and `man` in tests/install/run.sh.

#![expect(clippy::expect_used, reason = "tests fail loudly")]

use std::path::Path;

mod support;
use support::{charter, stderr, stdout};

/// The headings of `charter --help`, in order, and the commands under each.
fn sections(help: &str) -> Vec<(String, Vec<String>)> {
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    let mut current: Option<(String, Vec<String>)> = None;
    for line in help.lines() {
        if let Some(heading) = line.strip_suffix(':').filter(|l| !l.starts_with(' ')) {
            groups.extend(current.take());
            current = Some((heading.to_string(), Vec::new()));
        } else if let (Some((_, names)), Some(rest)) = (current.as_mut(), line.strip_prefix("  ")) {
            names.push(
                rest.split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_string(),
            );
        }
    }
    groups.extend(current);
    groups
}

/// Every command of `charter` is under exactly one of the activity headings, in their order;
/// none is left for "Other".
#[test]
fn help_groups_every_command_by_activity() {
    let out = charter(&["--help"], Path::new("."));
    assert!(out.status.success(), "{}", stderr(&out));
    let help = stdout(&out);
    let groups = sections(&help);
    let headings: Vec<&str> = groups.iter().map(|(h, _)| h.as_str()).collect();
    assert_eq!(
        headings,
        [
            "Write",
            "Check",
            "Build",
            "Release",
            "Compliance",
            "Set up",
            "Options"
        ],
        "{help}"
    );
    let listed: Vec<&String> = groups
        .iter()
        .filter(|(h, _)| h != "Options")
        .flat_map(|(_, names)| names)
        .collect();
    // Every command clap knows, from the SUBCOMMANDS section clap_mangen writes for the main
    // page (clap's own list, not the grouping under test).
    let page = stdout(&charter(&["man"], Path::new(".")));
    let all: Vec<String> = page
        .lines()
        .filter_map(|l| l.strip_prefix("charter\\-")?.strip_suffix("(1)"))
        .map(|name| name.replace("\\-", "-"))
        .collect();
    assert!(all.len() >= 15, "{page}");
    for name in &all {
        let count = listed.iter().filter(|l| **l == name).count();
        assert_eq!(count, 1, "{name} listed {count} times in:\n{help}");
    }
    assert_eq!(listed.len(), all.len(), "{help}");
    // A command's line is its own summary.
    assert!(
        help.lines()
            .any(|l| l.starts_with("  build ") && l.contains("Generate outputs")),
        "{help}"
    );
    // No subcommand is the same help, as clap prints it, exit 2.
    let bare = charter(&[], Path::new("."));
    assert_eq!(bare.status.code(), Some(2));
    assert_eq!(sections(&stderr(&bare)), groups);
}

/// `charter --version`: the version, then the commit and its date, or `unknown`.
#[test]
fn version_names_the_commit() {
    let out = charter(&["--version"], Path::new("."));
    assert!(out.status.success(), "{}", stderr(&out));
    let line = stdout(&out);
    let rest = line
        .trim_end()
        .strip_prefix(&format!("charter {} (", env!("CARGO_PKG_VERSION")))
        .and_then(|r| r.strip_suffix(')'))
        .expect("charter VERSION (...)");
    if rest != "unknown" {
        let (hash, date) = rest.split_once(' ').expect("HASH DATE");
        assert_eq!(hash.len(), 12, "{line}");
        assert!(hash.bytes().all(|b| b.is_ascii_hexdigit()), "{line}");
        assert!(
            date.len() == 10 && date.as_bytes().get(4) == Some(&b'-'),
            "{line}"
        );
    }
}

/// A completion script per shell, naming the commands and their flags.
#[test]
fn completions_for_bash_zsh_and_fish() {
    for shell in ["bash", "zsh", "fish"] {
        let out = charter(&["completions", shell], Path::new("."));
        assert!(out.status.success(), "{shell}: {}", stderr(&out));
        let script = stdout(&out);
        // fish spells a long option `-l target`.
        let flags = if shell == "fish" {
            ["-l target", "-l deny-warnings"]
        } else {
            ["--target", "--deny-warnings"]
        };
        for word in ["crosswalk", "completions"].into_iter().chain(flags) {
            assert!(script.contains(word), "{shell}: no {word}");
        }
    }
    let bad = charter(&["completions", "tcsh"], Path::new("."));
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("E9009"), "{}", stderr(&bad));
}

/// `charter man DIR` writes one page per command and subcommand, the same on every run;
/// `charter man` prints the main page.
#[test]
fn man_pages_per_command() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = charter(
        &["man", dir.path().to_str().expect("utf-8")],
        Path::new("."),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("read")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for page in [
        "charter.1",
        "charter-check.1",
        "charter-build.1",
        "charter-bundle-push.1",
        "charter-bundle-sign.1",
        "charter-man.1",
    ] {
        assert!(names.iter().any(|n| n == page), "{page} not in {names:?}");
    }
    let build = std::fs::read_to_string(dir.path().join("charter-build.1")).expect("page");
    assert!(build.starts_with(".ie \\n(.g .ds Aq"), "roff: {build}");
    assert!(build.contains(".TH charter-build 1"), "{build}");
    assert!(build.contains("\\-\\-target"), "{build}");
    // Deterministic: a second run writes the same bytes.
    let again = tempfile::tempdir().expect("tempdir");
    let out = charter(
        &["man", again.path().to_str().expect("utf-8")],
        Path::new("."),
    );
    assert!(out.status.success());
    for name in &names {
        assert_eq!(
            std::fs::read(dir.path().join(name)).expect("first"),
            std::fs::read(again.path().join(name)).expect("second"),
            "{name}"
        );
    }
    let main = charter(&["man"], Path::new("."));
    assert!(main.status.success());
    let main = stdout(&main);
    assert!(main.contains(".TH charter 1"), "{main}");
    assert!(main.contains("charter\\-check(1)"), "{main}");
}
