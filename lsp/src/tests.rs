//! Host and snapshot behaviour without the protocol: buffers over disk, disk changes, and
//! cancellation of a read by a write.

use std::path::Path;

use super::host::Host;
use super::server::guarded;

const IDENTITY: &str = "package acme.identity\n\nentity User {\n  id: string\n}\n";

fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| unreachable!("{e}"));
    let root = dir.path();
    let write = |rel: &str, text: &str| {
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| unreachable!("{e}"));
        }
        std::fs::write(path, text).unwrap_or_else(|e| unreachable!("{e}"));
    };
    write(
        "charter.toml",
        "[package]\nname = \"acme\"\nversion = \"0.1.0\"\n",
    );
    write("identity/identity.charter", IDENTITY);
    dir
}

fn text_of(host: &Host, path: &Path) -> Option<String> {
    host.file(path).map(|f| f.file.text(&host.db).clone())
}

fn errors(host: &Host, root: usize) -> usize {
    let ws = host.roots.get(root).map(|r| r.ws);
    ws.map_or(0, |ws| {
        charter::semantics::diagnostics(&host.db, ws)
            .iter()
            .filter(|d| d.is_error())
            .count()
    })
}

#[test]
fn buffers_take_precedence_over_the_disk() {
    let dir = workspace();
    let root_dir = std::fs::canonicalize(dir.path()).unwrap_or_else(|e| unreachable!("{e}"));
    let mut host = Host::default();
    let root = host.load(&root_dir);
    let file = root_dir.join("identity/identity.charter");
    assert_eq!(text_of(&host, &file).as_deref(), Some(IDENTITY));
    assert_eq!(errors(&host, root), 0);
    // An open buffer with an error; the disk changes underneath: the buffer wins.
    let broken = IDENTITY.replace("string", "strin");
    assert_eq!(host.edit(&file, broken.clone(), 2), Some(root));
    assert_eq!(errors(&host, root), 1);
    std::fs::write(&file, IDENTITY.replace("id:", "key:")).unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(host.disk_changed(&file), None);
    assert_eq!(text_of(&host, &file), Some(broken.clone()));
    // A stale version is ignored.
    assert_eq!(host.edit(&file, IDENTITY.to_string(), 1), None);
    assert_eq!(text_of(&host, &file), Some(broken));
    // Closing goes back to the disk.
    host.close(&file);
    assert_eq!(text_of(&host, &file), Some(IDENTITY.replace("id:", "key:")));
    assert_eq!(errors(&host, root), 0);
}

#[test]
fn files_created_and_deleted_on_disk() {
    let dir = workspace();
    let root_dir = std::fs::canonicalize(dir.path()).unwrap_or_else(|e| unreachable!("{e}"));
    let mut host = Host::default();
    let root = host.load(&root_dir);
    let extra = root_dir.join("identity/extra.charter");
    std::fs::write(&extra, "package acme.identity\n\nrecord R { u: Usr }\n")
        .unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(host.disk_changed(&extra), Some(root));
    assert!(text_of(&host, &extra).is_some());
    assert_eq!(errors(&host, root), 1);
    std::fs::remove_file(&extra).unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(host.disk_changed(&extra), Some(root));
    assert!(text_of(&host, &extra).is_none());
    assert_eq!(errors(&host, root), 0);
    // A file outside any workspace gets a loose one of its own.
    let outside = tempfile::tempdir().unwrap_or_else(|e| unreachable!("{e}"));
    let loose = std::fs::canonicalize(outside.path())
        .unwrap_or_else(|e| unreachable!("{e}"))
        .join("x.charter");
    let other = host.edit(&loose, "package x\n".to_string(), 1);
    assert!(other.is_some_and(|r| r != root));
}

/// Loading from disk reads only regular files inside the workspace (docs/output.md): a link
/// out of it and a FIFO are refused with E9007, never read; a link changed on disk to point out
/// of the workspace drops the file.
#[cfg(unix)]
#[test]
fn links_out_of_the_workspace_and_fifos_are_not_read() {
    let dir = workspace();
    let root_dir = std::fs::canonicalize(dir.path()).unwrap_or_else(|e| unreachable!("{e}"));
    let secret = tempfile::tempdir().unwrap_or_else(|e| unreachable!("{e}"));
    let secret_file = secret.path().join("secret.charter");
    std::fs::write(&secret_file, "package acme.identity\n// hunter2\n")
        .unwrap_or_else(|e| unreachable!("{e}"));
    let leak = root_dir.join("identity/leak.charter");
    std::os::unix::fs::symlink(&secret_file, &leak).unwrap_or_else(|e| unreachable!("{e}"));
    let fifo = root_dir.join("identity/fifo.charter");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()));
    let mut host = Host::default();
    let root = host.load(&root_dir);
    assert!(text_of(&host, &leak).is_none());
    assert!(text_of(&host, &fifo).is_none());
    let ws = host.roots.get(root).map(|r| r.ws);
    let codes: Vec<String> = ws.map_or(Vec::new(), |ws| {
        charter::semantics::diagnostics(&host.db, ws)
            .iter()
            .map(|d| format!("{} {}", d.code.as_str(), d.message))
            .collect()
    });
    assert_eq!(codes.len(), 2, "{codes:?}");
    assert!(
        codes
            .iter()
            .all(|c| c.starts_with("E9007") && !c.contains("hunter2")),
        "{codes:?}"
    );
    // A watched file that becomes a link out of the workspace is dropped, not read.
    let file = root_dir.join("identity/identity.charter");
    std::fs::remove_file(&file).unwrap_or_else(|e| unreachable!("{e}"));
    std::os::unix::fs::symlink(&secret_file, &file).unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(host.disk_changed(&file), Some(root));
    assert!(text_of(&host, &file).is_none());
}

