//! The server runs with mimalloc's purge delay at zero (`return_freed_memory_at_once` in
//! lib.rs): started without `MIMALLOC_PURGE_DELAY`, it executes itself again with it set; a
//! value the user set is kept. Read from the running process's environment (Linux `/proc`).
#![cfg(target_os = "linux")]
#![expect(clippy::expect_used, reason = "tests fail loudly")]

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The server's `MIMALLOC_PURGE_DELAY` once it runs, started with `delay` (or without it).
fn delay_seen(delay: Option<&str>) -> Option<String> {
    let mut command = Command::new(env!("CARGO_BIN_EXE_charter-lsp"));
    command
        .env_remove("MIMALLOC_PURGE_DELAY")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some(delay) = delay {
        command.env("MIMALLOC_PURGE_DELAY", delay);
    }
    let mut child = command.spawn().expect("charter-lsp starts");
    let environ = format!("/proc/{}/environ", child.id());
    let start = Instant::now();
    let mut seen = None;
    // The same process id after `exec`: read its environment until it holds the variable and
    // the server had time to execute itself again.
    while start.elapsed() < Duration::from_secs(5) {
        let bytes = std::fs::read(&environ).unwrap_or_default();
        seen = bytes
            .split(|b| *b == 0)
            .filter_map(|v| std::str::from_utf8(v).ok())
            .find_map(|v| v.strip_prefix("MIMALLOC_PURGE_DELAY="))
            .map(str::to_string);
        if seen.is_some() && start.elapsed() > Duration::from_millis(300) {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    seen
}

#[test]
fn the_server_runs_with_a_purge_delay_of_zero() {
    assert_eq!(delay_seen(None).as_deref(), Some("0"));
}

#[test]
fn a_purge_delay_the_user_set_is_kept() {
    assert_eq!(delay_seen(Some("250")).as_deref(), Some("250"));
}
