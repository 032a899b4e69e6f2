//! `charter bundle push DIR|X.tar.gz REF`: the (signed) bundle to an OCI registry, as OPA's OCI
//! downloader pulls it (`download/oci_download.go`: the manifest's first layer of media type
//! `application/vnd.oci.image.layer.v1.tar+gzip` is the bundle's tarball). The image has an
//! empty JSON config (`application/vnd.oci.image.config.v1+json`) and that one layer, titled
//! `bundle.tar.gz` (`org.opencontainers.image.title`, as `oras push` names a file layer).
//!
//! A folder is packed as `charter build` packs it (byte for byte the same `bundle.tar.gz`, so the
//! same bundle pushed twice has the same digest); an archive is pushed as it is. The manifest's
//! digest is printed on stdout.

mod auth;
mod reference;
mod registry;

use std::io::{Read as _, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use charter::diagnostics::{Diagnostic, codes};
use charter_codegen::bundle::{self, ARCHIVE};
use sha2::{Digest as _, Sha256};

use registry::{Credentials, Failure, Method, Registry};

pub const MANIFEST_MEDIA_TYPE: &str = "application/vnd.oci.image.manifest.v1+json";
pub const CONFIG_MEDIA_TYPE: &str = "application/vnd.oci.image.config.v1+json";
pub const LAYER_MEDIA_TYPE: &str = "application/vnd.oci.image.layer.v1.tar+gzip";

/// The environment variable a registry token may come from (instead of `--token`).
pub const TOKEN_ENV: &str = "CHARTER_REGISTRY_TOKEN";

#[derive(clap::Args)]
pub struct PushArgs {
    /// The bundle folder (packed as `charter build` packs it), or a bundle archive (`.tar.gz`).
    bundle: PathBuf,
    /// The OCI reference: `REGISTRY[:PORT]/REPOSITORY[:TAG]` (the tag defaults to `latest`).
    reference: String,
    /// The user name for the registry; the password is read from standard input.
    #[arg(long, requires = "password_stdin")]
    username: Option<String>,
    /// Read the password from standard input (all of it, less one final newline).
    #[arg(long, requires = "username")]
    password_stdin: bool,
    /// A registry token, sent as `Authorization: Bearer TOKEN` (or set CHARTER_REGISTRY_TOKEN).
    #[arg(long, conflicts_with = "username")]
    token: Option<String>,
    /// Plain HTTP instead of HTTPS: only for a registry on this machine (localhost, 127.0.0.0/8,
    /// ::1).
    #[arg(long)]
    plain_http: bool,
    /// How to print the result: the digest alone (text), or a JSON document.
    #[arg(long, value_enum, default_value_t = PushFormat::Text)]
    format: PushFormat,
}

#[derive(Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
enum PushFormat {
    Text,
    Json,
}

pub fn run(args: &PushArgs) -> ExitCode {
    let report = super::ReportArgs::json_if(args.format == PushFormat::Json);
    match push(args) {
        Ok(pushed) => {
            print(&pushed, args.format);
            ExitCode::SUCCESS
        }
        Err(diagnostic) => super::fail(*diagnostic, &report),
    }
}

struct Pushed {
    reference: String,
    digest: String,
    manifest_size: usize,
    layer_digest: String,
    layer_size: usize,
    revision: Option<String>,
    signed: bool,
}

fn print(pushed: &Pushed, format: PushFormat) {
    let mut stdout = super::stdout();
    match format {
        PushFormat::Text => {
            let _ = writeln!(stdout, "{}", pushed.digest);
            let mut stderr = std::io::stderr().lock();
            let revision = pushed
                .revision
                .as_deref()
                .map_or_else(String::new, |r| format!(", revision {r}"));
            let signed = if pushed.signed { "signed" } else { "unsigned" };
            let _ = writeln!(
                stderr,
                "pushed {} ({signed} bundle, {} bytes{revision})",
                pushed.reference, pushed.layer_size
            );
        }
        PushFormat::Json => {
            let doc = serde_json::json!({
                "reference": pushed.reference,
                "digest": pushed.digest,
                "manifest": {"mediaType": MANIFEST_MEDIA_TYPE, "size": pushed.manifest_size},
                "layer": {
                    "mediaType": LAYER_MEDIA_TYPE,
                    "digest": pushed.layer_digest,
                    "size": pushed.layer_size,
                },
                "revision": pushed.revision,
                "signed": pushed.signed,
            });
            let _ = writeln!(stdout, "{doc:#}");
        }
    }
}

type Failed = Box<Diagnostic>;

fn push(args: &PushArgs) -> Result<Pushed, Failed> {
    let reference = reference::parse(&args.reference).map_err(|why| {
        Box::new(
            Diagnostic::command_error(
                codes::E9020,
                format!("`{}` is not an OCI reference: {why}", args.reference),
            )
            .with_help(
                "write `REGISTRY[:PORT]/REPOSITORY[:TAG]`, such as `ghcr.io/acme/policies:v1`",
            ),
        )
    })?;
    if args.plain_http && !reference.is_loopback() {
        return Err(Box::new(
            Diagnostic::command_error(
                codes::E9020,
                format!(
                    "`--plain-http` is only for a registry on this machine, not `{}`",
                    reference.registry
                ),
            )
            .with_help("push over HTTPS (drop `--plain-http`); plain HTTP is allowed for localhost, 127.0.0.0/8 and ::1"),
        ));
    }
    let credentials = credentials(args)?;
    let layer = read_bundle(&args.bundle)?;
    let files = super::bundle::archive_files(&layer).map_err(|e| {
        not_a_bundle(
            &args.bundle,
            &format!("cannot read it as a gzipped tar archive: {e}"),
        )
    })?;
    if !files
        .iter()
        .any(|f| f.path.ends_with(".rego") || f.path.ends_with("data.json"))
    {
        return Err(not_a_bundle(
            &args.bundle,
            "it has no `.rego` module and no `data.json`",
        ));
    }
    let revision = files
        .iter()
        .find(|f| f.path.trim_start_matches('/') == ".manifest")
        .and_then(|f| serde_json::from_slice::<serde_json::Value>(&f.bytes).ok())
        .and_then(|m| {
            m.get("revision")
                .and_then(|r| r.as_str())
                .map(str::to_string)
        });
    let signed = files
        .iter()
        .any(|f| bundle::is_signatures_file(f.path.trim_start_matches('/')));

    let config = b"{}".to_vec();
    let config_digest = digest(&config);
    let layer_digest = digest(&layer);
    let manifest = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": MANIFEST_MEDIA_TYPE,
        "config": {"mediaType": CONFIG_MEDIA_TYPE, "digest": config_digest, "size": config.len()},
        "layers": [{
            "mediaType": LAYER_MEDIA_TYPE,
            "digest": layer_digest,
            "size": layer.len(),
            "annotations": {"org.opencontainers.image.title": ARCHIVE},
        }],
    });
    let manifest = manifest.to_string().into_bytes();
    let manifest_digest = digest(&manifest);

    let mut registry = Registry::new(&reference, args.plain_http, credentials);
    let shown = reference.to_string();
    let fail = |failure: Failure| -> Failed { Box::new(diagnostic(failure, &shown)) };
    for (blob, blob_digest) in [(&config, &config_digest), (&layer, &layer_digest)] {
        upload_blob(&mut registry, &reference, blob, blob_digest).map_err(fail)?;
    }
    let url = registry.url(&format!(
        "/v2/{}/manifests/{}",
        reference.repository, reference.tag
    ));
    let answer = registry
        .exchange(
            Method::Put,
            &url,
            Some(MANIFEST_MEDIA_TYPE),
            &manifest,
            "the manifest upload",
        )
        .map_err(fail)?;
    if !(200..300).contains(&answer.status) {
        return Err(fail(Failure::Answer(format!(
            "the registry answered {} to the manifest upload{}",
            answer.status,
            registry::registry_error(&answer.body)
        ))));
    }
    if let Some(theirs) = answer.digest.as_deref()
        && theirs != manifest_digest
    {
        return Err(fail(Failure::Answer(format!(
            "the registry stored the manifest as {theirs}, not {manifest_digest}"
        ))));
    }
    Ok(Pushed {
        reference: shown,
        digest: manifest_digest,
        manifest_size: manifest.len(),
        layer_digest,
        layer_size: layer.len(),
        revision,
        signed,
    })
}

