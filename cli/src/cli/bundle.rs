//! `charter bundle sign DIR --signing-key KEY [--key-id ID] [--scope S]` and
//! `charter bundle verify DIR --verification-key PUB [--key-id ID] [--scope S]`: OPA bundle
//! signatures (`.signatures.json`) on a bundle folder, as `opa sign` writes them and as OPA checks
//! them when it loads the bundle with a verification key; and
//! `charter bundle push BUNDLE REF` (the `push` module): the bundle to an OCI registry.
//!
//! A bundle folder's `bundle.tar.gz` (what `charter build` writes beside the loose files) is the
//! bundle's archive, not one of its files: `verify` checks the files inside it too, and `sign`
//! re-packs it with the new signature.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use charter_codegen::OutputFile;
use charter_codegen::bundle::{self, ARCHIVE, SIGNATURES_FILE, VerifyOptions};

use charter::diagnostics::{Diagnostic, codes};

use super::load;

#[derive(clap::Args)]
pub struct BundleArgs {
    #[command(subcommand)]
    command: BundleCommand,
}

#[derive(clap::Subcommand)]
enum BundleCommand {
    /// Sign a bundle folder: writes its `.signatures.json` (RS256 for an RSA key, ES256 for an
    /// EC P-256 key).
    Sign {
        /// The bundle folder (for example `out/rego`).
        dir: PathBuf,
        /// A PEM private key: RSA (PKCS#1 or PKCS#8) or EC P-256 (SEC1 or PKCS#8).
        #[arg(long)]
        signing_key: PathBuf,
        /// The key id, written as the JWS header's `kid` (and the payload's `keyid`).
        #[arg(long)]
        key_id: Option<String>,
        /// The scope claim; OPA then requires the same `scope` in its verification config.
        #[arg(long)]
        scope: Option<String>,
    },
    /// Verify a signed bundle folder (and its `bundle.tar.gz`), or a `.tar.gz` bundle: exit 1
    /// naming each file that does not match, is missing or is not signed.
    Verify {
        /// The bundle folder, or a bundle archive (`.tar.gz`).
        dir: PathBuf,
        /// A PEM public key (or the private key) matching the signing key.
        #[arg(long)]
        verification_key: PathBuf,
        /// The key id the signature must carry (its `kid`).
        #[arg(long)]
        key_id: Option<String>,
        /// The scope the signature must carry (none: it must have none).
        #[arg(long)]
        scope: Option<String>,
    },
    /// Push a bundle to an OCI registry, as OPA's OCI downloader pulls it; prints the manifest
    /// digest.
    Push(super::push::PushArgs),
}

pub fn run(args: &BundleArgs) -> ExitCode {
    match &args.command {
        BundleCommand::Sign {
            dir,
            signing_key,
            key_id,
            scope,
        } => sign(dir, signing_key, key_id.as_deref(), scope.as_deref()),
        BundleCommand::Verify {
            dir,
            verification_key,
            key_id,
            scope,
        } => verify(
            dir,
            verification_key,
            &VerifyOptions {
                key_id: key_id.clone(),
                scope: scope.clone(),
            },
        ),
        BundleCommand::Push(args) => super::push::run(args),
    }
}

/// E9006 for a key, bundle folder or archive that cannot be read (`what` is a message).
fn unreadable(path: &Path, what: String) -> ExitCode {
    let shown = path.display().to_string();
    super::fail_text(
        Diagnostic::path_error(codes::E9006, what, &shown)
            .with_help("check the path and the file's permissions"),
    )
}

fn read_key(path: &Path) -> Result<String, ExitCode> {
    std::fs::read_to_string(path)
        .map_err(|e| unreadable(path, format!("cannot read key `{}`: {e}", path.display())))
}

/// E9019 for a key or bundle that Charter cannot use.
fn unusable(error: charter_codegen::Error) -> ExitCode {
    let mut diagnostic = Diagnostic::command_error(codes::E9019, error.message);
    if let Some(help) = error.help {
        diagnostic.help(help);
    }
    super::fail_text(diagnostic)
}

