//! `charter import <openapi|graphql> FILE [--out DIR] [--package NAME] [--force]`: another
//! contract language to a new Charter workspace (charter.toml + formatted sources), written
//! atomically. Warnings (what Charter cannot express) print like other diagnostics; the exit code
//! is 0 with warnings, 1 when the document cannot be imported, 2 for usage and IO problems.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use charter::diagnostics::render::Sources;
use charter::diagnostics::{Code, Diagnostic, codes};
use charter::syntax::Span;
use charter_codegen::OutputFile;
use charter_interop::Imported;

use super::ReportArgs;

#[derive(clap::Args)]
pub struct ImportArgs {
    /// The kind of document.
    #[arg(value_enum)]
    kind: Kind,
    /// The document to import (YAML or JSON for OpenAPI).
    file: PathBuf,
    /// The workspace folder to write (default: the file's name without its extension).
    #[arg(long)]
    out: Option<PathBuf>,
    /// The Charter package of the generated source (default: from the document's title).
    #[arg(long)]
    package: Option<String>,
    /// Replace the output folder even if it is not empty.
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    report: ReportArgs,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Kind {
    Openapi,
    Graphql,
}

pub fn run(args: &ImportArgs) -> ExitCode {
    let file_name = args.file.display().to_string();
    let text = match read(&args.file) {
        Ok(text) => text,
        Err(diagnostic) => {
            super::emit(&[*diagnostic], &Sources::new(), &args.report);
            return ExitCode::from(2);
        }
    };
    // The document's text is kept once, in `sources` (the diagnostics draw their lines from it).
    let mut sources = Sources::new();
    sources.insert(file_name.clone(), text);
    let text = sources.get(&file_name).map_or("", String::as_str);
    // Trojan Source: Charter source refuses bidirectional controls (E0008), so a document that
    // holds them cannot be imported; say where, instead of failing on the generated source.
    let bidi: Vec<Diagnostic> = text
        .char_indices()
        .filter(|(_, c)| charter::syntax::lex::is_bidi_control(*c))
        .map(|(at, c)| {
            Diagnostic::error(
                codes::E0008,
                format!(
                    "bidirectional control character U+{:04X} in the document",
                    u32::from(c)
                ),
                &file_name,
                Span::new(at, at + c.len_utf8()),
            )
            .with_label("Charter source cannot carry it")
            .with_help("remove it from the document; see `charter explain E0008`")
        })
        .collect();
    if !bidi.is_empty() {
        report(&bidi, &sources, &args.report, serde_json::json!({}));
        if args.report.format == super::Format::Text {
            eprintln!("nothing written");
        }
        return ExitCode::from(1);
    }
    let result = match args.kind {
        Kind::Openapi => {
            charter_interop::openapi::import(text, &file_name, args.package.as_deref())
        }
        Kind::Graphql => {
            let package = args
                .package
                .clone()
                .unwrap_or_else(|| package_from(&args.file));
            charter_interop::graphql::import(text, &file_name, &package).map(|mut i| {
                i.files.push(charter_interop::SourceFile::new(
                    charter::config::MANIFEST,
                    charter_interop::graphql::manifest(&package),
                ));
                i
            })
        }
    };
    let imported = match result {
        Ok(imported) => imported,
        Err(error) => {
            let extra = serde_json::json!({ "error": {
                "code": error.code.as_str(), "message": error.message,
                "location": error.location.as_ref().map(ToString::to_string),
                "pointer": error.location.as_ref().and_then(|l| l.pointer.as_deref()),
                "help": error.help,
            }});
            report(&[error.to_diagnostic()], &sources, &args.report, extra);
            if args.report.format == super::Format::Text {
                eprintln!("nothing written");
            }
            return ExitCode::from(1);
        }
    };
    let out = args.out.clone().unwrap_or_else(|| default_out(&args.file));
    if let Some(diagnostic) = refuse_existing(&out, &args.file, args.force) {
        super::emit(&[diagnostic], &sources, &args.report);
        return ExitCode::from(2);
    }
    let files = with_manifest(&imported, &args.file);
    if let Err(error) = super::output::write_folder(&out, &files) {
        let diagnostic = super::write::failed(&out, &error);
        super::emit(&[diagnostic], &sources, &args.report);
        return ExitCode::from(2);
    }
    let diagnostics: Vec<Diagnostic> = imported
        .warnings
        .iter()
        .map(charter_interop::ImportWarning::to_diagnostic)
        .collect();
    let extra = Report {
        files: files.iter().map(|f| f.path.as_str()).collect(),
        out: out.to_string_lossy(),
        warnings: imported.warnings.iter().map(WarningJson).collect(),
    };
    report(&diagnostics, &sources, &args.report, extra);
    if args.report.format == super::Format::Text {
        eprintln!("wrote {} ({} files)", out.display(), files.len());
    }
    if args.report.deny_warnings && !diagnostics.is_empty() {
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// Prints the diagnostics; with `--format json` the document also carries an `import` object:
/// `out`, `files` and `warnings` (code, construct, location, pointer, message) after an import, or
/// `error` when the document could not be imported (docs/import.md). The JSON document is
/// streamed, one diagnostic at a time, through one buffer: an import may warn 100,000 times.
fn report<E: serde::Serialize>(
    diagnostics: &[Diagnostic],
    sources: &Sources,
    args: &ReportArgs,
    extra: E,
) {
    if args.format != super::Format::Json {
        super::emit(diagnostics, sources, args);
        return;
    }
    let mut out = std::io::BufWriter::with_capacity(1 << 16, super::stdout());
    let _ = charter::diagnostics::render::write_json(
        &mut out,
        diagnostics,
        sources,
        Some(("import", &extra)),
    );
    let _ = writeln!(out);
    let _ = out.flush();
}

/// The `import` object after an import (its keys in the sorted order the JSON document uses).
#[derive(serde::Serialize)]
struct Report<'a> {
    files: Vec<&'a str>,
    out: std::borrow::Cow<'a, str>,
    warnings: Vec<WarningJson<'a>>,
}

/// One warning of the `import` object: code, construct, location, message, pointer.
struct WarningJson<'a>(&'a charter_interop::ImportWarning);

impl serde::Serialize for WarningJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let w = self.0;
        let mut map = serializer.serialize_map(Some(5))?;
        map.serialize_entry("code", w.code.as_str())?;
        map.serialize_entry("construct", &*w.construct)?;
        map.serialize_entry("location", &w.location.to_string())?;
        map.serialize_entry("message", &*w.message)?;
        map.serialize_entry("pointer", &w.location.pointer)?;
        map.end()
    }
}

