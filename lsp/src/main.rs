//! The `charter-lsp` binary: the Charter language server over stdio.

use std::process::ExitCode;

/// mimalloc, as the `charter` binary (docs/benchmarks.md, issue 21).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    charter_lsp::main_with_args(&args)
}