fn sign(dir: &Path, key: &Path, key_id: Option<&str>, scope: Option<&str>) -> ExitCode {
    let pem = match read_key(key) {
        Ok(pem) => pem,
        Err(code) => return code,
    };
    if !dir.is_dir() {
        let shown = dir.display().to_string();
        return super::fail_text(
            Diagnostic::path_error(
                codes::E9006,
                format!("`{shown}` is not a bundle folder"),
                &shown,
            )
            .with_help("give the folder `charter build --target rego` wrote, such as `out/rego`"),
        );
    }
    let files = match read_folder(dir) {
        Ok(files) => files,
        Err(error) => {
            return unreadable(dir, format!("cannot read `{}`: {error}", dir.display()));
        }
    };
    let signatures = match bundle::sign(&files, &pem, key_id, scope) {
        Ok(file) => file,
        Err(error) => return unusable(error),
    };
    let target = dir.join(SIGNATURES_FILE);
    if let Err(error) = super::write::atomic(&target, &signatures.bytes) {
        return super::fail_text(super::write::failed(&target, &error));
    }
    let signed = files
        .iter()
        .filter(|f| !bundle::is_signatures_file(&f.path) && f.path != ARCHIVE)
        .count();
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "wrote {} ({signed} files signed)", target.display());
    // The folder's archive is re-packed with the new signature, so the folder and its archive
    // stay one bundle.
    let archive = dir.join(ARCHIVE);
    if std::fs::symlink_metadata(&archive).is_ok_and(|m| m.is_file()) {
        let mut packed: Vec<OutputFile> = files
            .into_iter()
            .filter(|f| !bundle::is_signatures_file(&f.path) && f.path != ARCHIVE)
            .collect();
        packed.push(signatures);
        let written = bundle::pack(&packed)
            .map_err(|e| std::io::Error::other(e.message))
            .and_then(|file| super::write::atomic(&archive, &file.bytes));
        if let Err(error) = written {
            return super::fail_text(super::write::failed(&archive, &error));
        }
        let _ = writeln!(stderr, "wrote {} (re-packed, signed)", archive.display());
    }
    super::output::note_signed(dir);
    ExitCode::SUCCESS
}

fn verify(path: &Path, key: &Path, options: &VerifyOptions) -> ExitCode {
    let pem = match read_key(key) {
        Ok(pem) => pem,
        Err(code) => return code,
    };
    // What to check: the folder's files, and the archive's; or one archive.
    let mut bundles: Vec<(String, Vec<OutputFile>)> = Vec::new();
    if path.is_dir() {
        match read_folder(path) {
            Ok(files) => bundles.push((format!("`{}`", path.display()), files)),
            Err(error) => {
                return unreadable(path, format!("cannot read `{}`: {error}", path.display()));
            }
        }
        let archive = path.join(ARCHIVE);
        if archive.is_file() {
            match read_archive(&archive) {
                Ok(files) => bundles.push((format!("`{}`", archive.display()), files)),
                Err(error) => {
                    return unreadable(
                        &archive,
                        format!("cannot read `{}`: {error}", archive.display()),
                    );
                }
            }
        }
    } else if path.is_file() {
        match read_archive(path) {
            Ok(files) => bundles.push((format!("`{}`", path.display()), files)),
            Err(error) => {
                return unreadable(path, format!("cannot read `{}`: {error}", path.display()));
            }
        }
    } else {
        return unreadable(path, format!("`{}` does not exist", path.display()));
    }

    let mut stderr = std::io::stderr().lock();
    let mut failed = false;
    for (name, files) in &bundles {
        let problems = bundle::problems(files, &pem, options);
        if let Some(bundle::VerifyError::Key(message)) = problems.first() {
            return unusable(charter_codegen::Error {
                message: format!("cannot use verification key `{}`: {message}", key.display()),
                help: Some(
                    "give the PEM public key (or the private key) that signed the bundle".into(),
                ),
            });
        }
        if problems.is_empty() {
            let count = files
                .iter()
                .filter(|f| !bundle::is_signatures_file(&f.path) && f.path != ARCHIVE)
                .count();
            let _ = writeln!(stderr, "ok: {name} verifies ({count} signed files)");
        } else {
            failed = true;
            let _ = writeln!(stderr, "error: {name} does not verify:");
            for problem in &problems {
                let _ = writeln!(stderr, "  {problem}");
            }
        }
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Every regular file under `dir`, by its `/`-separated path relative to `dir`, sorted.
pub(super) fn read_folder(dir: &Path) -> std::io::Result<Vec<OutputFile>> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<OutputFile>) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_dir() {
                walk(root, &path, out)?;
            } else if path.is_file() {
                out.push(OutputFile {
                    path: load::relative(root, &path),
                    bytes: std::fs::read(&path)?,
                });
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out)?;
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// The regular files of a gzipped tar bundle, named as OPA's tarball loader names them (the
/// entry name; the leading `/` is dropped when comparing with the signature).
fn read_archive(path: &Path) -> std::io::Result<Vec<OutputFile>> {
    archive_files(&std::fs::read(path)?)
}

/// [`read_archive`] of an archive in memory.
pub(super) fn archive_files(bytes: &[u8]) -> std::io::Result<Vec<OutputFile>> {
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bytes));
    let mut out = Vec::new();
    for entry in archive.entries()? {
        let mut entry = entry?;
        if entry.header().entry_type() != tar::EntryType::Regular {
            continue;
        }
        let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes)?;
        out.push(OutputFile { path: name, bytes });
    }
    Ok(out)
}
