//! `charter crosswalk --diff OLD [PATH]`: the coverage change as Markdown against a folder and
//! against a git revision (a repository made in a temporary folder); a missing revision, a
//! folder that is not a workspace and an OLD that does not compile exit 2; `--fail-on-loss`
//! exits 1 when a requirement lost coverage.

#![expect(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

use std::path::Path;

mod support;
use support::{charter, git, stderr, stdout};

const MANIFEST: &str = "[package]\nname = \"t\"\nversion = \"0.1.0\"\n";

const CATALOGUE: &str = "package t\n\n\
    framework fw \"Demo framework\" {\n  \
      requirement \"R1\" \"Requirement one\" {}\n  \
      requirement \"R2\" \"Requirement two\" {}\n  \
      requirement \"R3\" \"Requirement three\" {}\n\
    }\n\n";

/// Writes a workspace with `controls` after the demo catalogue into `dir`.
fn write(dir: &Path, controls: &str) {
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(dir.join("charter.toml"), MANIFEST).unwrap();
    std::fs::write(dir.join("src/t.charter"), format!("{CATALOGUE}{controls}")).unwrap();
}

const BEFORE: &str = "control A-1 \"Ay\" {\n  satisfies fw.\"R1\", fw.\"R2\"\n  \
    evidence \"logs/a\" retained 1d\n}\n\n\
    control B-1 \"Bee\" {\n  satisfies fw.\"R2\"\n}\n";

const AFTER: &str = "control A-1 \"Ay\" {\n  satisfies fw.\"R1\", fw.\"R3\"\n  \
    evidence \"logs/a2\" retained 1d\n}\n\n\
    control C-1 \"Cee\" {\n  satisfies fw.\"R1\"\n}\n";

fn assert_after_diff(md: &str) {
    assert!(md.starts_with("## Compliance coverage changes\n"), "{md}");
    assert!(
        md.contains("**1 requirement gained coverage, 1 requirement lost coverage.**"),
        "{md}"
    );
    assert!(
        md.contains("| Demo framework (`fw`) | 2/3 | 2/3 | +1 | −1 |"),
        "{md}"
    );
    assert!(md.contains("| R2 | Requirement two |"), "{md}");
    assert!(md.contains("| R3 | Requirement three |"), "{md}");
    assert!(md.contains("### Controls added (1)"), "{md}");
    assert!(
        md.contains("| C-1 | Cee | fw R1 — Requirement one | — |"),
        "{md}"
    );
    assert!(md.contains("### Controls removed (1)"), "{md}");
    assert!(
        md.contains("| B-1 | Bee | fw R2 — Requirement two | — |"),
        "{md}"
    );
    assert!(
        md.contains("| A-1 | Ay | fw R3 — Requirement three | fw R2 — Requirement two |"),
        "{md}"
    );
    assert!(md.contains("| A-1 | Ay | logs/a2 | logs/a |"), "{md}");
}

