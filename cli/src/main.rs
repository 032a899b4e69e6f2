//! The `charter` command line: the only place (with the LSP) that touches files and terminals.

mod cli;

use std::process::ExitCode;

/// mimalloc instead of glibc's allocator: a third of `charter check`'s CPU went to the kernel
/// growing glibc's per-thread heaps (page faults, `mprotect`); see docs/benchmarks.md, issue 21.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    cli::run()
}