/// A blob, unless the registry has it: POST an upload session, PUT the bytes with their digest.
fn upload_blob(
    registry: &mut Registry,
    reference: &reference::Reference,
    blob: &[u8],
    blob_digest: &str,
) -> Result<(), Failure> {
    let head = registry.url(&format!("/v2/{}/blobs/{blob_digest}", reference.repository));
    let exists = registry.exchange(Method::Head, &head, None, &[], "the blob check")?;
    if exists.status == 200 {
        return Ok(());
    }
    let start = registry.url(&format!("/v2/{}/blobs/uploads/", reference.repository));
    let session = registry.exchange(Method::Post, &start, None, &[], "the blob upload")?;
    let location = match (session.status, session.location.as_deref()) {
        (202, Some(location)) => registry.resolve(location),
        (status, _) => {
            return Err(Failure::Answer(format!(
                "the registry answered {status} to the start of a blob upload (202 and a Location expected){}",
                registry::registry_error(&session.body)
            )));
        }
    };
    let separator = if location.contains('?') { '&' } else { '?' };
    let url = format!(
        "{location}{separator}digest={}",
        auth::percent_encode(blob_digest)
    );
    let put = registry.exchange(
        Method::Put,
        &url,
        Some("application/octet-stream"),
        blob,
        "the blob upload",
    )?;
    // 201 Created by the spec; any success is taken (some registries answer 200 or 204).
    if !(200..300).contains(&put.status) {
        return Err(Failure::Answer(format!(
            "the registry answered {} to the upload of blob {blob_digest} (201 Created expected){}",
            put.status,
            registry::registry_error(&put.body)
        )));
    }
    Ok(())
}

