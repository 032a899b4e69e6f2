//! Helpers shared by the binary's end-to-end tests (each test crate uses a subset).

#![allow(dead_code, reason = "each test crate uses a subset")]

use std::path::Path;
use std::process::{Command, Output};

/// Runs the real `charter` binary in `dir`, without colours.
pub fn charter(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_charter"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run charter")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
