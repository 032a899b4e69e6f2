//! `charter build [PATH] --target T[,T…] [--out DIR] [--check] [--force] [--evidence-root DIR]
//! [--require-evidence] [--attest] [--today DATE]`: runs the code generators and writes each target's folder atomically
//! (a temporary sibling, then a rename, `output.rs`), so a failed build never leaves half an
//! output tree and the previous output stays as it was. Only folders Charter wrote itself are
//! replaced (the mark `.charter-output.json`; `--force` overrides), never the workspace root or a
//! source folder. With `--evidence-root`, the evidence folder is read (`evidence.rs`) and the
//! `evidence` target reports what exists, with hashes. With `--attest` (or `[build] attest`),
//! each target's attestation goes into `OUT/attestations/` (`attest/build.rs`, `docs/attest.md`).
//! With the `portal` target and a day (`--today`, else `SOURCE_DATE_EPOCH`), the readiness
//! report is computed as `charter report` computes it (`report::for_build`) for the overview.

use std::io::Write;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use charter::diagnostics::{Diagnostic, codes};
use charter_codegen::{Options, OutputFile, SigningKey};

use super::{ReportArgs, emit, fail, load, output, sources};

#[derive(clap::Args)]
pub struct BuildArgs {
    /// The workspace folder (or any folder or file inside it).
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Targets to build, comma-separated, or `all`; `sdks` is every SDK target.
    #[arg(long, default_value = "all", value_delimiter = ',')]
    pub target: Vec<String>,
    /// The output folder (default: `[build] out` of charter.toml, relative to the workspace).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Write nothing; exit 1 if any output file would change.
    #[arg(long)]
    pub check: bool,
    /// A PEM private key (RSA or EC P-256) to sign the OPA bundle with.
    #[arg(long)]
    pub signing_key: Option<PathBuf>,
    /// The key id (`kid`) written into the bundle signature.
    #[arg(long)]
    pub key_id: Option<String>,
    /// The folder the evidence paths are relative to: the `evidence` target then reports
    /// whether each item exists, with its SHA-256.
    #[arg(long, value_name = "DIR")]
    pub evidence_root: Option<PathBuf>,
    /// Exit 1, after writing, when declared evidence is missing from `--evidence-root`.
    #[arg(long, requires = "evidence_root")]
    pub require_evidence: bool,
    /// Write a build attestation per target into `OUT/attestations/`: an in-toto statement
    /// (SLSA provenance), in a DSSE envelope with `--signing-key` (also `[build] attest`).
    #[arg(long)]
    pub attest: bool,
    /// Replace target folders Charter did not write (without it such a folder is refused).
    #[arg(long)]
    pub force: bool,
    /// The portal: the day its readiness gates are computed for, YYYY-MM-DD (default: the day
    /// of `SOURCE_DATE_EPOCH`; with neither, the portal shows no gates).
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
    /// SDK targets: the git revision of the previous release, whose renamed declarations keep
    /// their old names as deprecated aliases (overrides `[sdk] compat`).
    #[arg(long, value_name = "REV")]
    pub compat: Option<String>,
    #[command(flatten)]
    pub report: ReportArgs,
}

