//! Helpers shared by the integration tests (each test crate uses its own subset).

#![allow(
    clippy::allow_attributes,
    dead_code,
    clippy::disallowed_methods,
    reason = "shared by several test crates, each of which uses a subset: `expect` would be unfulfilled in some; tests read fixtures"
)]

use std::path::Path;

/// Every `.charter` file under `root`, as (path relative to `root` with `/`, text), sorted.
pub fn charter_files(root: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read folder") {
            let path = entry.expect("folder entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "charter") {
                let rel = path
                    .strip_prefix(root)
                    .expect("inside root")
                    .to_string_lossy()
                    .replace('\\', "/");
                files.push((rel, std::fs::read_to_string(&path).expect("read file")));
            }
        }
    }
    files.sort();
    files
}

/// The folder of a bundled example.
pub fn example(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(name)
}
