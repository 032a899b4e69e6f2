//! `charter diff` and `charter changelog` end to end: `examples/summit` against the earlier
//! version kept in `tests/evolution/summit-v1` (snapshots of every format), `--against REV` in a
//! git repository made by the test, and the bad inputs (an unknown revision, a folder that is
//! not a workspace, an OLD that does not compile, an invalid `--today`, wrong arguments).

#![expect(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

use std::path::{Path, PathBuf};
use std::process::Command;

mod support;
use support::{charter, git, stderr, stdout};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

const OLD: &str = "tests/evolution/summit-v1";
const NEW: &str = "examples/summit";

fn diff(format: &str, today: &str) -> (i32, String) {
    let out = charter(
        &["diff", OLD, NEW, "--format", format, "--today", today],
        &repo(),
    );
    (out.status.code().unwrap(), stdout(&out))
}

#[test]
fn summit_diff_text() {
    let (code, text) = diff("text", "2026-11-29");
    assert_eq!(code, 0, "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn summit_diff_markdown() {
    let (code, text) = diff("markdown", "2026-11-29");
    assert_eq!(code, 0, "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn summit_diff_json() {
    let (code, text) = diff("json", "2026-11-29");
    assert_eq!(code, 0, "{text}");
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["allowed"], true);
    assert_eq!(value["required_bump"], "minor");
    insta::assert_snapshot!(text);
}

/// After the sunset of the audit CSV export, the report warns (W7150) but still allows.
#[test]
fn summit_calendar_warnings_after_sunset() {
    let (code, text) = diff("text", "2027-01-15");
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("warning[W7150]"), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn summit_calendar_markdown() {
    let out_dir = tempfile::tempdir().unwrap();
    let out = charter(
        &[
            "build",
            NEW,
            "--target",
            "calendar",
            "--out",
            out_dir.path().to_str().unwrap(),
        ],
        &repo(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let md = std::fs::read_to_string(out_dir.path().join("calendar/deprecations.md")).unwrap();
    insta::assert_snapshot!(md);
}

fn changelog(format: &str) -> String {
    let out = charter(
        &[
            "changelog",
            NEW,
            "--old",
            OLD,
            "--format",
            format,
            "--today",
            "2026-11-29",
        ],
        &repo(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out)
}

#[test]
fn summit_changelog_markdown() {
    let md = changelog("markdown");
    assert!(md.contains("## Service `summit.lineage.Lineage`"), "{md}");
    assert!(md.contains("use `events` instead"), "{md}");
    insta::assert_snapshot!(md);
}

#[test]
fn summit_changelog_json() {
    let text = changelog("json");
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["required_bump"], "minor");
    insta::assert_snapshot!(text);
}

#[test]
fn changelog_out_file_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("NOTES.md");
    let out = charter(
        &[
            "changelog",
            NEW,
            "--old",
            OLD,
            "--today",
            "2026-11-29",
            "--out",
            file.to_str().unwrap(),
        ],
        &repo(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(text, changelog("markdown"));
    // Nothing but the file is left in the folder.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

/// `--out` naming a pipe (or `/dev/stdout`, a device) writes into it instead of renaming a file
/// over it: the pipe is still a pipe afterwards and its reader gets the notes.
#[test]
fn changelog_out_to_a_pipe_is_written_in_place() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("notes.fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let out = charter(
        &[
            "changelog",
            NEW,
            "--old",
            OLD,
            "--today",
            "2026-11-29",
            "--out",
            fifo.to_str().unwrap(),
        ],
        &repo(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    // Checked before joining: had the pipe been replaced, its reader would wait for ever.
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    assert_eq!(reader.join().unwrap(), changelog("markdown"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
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

/// A repository whose first commit holds summit-v1 in `ws/`, and whose working tree holds the
/// current summit there.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    copy(&repo().join(OLD), &ws);
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "v1"]);
    std::fs::remove_dir_all(&ws).unwrap();
    copy(&repo().join(NEW), &ws);
    dir
}

#[test]
fn against_a_git_revision_equals_against_the_folder() {
    let dir = repository();
    let out = charter(
        &["diff", "ws", "--against", "HEAD", "--today", "2026-11-29"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), diff("text", "2026-11-29").1);
    let notes = charter(
        &[
            "changelog",
            "ws",
            "--against",
            "HEAD",
            "--today",
            "2026-11-29",
        ],
        dir.path(),
    );
    assert!(notes.status.success(), "{}", stderr(&notes));
    assert_eq!(stdout(&notes), changelog("markdown"));
}

#[test]
fn an_unknown_revision_is_a_clear_error() {
    let dir = repository();
    let out = charter(&["diff", "ws", "--against", "no-such-rev"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("`no-such-rev` is neither a folder nor a git revision"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_folder_that_is_not_a_workspace_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = charter(
        &[
            "diff",
            dir.path().to_str().unwrap(),
            NEW,
            "--today",
            "2026-11-29",
        ],
        &repo(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("E9001"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("is not a Charter workspace"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_old_version_that_does_not_compile_stops_with_its_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    copy(&repo().join(OLD), dir.path());
    let file = dir.path().join("src/platform/catalog.charter");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("tenant: string", "tenant: strnig")).unwrap();
    let out = charter(
        &[
            "diff",
            dir.path().to_str().unwrap(),
            NEW,
            "--today",
            "2026-11-29",
        ],
        &repo(),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("error[E1001]"), "{err}");
    assert!(
        err.contains("OLD") && err.contains("does not compile"),
        "{err}"
    );
    assert!(stdout(&out).is_empty(), "nothing is diffed");
}

#[test]
fn invalid_dates_and_arguments_are_usage_errors() {
    for args in [
        &["diff", OLD, NEW, "--today", "2027-02-30"][..],
        &["diff", OLD, NEW, "--today", "tomorrow"][..],
        &["diff", OLD][..],
        &["diff", OLD, NEW, "--against", "HEAD"][..],
        &["changelog", NEW][..],
        &["changelog", NEW, "--old", OLD, "--today", "2027-13-01"][..],
    ] {
        let out = charter(args, &repo());
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("error"), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn a_break_without_a_major_bump_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let new = dir.path().join("new");
    copy(&repo().join(NEW), &new);
    let file = new.join("src/platform/catalog.charter");
    let text = std::fs::read_to_string(&file).unwrap();
    // Drop an operation that was never deprecated.
    let start = text.find("  op delete_dataset").unwrap();
    let end = text[start..]
        .find("\n\n")
        .map_or(text.len() - 2, |i| start + i);
    let edited = format!("{}{}", &text[..start], &text[end..]);
    std::fs::write(&file, edited).unwrap();
    let out = charter(
        &[
            "diff",
            repo().join(NEW).to_str().unwrap(),
            new.to_str().unwrap(),
            "--today",
            "2026-11-29",
            "--format",
            "json",
        ],
        &repo(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let value: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(value["allowed"], false);
    let codes: Vec<&str> = value["diagnostics"]["diagnostics"]
        .as_array()
        .map(|a| a.iter().filter_map(|d| d["code"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        codes.contains(&"E7101") && codes.contains(&"E7102"),
        "{codes:?}"
    );
}

#[test]
fn explain_prints_change_kind_pages() {
    let out = charter(&["explain", "C2003"], &repo());
    assert!(out.status.success());
    assert!(stdout(&out).contains("enum-value-added-closed-response"));
    let out = charter(&["explain", "field-renamed"], &repo());
    assert!(stdout(&out).starts_with("# C1006: field-renamed"));
}

#[test]
fn an_approved_break_is_allowed_and_reported_with_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    let new = dir.path().join("new");
    copy(&repo().join(NEW), &new);
    let file = new.join("src/platform/catalog.charter");
    let text = std::fs::read_to_string(&file).unwrap();
    let anchor = "  /// The file format.\n  format: ExportFormat = parquet\n";
    assert!(text.contains(anchor));
    let edited = text.replace(
        anchor,
        &format!(
            "{anchor}  /// The ticket approving the export.\n  \
             @approved_breaking(\"every export needs a ticket from GA+30; clients were told in March\")\n  \
             ticket: string\n"
        ),
    );
    std::fs::write(&file, edited).unwrap();
    let args = |format: &'static str| {
        vec![
            "diff".to_string(),
            repo().join(NEW).display().to_string(),
            new.display().to_string(),
            "--today".into(),
            "2026-11-29".into(),
            "--format".into(),
            format.into(),
        ]
    };
    let run = |format: &'static str| {
        let a = args(format);
        let refs: Vec<&str> = a.iter().map(String::as_str).collect();
        charter(&refs, &repo())
    };
    let text = run("text");
    assert_eq!(text.status.code(), Some(0), "{}", stdout(&text));
    let out = stdout(&text);
    assert!(out.contains("breaking  C1001 field-added-required-request `summit.platform.ExportRequest.ticket` [request]"), "{out}");
    assert!(
        out.contains(
            "approved: \"every export needs a ticket from GA+30; clients were told in March\""
        ),
        "{out}"
    );
    assert!(out.contains("result: allowed"), "{out}");
    let json: serde_json::Value = serde_json::from_str(&stdout(&run("json"))).unwrap();
    assert_eq!(json["required_bump"], "major");
    assert_eq!(
        json["changes"][0]["approval"],
        "every export needs a ticket from GA+30; clients were told in March"
    );
    // Without the approval the same change is refused.
    let plain = std::fs::read_to_string(&file)
        .unwrap()
        .replace(
            "  @approved_breaking(\"every export needs a ticket from GA+30; clients were told in March\")\n",
            "",
        );
    std::fs::write(&file, plain).unwrap();
    let refused = run("text");
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stdout(&refused).contains("error[E7101]"),
        "{}",
        stdout(&refused)
    );
}

/// `--against` extracts the old revision into a temporary folder: it is removed when the
/// command ends, after a report and after an error alike (TMPDIR points at an empty folder).
#[test]
fn against_leaves_no_temporary_folder_behind() {
    let dir = repository();
    let tmp = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_charter"))
            .args(args)
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .env("TMPDIR", tmp.path())
            .output()
            .unwrap()
    };
    let leftovers = || std::fs::read_dir(tmp.path()).unwrap().count();
    // The extraction folder of a process that was killed (PIDs above 2^22 never run) is removed
    // by the next run; another program's folder is not.
    let killed = tmp.path().join("charter-rev-9999999-abc123");
    std::fs::create_dir_all(killed.join("src")).unwrap();
    let foreign = tmp.path().join("charter-notes");
    std::fs::create_dir_all(&foreign).unwrap();
    let out = run(&["diff", "ws", "--against", "HEAD", "--today", "2026-11-29"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!killed.exists(), "the killed run's folder is left");
    std::fs::remove_dir(&foreign).unwrap();
    for command in ["diff", "changelog"] {
        let out = run(&[command, "ws", "--against", "HEAD", "--today", "2026-11-29"]);
        assert!(out.status.success(), "{command}: {}", stderr(&out));
        assert_eq!(leftovers(), 0, "{command} left a temporary folder");
    }
    let out = run(&["crosswalk", "ws", "--diff", "HEAD"]);
    assert!(out.status.success(), "crosswalk: {}", stderr(&out));
    assert_eq!(leftovers(), 0, "crosswalk --diff left a temporary folder");
    // NEW does not compile: exit 2, and the extracted OLD is removed all the same.
    let file = dir.path().join("ws/src/platform/catalog.charter");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("tenant: string", "tenant: strnig")).unwrap();
    for command in ["diff", "changelog"] {
        let out = run(&[command, "ws", "--against", "HEAD"]);
        assert_eq!(out.status.code(), Some(2), "{command}: {}", stderr(&out));
        assert_eq!(leftovers(), 0, "{command} left a temporary folder");
    }
}
