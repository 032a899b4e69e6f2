//! The `charter` command line: the only place (with the LSP) that touches files and terminals.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::run()
}
