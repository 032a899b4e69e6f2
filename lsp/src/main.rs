//! The `charter-lsp` binary: the Charter language server over stdio.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    charter_lsp::main_with_args(&args)
}
