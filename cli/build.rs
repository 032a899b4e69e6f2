//! The commit `charter --version` names: `CHARTER_COMMIT` (12 hex digits and the commit date,
//! `1e3965f2a1b3 2026-12-07`), read from git when the crate is built inside a git checkout, else
//! `unknown` (a crate downloaded from a registry, a source tarball, no git on the machine). The
//! value depends only on the commit, never on the time of the build or the state of the work
//! tree, so two builds of one commit print the same line. `CHARTER_COMMIT` set in the build's
//! environment wins (a packager building from an exported tree that knows its commit).

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=CHARTER_COMMIT");
    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let commit = match std::env::var("CHARTER_COMMIT") {
        Ok(given) if !given.trim().is_empty() => given.trim().to_string(),
        _ => from_git(&dir).unwrap_or_else(|| "unknown".to_string()),
    };
    println!("cargo:rustc-env=CHARTER_COMMIT={commit}");
}

/// `HASH DATE` of `HEAD`, and the files whose change means another commit (so cargo runs this
/// again after a commit or a checkout, and only then).
fn from_git(dir: &Path) -> Option<String> {
    // Only this project's own checkout: a copy of the crate inside another repository (vendored)
    // is not built from that repository's commit.
    if git(dir, &["rev-parse", "--show-prefix"]).as_deref() != Some("cli/") {
        return None;
    }
    let line = git(dir, &["log", "-1", "--format=%H %cs"])?;
    let (hash, date) = line.split_once(' ')?;
    let short = hash.get(..12)?;
    for file in ["HEAD", "packed-refs"] {
        watch(dir, file);
    }
    if let Some(reference) = git(dir, &["symbolic-ref", "-q", "HEAD"]) {
        watch(dir, &reference);
    }
    Some(format!("{short} {date}"))
}

fn watch(dir: &Path, name: &str) {
    if let Some(path) = git(
        dir,
        &["rev-parse", "--path-format=absolute", "--git-path", name],
    ) {
        // A file that does not exist would make cargo run this script on every build.
        if Path::new(&path).exists() {
            println!("cargo:rerun-if-changed={path}");
        }
    }
}

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    (output.status.success() && !text.trim().is_empty()).then(|| text.trim().to_string())
}