fn diagnostic(failure: Failure, reference: &str) -> Diagnostic {
    match failure {
        Failure::Unreachable(message) => Diagnostic::command_error(codes::E9022, message)
            .with_note(format!("pushing to `{reference}`"))
            .with_help("check the registry's host and port, that it is running, and HTTPS (`--plain-http` only for a registry on this machine)"),
        Failure::Refused(message) => Diagnostic::command_error(codes::E9021, message)
            .with_note(format!("pushing to `{reference}`"))
            .with_help("give `--username` with `--password-stdin`, or `--token` (or CHARTER_REGISTRY_TOKEN), for an account that may push to this repository"),
        Failure::Answer(message) => Diagnostic::command_error(codes::E9023, message)
            .with_note(format!("pushing to `{reference}`"))
            .with_help("the registry accepted the credentials but not the push: check that the repository may be written (not read-only, within quota, tags not immutable)"),
    }
}

fn credentials(args: &PushArgs) -> Result<Credentials, Failed> {
    if let Some(username) = &args.username {
        let mut password = String::new();
        if let Err(error) = std::io::stdin().read_to_string(&mut password) {
            return Err(Box::new(
                Diagnostic::command_error(
                    codes::E9006,
                    format!("cannot read the password from standard input: {error}"),
                )
                .with_help("pipe the password into `--password-stdin`"),
            ));
        }
        let password = password.strip_suffix('\n').unwrap_or(&password);
        let password = password.strip_suffix('\r').unwrap_or(password);
        return Ok(Credentials::Basic {
            username: username.clone(),
            password: password.to_string(),
        });
    }
    let token = args
        .token
        .clone()
        .or_else(|| std::env::var(TOKEN_ENV).ok())
        .filter(|t| !t.is_empty());
    Ok(token.map_or(Credentials::None, Credentials::Token))
}

/// The archive's bytes: a folder packed, or the archive read.
fn read_bundle(path: &Path) -> Result<Vec<u8>, Failed> {
    let unreadable = |error: std::io::Error| -> Failed {
        let shown = path.display().to_string();
        Box::new(
            Diagnostic::path_error(
                codes::E9006,
                format!("cannot read `{shown}`: {error}"),
                &shown,
            )
            .with_help(
                "give the bundle folder `charter build --target rego` wrote, or a bundle `.tar.gz`",
            ),
        )
    };
    if path.is_dir() {
        let files: Vec<_> = super::bundle::read_folder(path)
            .map_err(unreadable)?
            .into_iter()
            .filter(|f| f.path != ARCHIVE)
            .collect();
        bundle::pack(&files)
            .map(|file| file.bytes)
            .map_err(|error| not_a_bundle(path, &error.message))
    } else {
        std::fs::read(path).map_err(unreadable)
    }
}

fn not_a_bundle(path: &Path, why: &str) -> Failed {
    Box::new(
        Diagnostic::command_error(
            codes::E9019,
            format!("`{}` is not a bundle: {why}", path.display()),
        )
        .with_help(
            "give the bundle folder `charter build --target rego` wrote, or its `bundle.tar.gz`",
        ),
    )
}

/// `sha256:HEX`.
fn digest(bytes: &[u8]) -> String {
    let hash = Sha256::digest(bytes);
    let mut out = String::from("sha256:");
    for byte in hash.iter() {
        out.push_str(&format!("{byte:02x}"));
    }
    out
}