/// `schemas/Star-Wars.graphql` → `star_wars`: a GraphQL schema names no package of its own.
fn package_from(file: &Path) -> String {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let mut name: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        name.insert_str(0, "api_");
    }
    name
}

/// Reads the document: it must exist, be UTF-8 and not be huge.
pub fn read(path: &Path) -> Result<String, Box<Diagnostic>> {
    let name = path.display().to_string();
    let fail = |code: Code, message: String, help: &str| {
        Box::new(Diagnostic::path_error(code, message, &name).with_help(help.to_string()))
    };
    let meta = std::fs::metadata(path).map_err(|e| {
        fail(
            codes::E9006,
            format!("cannot read `{name}`: {e}"),
            "give the path of an existing OpenAPI document",
        )
    })?;
    // The document is named by the user: a regular file, or a pipe (`<(curl …)`); a device
    // (`/dev/zero`), a socket or a folder is refused. The size limit holds while reading.
    if !meta.is_file() && !is_fifo(&meta) {
        return Err(Box::new(charter_lsp::disk::refused(
            &name,
            "is not a regular file or a pipe",
        )));
    }
    let limit = charter_interop::openapi::doc::MAX_BYTES as u64;
    let too_large = || {
        fail(
            codes::E8005,
            format!("`{name}` is more than the {limit} bytes an import accepts"),
            "split the document, or import the part you need",
        )
    };
    if meta.len() > limit {
        return Err(too_large());
    }
    // The limit holds while reading too (a file may grow, or lie about its size).
    let unreadable = |e: std::io::Error| {
        fail(
            codes::E9006,
            format!("cannot read `{name}`: {e}"),
            "check the file's permissions",
        )
    };
    // Room for the size the file has now, so a large document is not copied as it grows.
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).map_or(0, |n| n + 1));
    std::io::Read::read_to_end(
        &mut std::io::Read::take(std::fs::File::open(path).map_err(unreadable)?, limit + 1),
        &mut bytes,
    )
    .map_err(unreadable)?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    String::from_utf8(bytes).map_err(|_| {
        fail(
            codes::E9003,
            format!("`{name}` is not UTF-8"),
            "save the document as UTF-8",
        )
    })
}

#[cfg(unix)]
fn is_fifo(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    meta.file_type().is_fifo()
}

#[cfg(not(unix))]
fn is_fifo(_meta: &std::fs::Metadata) -> bool {
    false
}

fn default_out(file: &Path) -> PathBuf {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "imported".into());
    file.parent().unwrap_or(Path::new(".")).join(stem)
}

fn refuse_existing(out: &Path, document: &Path, force: bool) -> Option<Diagnostic> {
    // Never replaced, even with --force: the current folder or one holding it, a folder holding
    // the document being imported, a git repository.
    let real = |p: &Path| {
        super::output::resolved(&super::output::absolute(
            &std::env::current_dir()
                .and_then(std::fs::canonicalize)
                .unwrap_or_default(),
            p,
        ))
    };
    let out_real = real(out);
    let cwd = real(Path::new("."));
    let never = if cwd.starts_with(&out_real) {
        Some("holds the current folder")
    } else if real(document).starts_with(&out_real) {
        Some("holds the document being imported")
    } else if std::fs::symlink_metadata(out.join(".git")).is_ok() {
        Some("is a git repository")
    } else {
        None
    };
    if let Some(why) = never {
        return Some(
            Diagnostic::path_error(
                codes::E8007,
                format!("refusing to replace `{}`: it {why}", out.display()),
                &out.display().to_string(),
            )
            .with_help("give `--out` a new folder for the imported workspace"),
        );
    }
    if out.is_file() {
        return Some(
            Diagnostic::path_error(
                codes::E8007,
                format!("`{}` is a file", out.display()),
                &out.display().to_string(),
            )
            .with_help("give `--out` a folder"),
        );
    }
    let non_empty = std::fs::read_dir(out).is_ok_and(|mut d| d.next().is_some());
    (non_empty && !force).then(|| {
        Diagnostic::path_error(
            codes::E8007,
            format!("`{}` exists and is not empty", out.display()),
            &out.display().to_string(),
        )
        .with_help("choose another `--out`, or pass `--force` to replace the folder")
    })
}

/// The importer's files, with a default charter.toml when it wrote none.
fn with_manifest(imported: &Imported, file: &Path) -> Vec<OutputFile> {
    let mut files: Vec<OutputFile> = imported
        .files
        .iter()
        .map(|f| OutputFile::text(f.path.clone(), f.text.clone()))
        .collect();
    if !files.iter().any(|f| f.path == charter::config::MANIFEST) {
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        let name: String = stem
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        files.push(OutputFile::text(
            charter::config::MANIFEST,
            format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\n\n[build]\nsources = [\"src\"]\n"),
        ));
    }
    files
}
