//! One hostile workspace (a copy of `examples/summit` whose titles, notes and subsystem hold
//! HTML, table-breaking `|`, backticks, line-break escapes and spreadsheet formulas) through every
//! Markdown and CSV output: no output carries the HTML, every table keeps its columns, and no CSV
//! cell starts a formula (docs/output.md).

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

use std::path::{Path, PathBuf};

mod support;
use support::{charter, stderr, stdout};

const HOSTILE: &str = "=cmd|' /C calc'!A0 <script>alert(1)</script> `x` & <img src=x>";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            if path.file_name().unwrap() != "out" {
                copy(&path, &target);
            }
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

fn replace(file: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(file).unwrap();
    assert!(text.contains(from), "{} lacks {from}", file.display());
    std::fs::write(file, text.replacen(from, to, 1)).unwrap();
}

/// A hostile copy of summit in `dir/ws`.
fn hostile(dir: &Path) -> PathBuf {
    let ws = dir.join("ws");
    copy(&repo().join("examples/summit"), &ws);
    let src = ws.join("src");
    replace(
        &src.join("compliance/governance.charter"),
        "\"Policy decision on every data-plane request\"",
        &format!("\"{HOSTILE}\""),
    );
    replace(
        &src.join("compliance/threats.charter"),
        "\"Compromised dependency in the build pipeline\"",
        &format!("\"{HOSTILE} | threat\\nsecond line\""),
    );
    replace(
        &src.join("compliance/threats.charter"),
        "subsystem \"ci\"",
        "subsystem \"<b>ci</b> | x\"",
    );
    replace(
        &src.join("platform/audit.charter"),
        "note: \"returned only by export_csv\"",
        &format!("note: \"{HOSTILE} | note\""),
    );
    ws
}

/// Every table of a Markdown text keeps the column count of its header row (pipes escaped as
/// `\|` do not count).
fn assert_tables_intact(name: &str, md: &str) {
    let columns = |line: &str| {
        let mut count = 0;
        let mut escaped = false;
        for c in line.chars() {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '|' {
                count += 1;
            }
        }
        count
    };
    let mut header = None;
    for line in md.lines() {
        if line.starts_with('|') {
            let n = columns(line);
            let expected = *header.get_or_insert(n);
            assert_eq!(n, expected, "{name}: a row breaks its table: {line}");
        } else {
            header = None;
        }
    }
}

