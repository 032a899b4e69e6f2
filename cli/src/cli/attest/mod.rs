//! `charter attest verify DIR [--verification-key PUB]`: checks the build attestations of an
//! output folder (`DIR/attestations/<target>.intoto.json` or `.intoto.jsonl`, written by
//! `charter build --attest`, `docs/attest.md`): each envelope's signature with the key, then
//! every subject's SHA-256 against `DIR/<subject>`, then the files of each attested target's
//! folder that no subject names. Every problem is a diagnostic naming its file (E9031–E9036);
//! exit 1 when one is found, 2 when the command cannot run (an unreadable folder or key, E9006;
//! an unusable key, E9019).

pub mod build;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use charter::diagnostics::render::Sources;
use charter::diagnostics::{Diagnostic, codes};
use charter_codegen::OutputFile;
use charter_codegen::attest::{self, Problem, Signature};

use super::{ReportArgs, emit, fail};

#[derive(clap::Args)]
pub struct AttestArgs {
    #[command(subcommand)]
    command: AttestCommand,
}

#[derive(clap::Subcommand)]
enum AttestCommand {
    /// Verify the build attestations of an output folder: exit 1 naming every changed, missing
    /// or unattested file, and every attestation whose signature does not verify.
    Verify {
        /// The output folder `charter build --attest` wrote (for example `out`).
        dir: PathBuf,
        /// A PEM public key (or the private key) matching the signing key; without it,
        /// signatures are not checked.
        #[arg(long)]
        verification_key: Option<PathBuf>,
        #[command(flatten)]
        report: ReportArgs,
    },
}

pub fn run(args: &AttestArgs) -> ExitCode {
    match &args.command {
        AttestCommand::Verify {
            dir,
            verification_key,
            report,
        } => verify(dir, verification_key.as_deref(), report),
    }
}

/// E9006 for a folder or key that cannot be read.
fn unreadable(path: &Path, message: String) -> Diagnostic {
    Diagnostic::path_error(codes::E9006, message, &path.display().to_string())
        .with_help("check the path and the file's permissions")
}

fn diagnostic(problem: &Problem, file: &Path) -> Diagnostic {
    let code = match problem {
        Problem::Key(_) => codes::E9019,
        Problem::Malformed(_) => codes::E9031,
        Problem::Unsigned => codes::E9036,
        Problem::BadSignature => codes::E9035,
        Problem::Changed { .. } => codes::E9032,
        Problem::Missing { .. } => codes::E9033,
        Problem::Extra { .. } => codes::E9034,
    };
    let help = match problem {
        Problem::Key(_) => {
            "give the PEM public key (or the private key) that signed the attestations"
        }
        Problem::Malformed(_) => "rebuild with `charter build --attest` to write it again",
        Problem::Unsigned => {
            "build with `--attest --signing-key KEY`, or verify without `--verification-key`"
        }
        Problem::BadSignature => {
            "the attestation was altered or signed with another key: rebuild, or give the right key"
        }
        Problem::Changed { .. } | Problem::Missing { .. } | Problem::Extra { .. } => {
            "the output is not what the build attested: rebuild it with `charter build --attest`"
        }
    };
    Diagnostic::path_error(code, problem.to_string(), &file.display().to_string()).with_help(help)
}

fn verify(dir: &Path, key: Option<&Path>, report: &ReportArgs) -> ExitCode {
    let pem = match key.map(std::fs::read_to_string).transpose() {
        Ok(pem) => pem,
        Err(error) => {
            let key = key.unwrap_or(Path::new(""));
            return fail(
                unreadable(key, format!("cannot read key `{}`: {error}", key.display())),
                report,
            );
        }
    };
    if !dir.is_dir() {
        return fail(
            unreadable(dir, format!("`{}` is not a folder", dir.display())),
            report,
        );
    }
    let folder = dir.join(attest::FOLDER);
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|name| attest::target_of(name).is_some())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut diagnostics = Vec::new();
    if names.is_empty() {
        diagnostics.push(
            Diagnostic::path_error(
                codes::E9031,
                format!("no attestations in `{}`", folder.display()),
                &folder.display().to_string(),
            )
            .with_help("build with `charter build --attest` (or `[build] attest = true`)"),
        );
    }
    let mut stderr = std::io::stderr().lock();
    for name in &names {
        let path = folder.join(name);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(error) => {
                return fail(
                    unreadable(&path, format!("cannot read `{}`: {error}", path.display())),
                    report,
                );
            }
        };
        let attestation = match attest::read(name, &bytes, pem.as_deref()) {
            Ok(attestation) => attestation,
            Err(problem @ Problem::Key(_)) => return fail(diagnostic(&problem, &path), report),
            Err(problem) => {
                diagnostics.push(diagnostic(&problem, &path));
                continue;
            }
        };
        let (files, others) = match target_files(dir, &attestation.target) {
            Ok(found) => found,
            Err(error) => {
                let target = dir.join(&attestation.target);
                return fail(
                    unreadable(
                        &target,
                        format!("cannot read `{}`: {error}", target.display()),
                    ),
                    report,
                );
            }
        };
        let mut problems = attest::check(&attestation, &files);
        problems.extend(others.into_iter().map(|path| Problem::Extra { path }));
        if problems.is_empty() {
            let signature = match attestation.signature {
                Signature::Unsigned => "not signed",
                Signature::NotChecked => "signature not checked: no --verification-key",
                Signature::Verified => "signature verified",
            };
            let count = attestation.subjects.len();
            let _ = writeln!(
                stderr,
                "ok: `{}` verifies ({count} file{}, {signature})",
                path.display(),
                if count == 1 { "" } else { "s" }
            );
        }
        diagnostics.extend(problems.iter().map(|p| {
            let file = match p {
                Problem::Changed { path, .. }
                | Problem::Missing { path }
                | Problem::Extra { path } => dir.join(path),
                _ => path.clone(),
            };
            diagnostic(p, &file)
        }));
    }
    if diagnostics.is_empty() {
        return ExitCode::SUCCESS;
    }
    emit(&diagnostics, &Sources::new(), report);
    ExitCode::from(1)
}

/// The regular files of `dir/target`, by path relative to `dir`, with their bytes; and the
/// other entries that are not folders (links are never followed: a link is not the file the
/// build wrote, so it is named as not attested, and a subject at its place as missing).
fn target_files(dir: &Path, target: &str) -> std::io::Result<(Vec<OutputFile>, Vec<String>)> {
    fn walk(
        dir: &Path,
        prefix: &str,
        files: &mut Vec<OutputFile>,
        others: &mut Vec<String>,
    ) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let name = format!("{prefix}/{}", entry.file_name().to_string_lossy());
            let kind = entry.file_type()?;
            if kind.is_dir() {
                walk(&entry.path(), &name, files, others)?;
            } else if kind.is_file() {
                files.push(OutputFile {
                    path: name,
                    bytes: std::fs::read(entry.path())?,
                });
            } else {
                others.push(name);
            }
        }
        Ok(())
    }
    let (mut files, mut others) = (Vec::new(), Vec::new());
    let root = dir.join(target);
    if std::fs::symlink_metadata(&root).is_ok_and(|m| m.is_dir()) {
        walk(&root, target, &mut files, &mut others)?;
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    others.sort();
    Ok((files, others))
}