#[test]
fn a_write_cancels_a_read_on_a_snapshot() {
    let dir = workspace();
    let root_dir = std::fs::canonicalize(dir.path()).unwrap_or_else(|e| unreachable!("{e}"));
    let mut host = Host::default();
    let root = host.load(&root_dir);
    let file = root_dir.join("identity/identity.charter");
    let Some(at) = host.file(&file) else {
        unreachable!("loaded")
    };
    let snapshot = host.db.clone();
    let (started_tx, started_rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        guarded(move || {
            // Keep asking until the pending write cancels us.
            let mut first = true;
            loop {
                let _ = charter::semantics::diagnostics(&snapshot, at.ws);
                if first {
                    let _ = started_tx.send(());
                    first = false;
                }
                std::thread::yield_now();
            }
        })
    });
    let _ = started_rx.recv();
    // The write waits for the reader's snapshot to be dropped, which cancellation causes.
    assert_eq!(
        host.edit(&file, IDENTITY.replace("id", "key"), 5),
        Some(root)
    );
    let answer: Result<(), _> = reader.join().unwrap_or_else(|_| unreachable!("joined"));
    let error = answer
        .err()
        .unwrap_or_else(|| unreachable!("the read was not cancelled"));
    assert_eq!(
        error.code,
        tower_lsp_server::jsonrpc::ErrorCode::ContentModified
    );
    assert_eq!(error.code.code(), -32801);
}

/// The `.charter` files under `dir`, with paths relative to `base` (`/`-separated).
fn charter_files(base: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| unreachable!("{e}"))
        .map(|e| e.unwrap_or_else(|e| unreachable!("{e}")).path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            charter_files(base, &path, out);
        } else if path.extension().is_some_and(|e| e == "charter") {
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| unreachable!("{e}"));
            out.push((crate::workspace::relative(base, &path), text));
        }
    }
}

/// The language server publishes per file from `file_diagnostics` and `workspace_checks`
/// without assembling `diagnostics`: on every case of the compiler's corpus (syntax errors,
/// duplicates across files, folder packages, import cycles, E2014, ...), each file's list is
/// exactly its part of `diagnostics`, in the same order, and the list an edited file gets
/// before the others is that too.
#[test]
fn per_file_lists_are_the_workspace_diagnostics_split_by_file() {
    use charter::diagnostics::Diagnostic;
    use std::collections::BTreeMap;

    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../compiler/tests/corpus");
    let mut cases: Vec<std::path::PathBuf> = std::fs::read_dir(&corpus)
        .unwrap_or_else(|e| unreachable!("{e}"))
        .map(|e| e.unwrap_or_else(|e| unreachable!("{e}")).path())
        .filter(|p| p.is_dir() || p.extension().is_some_and(|e| e == "charter"))
        .collect();
    cases.sort();
    assert!(cases.len() > 100, "{}", cases.len());
    let mut codes = std::collections::BTreeSet::new();
    for case in cases {
        let mut files = Vec::new();
        if case.is_dir() {
            charter_files(&case, &case, &mut files);
        } else {
            let text = std::fs::read_to_string(&case).unwrap_or_else(|e| unreachable!("{e}"));
            files.push(("case.charter".to_string(), text));
        }
        let sources: Vec<(&str, &str)> = files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        let db = charter::db::Database::default();
        let ws = charter::workspace::from_sources(&db, &sources);
        let mut expected: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
        for d in charter::semantics::diagnostics(&db, ws) {
            if !d.primary.file.starts_with(charter::stdlib::STD_PREFIX) {
                expected.entry(d.primary.file.as_str()).or_default().push(d);
                codes.insert(d.code.as_str());
            }
        }
        let (lists, other) = crate::diagnostics::gather(&db, ws);
        let mut split: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
        for list in &lists {
            if !list.list.is_empty() {
                split.insert(list.path, list.list.clone());
            }
        }
        for (path, list) in &other {
            split.insert(*path, list.clone());
        }
        assert_eq!(split, expected, "{}", case.display());
        for list in &lists {
            let early = crate::diagnostics::early_list(&db, ws, list.file);
            assert_eq!(early, list.list, "{} {}", case.display(), list.path);
        }
    }
    for code in ["E0001", "E1001", "E1006", "E1008", "E2014"] {
        assert!(codes.contains(code), "no {code} in the corpus");
    }
}