/// `md` without its code spans (where `<script>` is shown as text, never run).
fn outside_code(md: &str) -> String {
    let chars: Vec<char> = md.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '\\' {
            out.push(chars[i]);
            if let Some(&next) = chars.get(i + 1) {
                out.push(next);
            }
            i += 2;
            continue;
        }
        if chars[i] == '`' {
            let run = chars[i..].iter().take_while(|&&c| c == '`').count();
            let fence: String = "`".repeat(run);
            let rest: String = chars[i + run..].iter().collect();
            if let Some(end) = rest.find(&fence) {
                i += run + rest[..end].chars().count() + run;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

fn assert_safe_markdown(name: &str, md: &str) {
    let text = outside_code(md);
    for raw in ["<script", "<img", "<b>"] {
        let unescaped = text
            .match_indices(raw)
            .any(|(i, _)| !text[..i].ends_with('\\'));
        assert!(!unescaped, "{name} carries `{raw}` unescaped:\n{md}");
    }
    assert_tables_intact(name, md);
}

#[test]
fn no_markdown_or_csv_output_carries_the_attack() {
    let dir = tempfile::tempdir().unwrap();
    let ws = hostile(dir.path());
    let out = charter(
        &[
            "build",
            "ws",
            "--target",
            "crosswalk,threats,calendar,evidence",
            "--out",
            "out",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let outputs = [
        "crosswalk/crosswalk.md",
        "threats/threats.md",
        "calendar/deprecations.md",
        "evidence/COMPLIANCE_EVIDENCE_INDEX.md",
    ];
    for file in outputs {
        let md = std::fs::read_to_string(dir.path().join("out").join(file)).unwrap();
        assert!(
            md.contains("\\<script\\>"),
            "{file} lost the hostile text:\n{md}"
        );
        assert_safe_markdown(file, &md);
    }
    let csv = std::fs::read_to_string(dir.path().join("out/crosswalk/crosswalk.csv")).unwrap();
    assert!(csv.contains("'=cmd|' /C calc'!A0"), "{csv}");
    for line in csv.lines() {
        for start in [",=", ",\"=", ",+", ",\"+", ",@", ",\"@", ",-", ",\"-"] {
            assert!(!line.contains(start), "a cell starts a formula: {line}");
        }
    }
    // Release notes and the Markdown diff report against the earlier summit.
    let old = repo().join("tests/evolution/summit-v1");
    let old = old.to_str().unwrap();
    let notes = charter(
        &["changelog", "ws", "--old", old, "--today", "2026-11-29"],
        dir.path(),
    );
    assert!(notes.status.success(), "{}", stderr(&notes));
    assert!(
        stdout(&notes).contains("\\<script\\>"),
        "{}",
        stdout(&notes)
    );
    assert_safe_markdown("changelog", &stdout(&notes));
    let report = charter(
        &[
            "diff",
            old,
            "ws",
            "--format",
            "markdown",
            "--today",
            "2026-11-29",
        ],
        dir.path(),
    );
    assert_safe_markdown("diff --format markdown", &stdout(&report));
    drop(ws);
}

/// Trojan Source: a bidirectional control in a string is E0008, the diagnostic never echoes
/// the character, and nothing is built from such a source.
#[test]
fn bidirectional_controls_are_refused_and_never_echoed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("charter.toml"),
        "[package]\nname = \"t\"\nversion = \"0.1.0\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("a.charter"),
        "package t\n\nentity User { id: string }\naction read on User by User\n\n\
         policy p on User by User default deny \"no\" {\n  \
         allow self when subject.id == resource.id because \"self \u{202E} \u{2066}x\"\n}\n",
    )
    .unwrap();
    let out = charter(&["check", "."], dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stderr(&out);
    assert!(
        text.contains("error[E0008]: bidirectional control character U+202E"),
        "{text}"
    );
    assert!(text.contains("U+2066"), "{text}");
    assert!(
        !text.contains('\u{202E}') && !text.contains('\u{2066}'),
        "{text}"
    );
    let out = charter(&["build", ".", "--target", "rego"], dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(!dir.path().join("out").exists());
}

/// A document holding a bidirectional control cannot become Charter source: `import` says where
/// (E0008) and writes nothing, instead of reporting a bug in the importer.
#[test]
fn import_refuses_a_document_with_bidirectional_controls() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("api.yaml"),
        "openapi: 3.1.0\ninfo: {title: Pets, version: 1.0.0}\npaths: {}\ncomponents:\n  \
         schemas:\n    Pet:\n      description: \"evil \u{202E} txt\"\n      type: object\n",
    )
    .unwrap();
    let out = charter(
        &["import", "openapi", "api.yaml", "--out", "ws"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stderr(&out);
    assert!(text.contains("error[E0008]"), "{text}");
    assert!(text.contains("api.yaml:7:26"), "{text}");
    assert!(!text.contains('\u{202E}'), "{text}");
    assert!(!dir.path().join("ws").exists());
}

/// A file name holding a bidirectional control: diagnostics name the file without echoing the
/// character (text: U+FFFD; JSON and SARIF: a `\u` escape, the same JSON string).
#[cfg(unix)]
#[test]
fn diagnostics_never_echo_a_bidirectional_control_in_a_file_name() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("charter.toml"),
        "[package]\nname = \"t\"\nversion = \"0.1.0\"\n",
    )
    .unwrap();
    let name = "evil\u{202E}txt.charter";
    std::fs::write(dir.path().join(name), "package t\nrecord R { x: Strng }\n").unwrap();
    let out = charter(&["check", "."], dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("E1001"), "{}", stderr(&out));
    assert!(!stderr(&out).contains('\u{202E}'), "{}", stderr(&out));
    for format in ["json", "sarif"] {
        let out = charter(&["check", ".", "--format", format], dir.path());
        let text = stdout(&out);
        assert!(!text.contains('\u{202E}'), "{format}: {text}");
        assert!(text.contains("\\u202e"), "{format}: {text}");
        let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert!(doc.to_string().contains(name), "{format}: {doc}");
    }
}
