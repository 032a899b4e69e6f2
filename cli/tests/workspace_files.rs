//! Source discovery reads only regular files inside the workspace (docs/output.md): a link out
//! of it, a FIFO, a device and a folder link loop are refused with E9007 and never read (their
//! content never printed); the size limit holds while reading.

#![cfg(unix)]
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod support;
use support::{charter, stderr};

const MANIFEST: &[u8] = b"[package]\nname = \"t\"\nversion = \"0.1.0\"\n";
const GOOD: &[u8] = b"package t\n\nrecord R { id: string }\n";

fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("charter.toml"), MANIFEST).unwrap();
    std::fs::create_dir_all(dir.path().join("src")).unwrap();
    std::fs::write(dir.path().join("src/a.charter"), GOOD).unwrap();
    dir
}

/// Runs `charter check .` in `dir`, killed after 20 s (a hang fails the test instead of
/// hanging it).
fn check(dir: &Path) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_charter"))
        .args(["check", "."])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(20) {
            child.kill().unwrap();
            panic!("charter check hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    (out.status.code(), stderr(&out))
}

#[test]
fn a_link_out_of_the_workspace_is_refused_and_not_printed() {
    let secret = tempfile::tempdir().unwrap();
    std::fs::write(
        secret.path().join("secret.txt"),
        b"package t\nTOKEN=hunter2-secret\n",
    )
    .unwrap();
    let ws = workspace();
    symlink(
        secret.path().join("secret.txt"),
        ws.path().join("src/leak.charter"),
    )
    .unwrap();
    symlink("/proc/self/environ", ws.path().join("src/env.charter")).unwrap();
    symlink(secret.path(), ws.path().join("src/outside")).unwrap();
    let (code, text) = check(ws.path());
    assert_eq!(code, Some(1), "{text}");
    assert!(!text.contains("hunter2"), "{text}");
    assert!(!text.contains("PATH="), "{text}");
    assert!(
        text.contains(
            "error[E9007]: `src/leak.charter` is a symbolic link leading out of the workspace"
        ),
        "{text}"
    );
    assert!(text.contains("error[E9007]: `src/env.charter`"), "{text}");
    assert!(text.contains("error[E9007]: `src/outside`"), "{text}");
}

#[test]
fn a_link_inside_the_workspace_is_followed_once() {
    let ws = workspace();
    std::fs::create_dir_all(ws.path().join("shared")).unwrap();
    std::fs::write(
        ws.path().join("shared/b.charter"),
        b"package t\n\nrecord S { id: string }\n",
    )
    .unwrap();
    std::fs::write(
        ws.path().join("charter.toml"),
        [MANIFEST, b"[build]\nsources = [\"src\"]\n"].concat(),
    )
    .unwrap();
    symlink(
        ws.path().join("shared/b.charter"),
        ws.path().join("src/b.charter"),
    )
    .unwrap();
    // A folder link to a sibling folder is followed; a link back to a parent is a loop.
    symlink(ws.path().join("src"), ws.path().join("src/again")).unwrap();
    let (code, text) = check(ws.path());
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains(
            "error[E9007]: `src/again` is a symbolic link to a folder holding it (a loop)"
        ),
        "{text}"
    );
    assert!(!text.contains("E1002"), "no duplicate declarations: {text}");
    assert_eq!(text.matches("error[").count(), 1, "{text}");
    std::fs::remove_file(ws.path().join("src/again")).unwrap();
    let (code, text) = check(ws.path());
    assert_eq!(code, Some(0), "{text}");
}

#[test]
fn a_fifo_and_a_device_are_refused_without_hanging() {
    let ws = workspace();
    let fifo = ws.path().join("src/fifo.charter");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    symlink("/dev/zero", ws.path().join("src/zero.charter")).unwrap();
    let (code, text) = check(ws.path());
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("error[E9007]: `src/fifo.charter` is a FIFO"),
        "{text}"
    );
    assert!(text.contains("error[E9007]: `src/zero.charter`"), "{text}");
}

#[test]
fn the_size_limit_holds_while_reading() {
    // A device inside the workspace would be refused as not regular: the limit is checked on
    // a regular file of 32 MiB + 1 byte, sparse, so cheap.
    let ws = workspace();
    let big = std::fs::File::create(ws.path().join("src/big.charter")).unwrap();
    big.set_len(32 * 1024 * 1024 + 1).unwrap();
    let (code, text) = check(ws.path());
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("error[E9004]"), "{text}");
    // `fmt` reads by the same rules.
    let out = charter(&["fmt", "--check", "src"], ws.path());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("E9004"), "{}", stderr(&out));
}

/// `import` and `drift` read the document the user names: a regular file or a pipe
/// (`<(curl …)`), never a device, whose endless content the size limit would stop anyway.
#[test]
fn import_refuses_a_device_and_reads_a_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let start = Instant::now();
    let out = charter(
        &["import", "openapi", "/dev/zero", "--out", "ws"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("E9007"), "{}", stderr(&out));
    assert!(start.elapsed() < Duration::from_secs(20));
    let fifo = dir.path().join("api.yaml");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let writer = std::thread::spawn(move || {
        std::fs::write(
            fifo,
            "openapi: 3.1.0\ninfo: {title: Pets, version: 1.0.0}\npaths: {}\n\
             components:\n  schemas:\n    Pet:\n      type: object\n      \
             properties:\n        name: {type: string}\n",
        )
        .unwrap();
    });
    let out = charter(
        &["import", "openapi", "api.yaml", "--out", "ws"],
        dir.path(),
    );
    writer.join().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(dir.path().join("ws/charter.toml").is_file());
}

#[test]
fn a_manifest_linked_out_of_the_workspace_is_not_read() {
    let secret = tempfile::tempdir().unwrap();
    std::fs::write(
        secret.path().join("config.toml"),
        b"[package]\nname = \"hunter2-secret\"\n",
    )
    .unwrap();
    let ws = workspace();
    std::fs::remove_file(ws.path().join("charter.toml")).unwrap();
    symlink(
        secret.path().join("config.toml"),
        ws.path().join("charter.toml"),
    )
    .unwrap();
    let (code, text) = check(ws.path());
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("error[E9007]: `charter.toml`"), "{text}");
    assert!(!text.contains("hunter2"), "{text}");
}

/// `fmt` formats a linked source (its target inside the workspace) in place of its target and
/// keeps the link; a link out of the workspace is refused, not formatted.
#[test]
fn fmt_keeps_links_and_refuses_links_out() {
    let ws = workspace();
    std::fs::create_dir_all(ws.path().join("shared")).unwrap();
    std::fs::write(
        ws.path().join("shared/b.charter"),
        b"package t\nrecord   S {  id: string }\n",
    )
    .unwrap();
    symlink(
        ws.path().join("shared/b.charter"),
        ws.path().join("src/b.charter"),
    )
    .unwrap();
    let out = charter(&["fmt", "src"], ws.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let link = std::fs::symlink_metadata(ws.path().join("src/b.charter")).unwrap();
    assert!(link.is_symlink(), "the link was replaced by a file");
    let formatted = std::fs::read_to_string(ws.path().join("shared/b.charter")).unwrap();
    assert!(formatted.contains("record S {"), "{formatted}");
    let secret = tempfile::tempdir().unwrap();
    std::fs::write(secret.path().join("x.charter"), b"package   x\n").unwrap();
    symlink(
        secret.path().join("x.charter"),
        ws.path().join("src/x.charter"),
    )
    .unwrap();
    let out = charter(&["fmt", "src"], ws.path());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("E9007"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read(secret.path().join("x.charter")).unwrap(),
        b"package   x\n"
    );
}