pub fn run(args: &BuildArgs) -> ExitCode {
    let mut stderr = std::io::stderr().lock();
    let all = charter_codegen::targets();
    let names: Vec<&str> = all.iter().map(|t| t.name()).collect();
    let mut wanted: Vec<String> = if args.target.iter().any(|t| t == "all") {
        names.iter().map(|n| (*n).to_string()).collect()
    } else {
        args.target
            .iter()
            .flat_map(|t| {
                if t == "sdks" {
                    names
                        .iter()
                        .filter(|n| n.starts_with("sdk-"))
                        .map(|n| (*n).to_string())
                        .collect()
                } else {
                    vec![t.clone()]
                }
            })
            .collect()
    };
    // The bundle comes with its tests, in their own folder beside it (docs/output.md).
    if let Some(at) = wanted.iter().position(|t| t == "rego") {
        wanted.insert(at + 1, "rego-tests".to_string());
    }
    // `--target rego,rego` builds the bundle once.
    let mut seen = std::collections::BTreeSet::new();
    wanted.retain(|name| seen.insert(name.clone()));
    for name in &wanted {
        if !names.contains(&name.as_str()) {
            let help = charter::diagnostics::suggestion(name, names.iter().copied(), "").text;
            let list = format!("the targets are: {}", names.join(", "));
            return fail(
                Diagnostic::command_error(codes::E9008, format!("unknown target `{name}`"))
                    .with_help(if help.is_empty() {
                        list
                    } else {
                        format!("{help} {list}")
                    }),
                &args.report,
            );
        }
    }
    // The portal's day, when given, is checked before anything is read.
    let today = match args.today.as_deref().map(|t| super::diff::today(Some(t))) {
        Some(Ok(day)) => Some(day),
        Some(Err(diagnostic)) => return fail(*diagnostic, &args.report),
        None => None,
    };
    let loaded = match load::checked(&args.path) {
        Ok(loaded) => loaded,
        Err(stopped) => {
            emit(&stopped.diagnostics, &stopped.sources, &args.report);
            if stopped.exit == 1 {
                let _ = writeln!(stderr, "nothing written: fix the errors first");
            }
            return ExitCode::from(stopped.exit);
        }
    };
    let diagnostics = charter::semantics::diagnostics(&loaded.db, loaded.ws);
    // Warnings are shown as `check` shows them; with `--deny-warnings` (or `deny_warnings =
    // true`) they stop the build as errors do.
    if !diagnostics.is_empty() {
        emit(diagnostics, &sources(&loaded), &args.report);
    }
    if !diagnostics.is_empty() && (args.report.deny_warnings || loaded.config.deny_warnings) {
        let _ = writeln!(
            stderr,
            "nothing written: warnings are denied (--deny-warnings or `deny_warnings = true`)"
        );
        return ExitCode::from(1);
    }
    let model = charter::semantics::model(&loaded.db, loaded.ws);
    if wanted.iter().any(|t| t == "calendar") {
        super::diff::calendar_warnings(model, &sources(&loaded), &args.report);
    }
    if wanted.iter().any(|t| t == "evidence") {
        let warnings = charter_codegen::evidence::uncategorised(model);
        if !warnings.is_empty() {
            super::emit(&warnings, &sources(&loaded), &args.report);
        }
    }
    let mut options = Options {
        threads: std::thread::available_parallelism().ok(),
        sdk: charter_codegen::sdk::SdkOptions {
            name: loaded.config.sdk.name.clone(),
            version: loaded.config.sdk.version.clone(),
            go_module: loaded.config.sdk.go_module.clone(),
            renames: Vec::new(),
        },
        ..Options::default()
    };
    if let Some(key) = &args.signing_key {
        match std::fs::read_to_string(key) {
            Ok(pem) => {
                options.signing = Some(SigningKey {
                    pem,
                    key_id: args.key_id.clone(),
                    scope: None,
                });
            }
            Err(error) => {
                let shown = key.display().to_string();
                return fail(
                    Diagnostic::path_error(
                        codes::E9006,
                        format!("cannot read signing key `{shown}`: {error}"),
                        &shown,
                    )
                    .with_help("give `--signing-key` the path of a readable PEM private key"),
                    &args.report,
                );
            }
        }
    }
    if wanted.iter().any(|t| t == "portal") {
        // The portal prints each rule's condition from its source and shows the sources' digest;
        // it links the OpenAPI and GraphQL outputs built with it.
        options.portal.sources = sources(&loaded)
            .into_iter()
            .filter(|(path, _)| !path.starts_with(charter::stdlib::STD_PREFIX))
            .collect();
        options.portal.built_with = wanted.clone();
    }
    let compat = args.compat.as_ref().or(loaded.config.sdk.compat.as_ref());
    if let Some(rev) = compat
        && wanted.iter().any(|t| t.starts_with("sdk-"))
    {
        match super::compat::renamed(&args.path, &loaded.root, rev, &args.report) {
            Ok(renames) => options.sdk.renames = renames,
            Err(_) => {
                let _ = writeln!(stderr, "nothing written: the `compat` release did not load");
                return ExitCode::from(1);
            }
        }
    }
    let mut missing_evidence = Vec::new();
    if let Some(root) = &args.evidence_root {
        match super::evidence::status(root, model) {
            Ok(status) => {
                options.evidence = Some(status.by_path);
                options.attestations = status.attestations;
                missing_evidence = status.missing;
            }
            Err(error) => return fail(*error, &args.report),
        }
    }
    let attest = args.attest || loaded.config.attest;
    let portal = wanted.iter().any(|t| t == "portal");
    // SOURCE_DATE_EPOCH: the attestations' time, and the portal's day unless `--today` says.
    let source_date = if attest || (portal && today.is_none()) {
        let date = std::env::var("SOURCE_DATE_EPOCH").ok();
        match super::attest::build::source_date(date.as_deref()) {
            Ok(date) => date,
            Err(diagnostic) => return fail(*diagnostic, &args.report),
        }
    } else {
        None
    };
    if portal {
        // The readiness gates, as `charter report` computes them for that day (docs/portal.md).
        let day = match today {
            Some(day) => Some((day, "--today")),
            None => source_date.map(|seconds| {
                let day = charter::literal::Date::from_days_since_epoch(seconds.div_euclid(86_400));
                (day, "SOURCE_DATE_EPOCH")
            }),
        };
        if let Some((day, day_from)) = day {
            let evidence = args.evidence_root.as_deref().zip(options.evidence.as_ref());
            let report = super::report::for_build(model, &loaded.config.gates, evidence, day);
            options.portal.readiness =
                Some(charter_codegen::portal::Readiness { report, day_from });
        }
    }
    let mut attester = attest.then(|| {
        super::attest::build::Attester::new(
            &loaded,
            &options,
            &wanted,
            args.evidence_root.is_some(),
            source_date,
        )
    });
    let given = match &args.out {
        Some(out) => {
            // The real current folder, so that a path inside the workspace is seen as inside.
            let cwd = std::env::current_dir()
                .and_then(std::fs::canonicalize)
                .unwrap_or_default();
            output::absolute(&cwd, out)
        }
        None => output::absolute(&loaded.root, Path::new(&loaded.config.out)),
    };
    let out = match output::place(&loaded.root, &loaded.config.sources, &given) {
        Ok(out) => out,
        Err(diagnostic) => return fail(*diagnostic, &args.report),
    };
    let mark = output::Mark::read(&out);
    // The folders Charter writes in the output folder: the targets' and the attestations'.
    let folders: Vec<&str> = names
        .iter()
        .copied()
        .chain([charter_codegen::attest::FOLDER])
        .collect();
    // The attestations folder is replaced when this build attests or when it lists some.
    let mut replaced: Vec<&str> = wanted.iter().map(String::as_str).collect();
    if attest || mark.targets.contains_key(charter_codegen::attest::FOLDER) {
        replaced.push(charter_codegen::attest::FOLDER);
    }
    if args.check {
        // `--check` changes nothing; it says what the next build will remove.
        for path in output::leftovers(&out, &folders) {
            let _ = writeln!(
                stderr,
                "note: `{}` is left by an interrupted build; the next build removes it",
                path.display()
            );
        }
    } else {
        for path in output::clean_leftovers(&out, &folders) {
            let _ = writeln!(
                stderr,
                "removed `{}`, left by an interrupted build",
                path.display()
            );
        }
        // Sources are never replaced; other folders Charter did not write only with --force.
        let refused: Vec<Diagnostic> = replaced
            .iter()
            .filter_map(|name| {
                output::holds_sources(&out, name).or_else(|| {
                    (!args.force)
                        .then(|| output::refusal(&out, name, &mark))
                        .flatten()
                })
            })
            .collect();
        if !refused.is_empty() {
            emit(&refused, &super::Sources::new(), &args.report);
            let _ = writeln!(stderr, "nothing written");
            return ExitCode::from(2);
        }
    }
    let mut stale = 0;
    let mut stopped: Option<ExitCode> = None;
    // The targets are emitted on the CLI's threads, ahead of this loop, and each is written
    // into its temporary folder on the thread that emitted it (`output::prepare`); this loop
    // attests them and swaps them in, in order (`pipeline.rs`): the same files, messages and
    // failures as one by one. A target prepared after one that failed is removed unseen.
    let jobs: Vec<(&String, &dyn charter_codegen::Target)> = wanted
        .iter()
        .filter_map(|name| Some((name, all.iter().find(|t| t.name() == name)?.as_ref())))
        .collect();
    let threads = options.threads.map_or(1, std::num::NonZeroUsize::get);
    super::pipeline::ordered(
        &jobs,
        threads,
        |(name, target)| {
            let files = target.emit(model, &options)?;
            let ours = mark.targets.get(name.as_str());
            let prepared = (!args.check).then(|| output::prepare(&out.join(name), &files, ours));
            Ok((files, prepared))
        },
        |(name, _), emitted| {
            let (files, prepared) = match emitted {
                Ok(emitted) => emitted,
                Err(error) => {
                    stopped = Some(target_failed(name, error, &args.report));
                    return ControlFlow::Break(());
                }
            };
            if let Some(attester) = attester.as_mut()
                && let Err(error) = attester.add(name, &files, &options)
            {
                stopped = Some(target_failed(name, error, &args.report));
                return ControlFlow::Break(());
            }
            let dir = out.join(name);
            let Some(prepared) = prepared else {
                // `--check`: compare, write nothing.
                let differing = differences(&dir, &files);
                for path in &differing {
                    let _ = writeln!(stderr, "out of date: {}", dir.join(path).display());
                }
                stale += differing.len();
                return ControlFlow::Continue(());
            };
            let swapped =
                prepared.and_then(|prepared| output::swap_target(&out, name, &files, prepared));
            if let Err(error) = swapped {
                stopped = Some(fail(super::write::failed(&dir, &error), &args.report));
                return ControlFlow::Break(());
            }
            let _ = writeln!(stderr, "wrote {} ({} files)", dir.display(), files.len());
            ControlFlow::Continue(())
        },
    );
    if let Some(code) = stopped {
        return code;
    }
    let made = attester.map(|a| a.files).unwrap_or_default();
    if let Some(files) = super::attest::build::folder(&out, &mark, &wanted, made) {
        let dir = out.join(charter_codegen::attest::FOLDER);
        if args.check {
            let differing = differences(&dir, &files);
            for path in &differing {
                let _ = writeln!(stderr, "out of date: {}", dir.join(path).display());
            }
            stale += differing.len();
        } else {
            if let Err(error) =
                output::replace_target(&out, charter_codegen::attest::FOLDER, &files)
            {
                return fail(super::write::failed(&dir, &error), &args.report);
            }
            let _ = writeln!(stderr, "wrote {} ({} files)", dir.display(), files.len());
        }
    }
    // The process ends here: freeing the database's memo tables one by one only costs time.
    std::mem::forget(loaded);
    if stale > 0 {
        let _ = writeln!(
            stderr,
            "{stale} output file(s) out of date; run `charter build`"
        );
        return ExitCode::from(1);
    }
    if args.require_evidence && !missing_evidence.is_empty() {
        for path in &missing_evidence {
            let _ = writeln!(stderr, "missing evidence: {path}");
        }
        let _ = writeln!(
            stderr,
            "{} evidence item(s) missing from `{}`",
            missing_evidence.len(),
            args.evidence_root
                .as_deref()
                .map_or_else(String::new, |r| r.display().to_string())
        );
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// E9016 for a target that could not produce its output.
fn target_failed(name: &str, error: charter_codegen::Error, report: &ReportArgs) -> ExitCode {
    let mut diagnostic =
        Diagnostic::command_error(codes::E9016, format!("target `{name}`: {}", error.message));
    if let Some(help) = error.help {
        diagnostic.help(help);
    }
    fail(diagnostic, report)
}

/// Files that differ from what is on disk, plus files on disk that would be removed.
fn differences(dir: &Path, files: &[OutputFile]) -> Vec<String> {
    let mut out: Vec<String> = files
        .iter()
        .filter(|f| std::fs::read(dir.join(&f.path)).ok().as_deref() != Some(f.bytes.as_slice()))
        .map(|f| f.path.clone())
        .collect();
    let mut existing = Vec::new();
    list(dir, dir, &mut existing);
    let made: std::collections::HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    out.extend(existing.into_iter().filter(|p| !made.contains(p.as_str())));
    out.sort();
    out
}

fn list(root: &Path, dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        // Never through a link: a link loop would never end.
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            list(root, &path, out);
        } else {
            out.push(load::relative(root, &path));
        }
    }
}
