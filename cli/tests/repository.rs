//! The repository itself: no tracked file holds an absolute path of one machine (a home, a
//! scratch or a checkout folder), so the tests pass on any fresh clone in any folder.
//! `tests/run` runs the same check with `git grep`.

#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The tracked files (`git ls-files`), or every file but build and tool folders when the
/// repository is not a git checkout.
fn files(root: &Path) -> Vec<PathBuf> {
    let listed = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["ls-files", "-z"])
        .output();
    if let Ok(out) = listed
        && out.status.success()
    {
        return out
            .stdout
            .split(|b| *b == 0)
            .filter(|p| !p.is_empty())
            .map(|p| root.join(String::from_utf8_lossy(p).as_ref()))
            .collect();
    }
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let name = entry.file_name();
            let skip = [".git", "target", "node_modules", ".tools", "out"];
            if skip.iter().any(|s| name == *s) {
                continue;
            }
            let t = entry.file_type().unwrap();
            if t.is_dir() {
                walk(&entry.path(), out);
            } else if t.is_file() {
                out.push(entry.path());
            }
        }
    }
    let mut out = Vec::new();
    walk(root, &mut out);
    out
}

#[test]
fn no_tracked_file_holds_an_absolute_machine_path() {
    let root = repo();
    // Built from parts so that this file does not hold them.
    let folders: Vec<String> = ["work", "home", "root", "tmp", "Users"]
        .iter()
        .map(|d| format!("/{d}/"))
        .collect();
    let mut found = Vec::new();
    for file in files(&root) {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue; // binary, or removed from the work tree
        };
        for (n, line) in text.lines().enumerate() {
            for folder in &folders {
                let hit = line.match_indices(folder.as_str()).any(|(i, _)| {
                    // The same name inside a longer, relative path does not count.
                    !line[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '.')
                });
                if hit {
                    let rel = file
                        .strip_prefix(&root)
                        .unwrap_or(&file)
                        .display()
                        .to_string();
                    found.push(format!("{rel}:{}: {}", n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "absolute paths of a machine in the repository:\n{}",
        found.join("\n")
    );
}
