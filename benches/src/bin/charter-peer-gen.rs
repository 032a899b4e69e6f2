//! `charter-peer-gen cedar OUT_DIR [--lines N] [--seed N]`: writes the Cedar equivalent of the
//! generated Atlas workspace (`charter-gen --lines N --seed N`): `OUT_DIR/schema.cedarschema`
//! and `OUT_DIR/policies.cedar` (`charter_bench::peers::cedar`).
//!
//! `charter-peer-gen typespec OUT_DIR [--models N] [--gets M]`: writes the TypeSpec program of
//! the API-contract workload (`charter-gen --models N --gets M`) into `OUT_DIR`: `main.tsp`,
//! `tspconfig.yaml`, one `apiNN.tsp` per package (`charter_bench::peers::typespec`).
//!
//! Both print what they wrote (files, lines, bytes) on stderr.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: charter-peer-gen cedar OUT_DIR [--lines N (default 100000)] [--seed N (default 1)]\n       charter-peer-gen typespec OUT_DIR [--models N (default 2000)] [--gets M (default N)]";

fn main() -> ExitCode {
    let mut stderr = std::io::stderr();
    let mut args = std::env::args().skip(1);
    let kind = args.next();
    let mut out: Option<PathBuf> = None;
    let mut lines: usize = 100_000;
    let mut seed: u64 = 1;
    let mut models: usize = 2000;
    let mut gets: Option<usize> = None;
    while let Some(arg) = args.next() {
        let number = if arg.starts_with("--") {
            args.next()
                .and_then(|v| v.replace('_', "").parse::<u64>().ok())
        } else {
            None
        };
        let size = number.and_then(|n| usize::try_from(n).ok());
        match (arg.as_str(), number, size) {
            ("--lines", _, Some(n)) => lines = n,
            ("--seed", Some(n), _) => seed = n,
            ("--models", _, Some(n)) => models = n,
            ("--gets", _, Some(n)) => gets = Some(n),
            (other, None, _) if out.is_none() && !other.starts_with('-') => {
                out = Some(PathBuf::from(other));
            }
            _ => return usage(&mut stderr),
        }
    }
    let Some(out) = out else {
        return usage(&mut stderr);
    };
    let files = match kind.as_deref() {
        Some("cedar") => match charter_bench::peers::cedar::atlas(lines, seed) {
            Ok(cedar) => vec![
                ("schema.cedarschema".to_string(), cedar.schema),
                ("policies.cedar".to_string(), cedar.policies),
            ],
            Err(error) => {
                let _ = writeln!(stderr, "error: {error}");
                return ExitCode::from(1);
            }
        },
        Some("typespec") => {
            charter_bench::peers::typespec::generate(models, gets.unwrap_or(models))
        }
        _ => return usage(&mut stderr),
    };
    if let Err(error) = write(&out, &files) {
        let _ = writeln!(stderr, "error: cannot write `{}`: {error}", out.display());
        return ExitCode::from(2);
    }
    let bytes: usize = files.iter().map(|(_, text)| text.len()).sum();
    let _ = writeln!(
        stderr,
        "wrote {}: {} files, {} lines, {} bytes",
        out.display(),
        files.len(),
        charter_bench::line_count(&files),
        bytes
    );
    ExitCode::SUCCESS
}

fn write(dir: &Path, files: &[(String, String)]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for (path, text) in files {
        std::fs::write(dir.join(path), text)?;
    }
    Ok(())
}

fn usage(stderr: &mut std::io::Stderr) -> ExitCode {
    let _ = writeln!(stderr, "{USAGE}");
    ExitCode::from(2)
}
