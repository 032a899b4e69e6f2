//! `charter-gen OUT_DIR [--lines N] [--packages N] [--seed N]`: writes a generated workspace
//! (see `charter_bench`) of about N lines to OUT_DIR.
//!
//! `charter-gen OUT_DIR --models N --gets M`: writes the API-contract workload instead
//! (`charter_bench::contracts`): N records and M GET operations.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: charter-gen OUT_DIR [--lines N (default 100000)] [--packages N] [--seed N (default 1)]\n       charter-gen OUT_DIR --models N [--gets M (default N)]";

fn main() -> ExitCode {
    let mut stderr = std::io::stderr();
    let mut out: Option<PathBuf> = None;
    let mut lines: usize = 100_000;
    let mut packages: Option<usize> = None;
    let mut seed: u64 = 1;
    let mut models: Option<usize> = None;
    let mut gets: Option<usize> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let number =
            |value: Option<String>| value.and_then(|v| v.replace('_', "").parse::<u64>().ok());
        match arg.as_str() {
            "--lines" => match number(args.next()).and_then(|n| usize::try_from(n).ok()) {
                Some(n) => lines = n,
                None => return usage(&mut stderr),
            },
            "--packages" => match number(args.next()).and_then(|n| usize::try_from(n).ok()) {
                Some(n) => packages = Some(n),
                None => return usage(&mut stderr),
            },
            "--models" => match number(args.next()).and_then(|n| usize::try_from(n).ok()) {
                Some(n) => models = Some(n),
                None => return usage(&mut stderr),
            },
            "--gets" => match number(args.next()).and_then(|n| usize::try_from(n).ok()) {
                Some(n) => gets = Some(n),
                None => return usage(&mut stderr),
            },
            "--seed" => match number(args.next()) {
                Some(n) => seed = n,
                None => return usage(&mut stderr),
            },
            "-h" | "--help" => {
                let _ = writeln!(stderr, "{USAGE}");
                return ExitCode::SUCCESS;
            }
            other if out.is_none() && !other.starts_with('-') => out = Some(PathBuf::from(other)),
            _ => return usage(&mut stderr),
        }
    }
    let Some(out) = out else {
        return usage(&mut stderr);
    };
    let contracts = models.is_some() || gets.is_some();
    let files = if contracts {
        let models = models.unwrap_or(0);
        charter_bench::contracts::generate(models, gets.unwrap_or(models))
    } else {
        match packages {
            Some(n) => charter_bench::generate(n, seed),
            None => charter_bench::generate_lines(lines, seed),
        }
    };
    if out.join("charter.toml").exists() || out.join("src").exists() {
        let _ = writeln!(
            stderr,
            "error: `{}` already holds a workspace; remove it first",
            out.display()
        );
        return ExitCode::from(2);
    }
    if let Err(error) = charter_bench::write(&out, &files) {
        let _ = writeln!(stderr, "error: cannot write `{}`: {error}", out.display());
        return ExitCode::from(2);
    }
    let bytes: usize = files.iter().map(|(_, text)| text.len()).sum();
    if contracts {
        let _ = writeln!(
            stderr,
            "wrote {}: {} records, {} GET operations, {} files, {} lines, {} bytes",
            out.display(),
            models.unwrap_or(0),
            gets.or(models).unwrap_or(0),
            files.len(),
            charter_bench::line_count(&files),
            bytes
        );
        return ExitCode::SUCCESS;
    }
    let _ = writeln!(
        stderr,
        "wrote {}: {} packages (+ atlas.core), {} files, {} lines, {} bytes",
        out.display(),
        charter_bench::package_count(&files),
        files.len(),
        charter_bench::line_count(&files),
        bytes
    );
    ExitCode::SUCCESS
}

fn usage(stderr: &mut std::io::Stderr) -> ExitCode {
    let _ = writeln!(stderr, "{USAGE}");
    ExitCode::from(2)
}
