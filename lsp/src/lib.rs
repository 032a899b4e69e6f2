//! `charter-lsp`: the Charter language server, over stdio. The editor logic is
//! [`charter::ide`]; this crate holds the protocol, the host/snapshot database handling, the
//! debounced diagnostics and logging. See `docs/lsp.md`.
//!
//! Nothing here writes to stdout except the protocol itself: logs go to stderr or
//! `--log-file`.

mod convert;
mod diagnostics;
pub mod disk;
mod features;
mod host;
pub mod log;
mod server;
mod snapshot;
#[cfg(test)]
mod tests;
pub mod workspace;

use std::path::PathBuf;
use std::process::ExitCode;

pub use server::Server;

/// Command-line options of `charter-lsp` (and `charter lsp`).
#[derive(Debug, Default, Clone)]
pub struct Options {
    /// Append logs to this file instead of stderr.
    pub log_file: Option<PathBuf>,
}

pub const USAGE: &str = "usage: charter-lsp [--stdio] [--log-file PATH] | --version\n\nThe Charter language server: speaks the Language Server Protocol on stdin/stdout.\n";

/// Parses the arguments after the program name.
pub fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut options = Options::default();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--stdio" => {}
            "--log-file" => {
                let path = it.next().ok_or("--log-file needs a path")?;
                options.log_file = Some(PathBuf::from(path));
            }
            other => {
                if let Some(path) = other.strip_prefix("--log-file=") {
                    options.log_file = Some(PathBuf::from(path));
                } else {
                    return Err(format!("unknown argument `{other}`"));
                }
            }
        }
    }
    Ok(options)
}

/// Runs the server on stdin/stdout until the client exits.
pub fn run(options: &Options) -> ExitCode {
    return_freed_memory_at_once();
    if let Err(error) = log::init(options.log_file.as_deref()) {
        eprintln!("error: cannot open the log file: {error}");
        return ExitCode::from(2);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .worker_threads(2)
        .build()
    {
        Ok(rt) => rt,
        Err(error) => {
            eprintln!("error: cannot start the runtime: {error}");
            return ExitCode::from(2);
        }
    };
    runtime.block_on(async {
        let stdin = tokio::io::stdin();
        let stdout = tokio::io::stdout();
        let (service, socket) = tower_lsp_server::LspService::new(Server::new);
        tower_lsp_server::Server::new(stdin, stdout, socket)
            .serve(service)
            .await;
    });
    log::info("server stopped");
    // Queries still running on blocking threads are not waited for.
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    ExitCode::SUCCESS
}

/// `main` of both binaries: parses `args` (after the program name) and runs.
pub fn main_with_args(args: &[String]) -> ExitCode {
    if args.iter().any(|a| a == "--help" || a == "-h") {
        eprint!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    if args.iter().any(|a| a == "--version" || a == "-V") {
        // Standard output is the protocol's only when serving; here it is the answer.
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stdout(),
            "charter-lsp {}",
            env!("CARGO_PKG_VERSION")
        );
        return ExitCode::SUCCESS;
    }
    match parse_args(args) {
        Ok(options) => run(&options),
        Err(error) => {
            eprint!("error: {error}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// The variable by which mimalloc (the global allocator of `charter` and `charter-lsp`) reads how
/// long freed pages wait before they are returned to the system.
const PURGE_DELAY: &str = "MIMALLOC_PURGE_DELAY";

/// mimalloc returns freed pages to the system only when a later allocation or free comes after
/// its purge delay, and a server is idle once it has loaded the workspace and dropped the trees
/// and analyses it does not keep: it would hold on to their pages (about 135 MB of 286 at 500k
/// lines) until the next edit. So the server runs with a purge delay of zero: when
/// `MIMALLOC_PURGE_DELAY` is unset, the process executes itself again, once, with it set (the
/// allocator reads it when the process starts; setting it from Rust needs `unsafe`, which the
/// workspace forbids). Standard input and output are the same file descriptors, and nothing has
/// been read from them yet. A value the user set is kept; if executing fails, the server runs as
/// it is.
fn return_freed_memory_at_once() {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt as _;
        if std::env::var_os(PURGE_DELAY).is_some() {
            return;
        }
        let Ok(exe) = std::env::current_exe() else {
            return;
        };
        let mut args = std::env::args_os();
        let mut command = std::process::Command::new(exe);
        if let Some(arg0) = args.next() {
            command.arg0(arg0);
        }
        // `exec` returns only when it failed.
        let _failed = command.args(args).env(PURGE_DELAY, "0").exec();
    }
}