#[test]
fn folder_old_prints_the_diff() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("old"), BEFORE);
    write(&dir.path().join("new"), AFTER);
    let out = charter(&["crosswalk", "--diff", "old", "new"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let md = stdout(&out);
    assert!(md.contains("Comparing `old` → `new`."), "{md}");
    assert_after_diff(&md);
    // The same again: deterministic.
    let again = charter(&["crosswalk", "--diff", "old", "new"], dir.path());
    assert_eq!(stdout(&again), md);
    // No change against itself.
    let same = charter(&["crosswalk", "--diff", "new", "new"], dir.path());
    assert_eq!(same.status.code(), Some(0));
    assert!(stdout(&same).contains("No change in compliance coverage."));
}

#[test]
fn fail_on_loss_exits_one_only_on_a_loss() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("old"), BEFORE);
    write(&dir.path().join("new"), AFTER);
    let out = charter(
        &["crosswalk", "--diff", "old", "new", "--fail-on-loss"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).contains("### Requirements that lost coverage (1)"));
    assert!(
        stderr(&out).contains("1 requirement(s) lost coverage"),
        "{}",
        stderr(&out)
    );
    // The other way round loses R3 (and gains R2): exit 1 too.
    let out = charter(
        &["crosswalk", "--diff", "new", "old", "--fail-on-loss"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    // Only gains: exit 0.
    write(
        &dir.path().join("more"),
        &format!("{AFTER}\ncontrol D-1 \"Dee\" {{\n  satisfies fw.\"R2\"\n}}\n"),
    );
    let out = charter(
        &["crosswalk", "--diff", "new", "more", "--fail-on-loss"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("1 requirement gained coverage, 0 requirements lost"));
}

#[test]
fn git_revision_old_is_extracted_from_the_repository() {
    let repo = tempfile::tempdir().unwrap();
    // The workspace is a sub-folder of the repository.
    let ws = repo.path().join("policy/ws");
    write(&ws, BEFORE);
    git(repo.path(), &["init", "-q"]);
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-q", "-m", "before"]);
    write(&ws, AFTER);
    let out = charter(&["crosswalk", "--diff", "HEAD"], &ws);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let md = stdout(&out);
    assert!(md.contains("Comparing `HEAD` → `.`."), "{md}");
    assert_after_diff(&md);
    // From the repository's top, with PATH, and a branch name.
    let out = charter(
        &["crosswalk", "--diff", "main", "policy/ws", "--fail-on-loss"],
        repo.path(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_after_diff(&stdout(&out));
    // After committing, HEAD is the same.
    git(repo.path(), &["commit", "-q", "-am", "after"]);
    let out = charter(&["crosswalk", "--diff", "HEAD"], &ws);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("No change in compliance coverage."));
    let out = charter(&["crosswalk", "--diff", "HEAD~1"], &ws);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_after_diff(&stdout(&out));
}

#[test]
fn a_missing_revision_exits_two() {
    let repo = tempfile::tempdir().unwrap();
    write(repo.path(), BEFORE);
    git(repo.path(), &["init", "-q"]);
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-q", "-m", "only"]);
    let out = charter(&["crosswalk", "--diff", "HEAD~5"], repo.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).is_empty());
    assert!(
        stderr(&out).contains("`HEAD~5` is neither a folder nor a git revision"),
        "{}",
        stderr(&out)
    );
    // A workspace outside any repository: the same error.
    let plain = tempfile::tempdir().unwrap();
    write(plain.path(), BEFORE);
    let out = charter(&["crosswalk", "--diff", "main"], plain.path());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("neither a folder nor a git revision"));
}

#[test]
fn a_revision_without_the_workspace_exits_two() {
    let repo = tempfile::tempdir().unwrap();
    std::fs::write(repo.path().join("README"), "x").unwrap();
    git(repo.path(), &["init", "-q"]);
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-q", "-m", "no workspace yet"]);
    let ws = repo.path().join("ws");
    write(&ws, AFTER);
    let out = charter(&["crosswalk", "--diff", "HEAD"], &ws);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("does not exist at revision `HEAD`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_folder_that_is_not_a_workspace_exits_two() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("new"), AFTER);
    std::fs::create_dir_all(dir.path().join("empty")).unwrap();
    let out = charter(&["crosswalk", "--diff", "empty", "new"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).is_empty());
    let err = stderr(&out);
    assert!(err.contains("E9001"), "{err}");
    assert!(
        err.contains("OLD (`empty`) is not a Charter workspace"),
        "{err}"
    );
}

#[test]
fn an_old_that_does_not_compile_prints_its_diagnostics_and_exits_two() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("old"),
        "control A-1 \"Ay\" {\n  satisfies fw.\"R9\"\n}\n",
    );
    write(&dir.path().join("new"), AFTER);
    let out = charter(&["crosswalk", "--diff", "old", "new"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).is_empty());
    let err = stderr(&out);
    assert!(err.contains("error["), "{err}");
    assert!(err.contains("R9"), "{err}");
    assert!(err.contains("OLD (`old`) does not compile"), "{err}");
}

#[test]
fn format_json_prints_the_diff_as_json() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("old"), BEFORE);
    write(&dir.path().join("new"), AFTER);
    let out = charter(
        &["crosswalk", "--diff", "old", "new", "--format", "json"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["version"], 1);
    assert_eq!(
        (doc["gained"].clone(), doc["lost"].clone()),
        (1.into(), 1.into())
    );
    let fw = &doc["frameworks"][0];
    assert_eq!(fw["framework"], "fw");
    assert_eq!(
        fw["before"],
        serde_json::json!({ "covered": 2, "total": 3 })
    );
    assert_eq!(fw["lost"][0]["id"], "R2");
    assert_eq!(fw["gained"][0]["id"], "R3");
    assert_eq!(doc["controls_added"][0]["id"], "C-1");
    assert_eq!(doc["controls_removed"][0]["id"], "B-1");
    assert_eq!(doc["remapped"][0]["id"], "A-1");
    assert_eq!(doc["evidence"][0]["added"][0], "logs/a2");
}
