//! Debounced diagnostics: every edit bumps a generation and schedules a run after the debounce;
//! a run computes every workspace's diagnostics on a snapshot and publishes only the files whose
//! list changed, and only if no newer edit came meanwhile (so only the last edit's diagnostics
//! are published). A run cancelled by an edit is dropped: the edit scheduled its own.

use std::collections::{BTreeMap, HashMap};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;

use charter::config::MANIFEST;
use charter::diagnostics::{Diagnostic as CDiag, Severity};
use charter::ide::line_index::LineIndex;
use charter::stdlib::STD_PREFIX;
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, Position, Range, Uri,
};

use crate::log;
use crate::server::{Settings, Shared, next_generation};
use crate::snapshot::std_dir;

/// At most this many diagnostics are published per file.
const MAX_PER_FILE: usize = 1000;

/// Writes the standard library and the explain pages into the cache folder (once per version;
/// files already equal are left alone).
pub fn write_cache(cache: &Path) -> std::io::Result<()> {
    let mut files: Vec<(PathBuf, String)> = charter::stdlib::FILES
        .iter()
        .filter_map(|(path, text)| {
            let rel = path.strip_prefix(STD_PREFIX)?;
            Some((std_dir(cache).join(rel), (*text).to_string()))
        })
        .collect();
    for info in charter::diagnostics::codes::ALL {
        let code = info.code.as_str();
        let page = charter::explain::page(code)
            .map_or_else(|| format!("# {code}\n\n{}\n", info.summary), str::to_string);
        files.push((cache.join("explain").join(format!("{code}.md")), page));
    }
    for (path, text) in files {
        if std::fs::read_to_string(&path).is_ok_and(|old| old == text) {
            continue;
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        // Write a sibling, then rename: a reader never sees half a file.
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        std::fs::write(&tmp, text)?;
        std::fs::rename(&tmp, &path)?;
    }
    Ok(())
}

/// Schedules a diagnostics run after the debounce.
pub fn schedule(client: &Client, shared: &Arc<Shared>) {
    let generation = next_generation(shared);
    let client = client.clone();
    let shared = Arc::clone(shared);
    tokio::spawn(async move {
        let settings = shared.settings();
        tokio::time::sleep(settings.debounce).await;
        if shared.generation.load(Ordering::SeqCst) != generation {
            return;
        }
        let worker = Arc::clone(&shared);
        let computed = tokio::task::spawn_blocking(move || compute(&worker, &settings)).await;
        let Ok(Some(lists)) = computed else {
            return; // cancelled by a newer edit, which scheduled its own run
        };
        if shared.generation.load(Ordering::SeqCst) != generation {
            return;
        }
        let changed: Vec<(Uri, Vec<Diagnostic>)> = {
            let Ok(mut published) = shared.published.lock() else {
                return;
            };
            let mut changed = Vec::new();
            for uri in published.keys() {
                if !lists.contains_key(uri) {
                    changed.push((uri.clone(), Vec::new()));
                }
            }
            for (uri, list) in &lists {
                if published.get(uri) != Some(list) {
                    changed.push((uri.clone(), list.clone()));
                }
            }
            *published = lists;
            changed
        };
        for (uri, list) in changed {
            client.publish_diagnostics(uri, list, None).await;
        }
    });
}

/// Every workspace's diagnostics by URI, computed on a snapshot; `None` if an edit cancelled it.
fn compute(shared: &Shared, settings: &Settings) -> Option<HashMap<Uri, Vec<Diagnostic>>> {
    let (db, roots) = {
        let host = shared.host();
        let roots: Vec<(PathBuf, charter::db::Workspace)> =
            host.roots.iter().map(|r| (r.dir.clone(), r.ws)).collect();
        (host.db.clone(), roots)
    };
    let started = std::time::Instant::now();
    let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let mut out: HashMap<Uri, Vec<Diagnostic>> = HashMap::new();
        for (dir, ws) in &roots {
            prewarm(&db, *ws);
            let all = charter::semantics::diagnostics(&db, *ws);
            let texts: BTreeMap<&str, &str> = ws
                .files(&db)
                .iter()
                .map(|f| (f.path(&db).as_str(), f.text(&db).as_str()))
                .collect();
            let manifest = std::fs::read_to_string(dir.join(MANIFEST)).unwrap_or_default();
            let mut conv = Converter {
                dir,
                cache: &shared.cache,
                texts: &texts,
                manifest: &manifest,
                indexes: HashMap::new(),
                settings,
            };
            // Every user file gets a list, empty or not, so fixed files are cleared.
            for path in texts.keys().filter(|p| !p.starts_with(STD_PREFIX)) {
                if let Some(uri) = conv.uri(path) {
                    out.entry(uri).or_default();
                }
            }
            for d in all {
                if d.primary.file.starts_with(STD_PREFIX) {
                    continue;
                }
                let Some(uri) = conv.uri(&d.primary.file) else {
                    continue;
                };
                let list = out.entry(uri).or_default();
                if list.len() < MAX_PER_FILE
                    && let Some(lsp) = conv.convert(d)
                {
                    list.push(lsp);
                }
            }
        }
        out
    }));
    drop(db);
    match result {
        Ok(out) => {
            log::info(&format!(
                "diagnostics computed in {:.1} ms",
                started.elapsed().as_secs_f64() * 1000.0
            ));
            Some(out)
        }
        Err(payload) => {
            if !payload.is::<salsa::Cancelled>() {
                log::info("computing diagnostics panicked");
            }
            None
        }
    }
}

/// Analyses every file on all cores first (like `Database::prewarm`), each worker catching its
/// own cancellation so an edit unwinds them quietly; the caller's queries then only assemble.
fn prewarm(db: &charter::db::Database, ws: charter::db::Workspace) {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let files = ws.files(db).clone();
    if threads < 2 || files.len() < 2 {
        return;
    }
    std::thread::scope(|scope| {
        for k in 0..threads {
            let db = db.clone();
            let files = &files;
            scope.spawn(move || {
                let _ = salsa::Cancelled::catch(AssertUnwindSafe(|| {
                    for file in files.iter().skip(k).step_by(threads) {
                        let _ = charter::semantics::file_names(&db, *file);
                    }
                    let _ = charter::semantics::index(&db, ws);
                    for file in files.iter().skip(k).step_by(threads) {
                        let _ = charter::semantics::analyze_file(&db, ws, *file);
                    }
                }));
            });
        }
    });
}

struct Converter<'a> {
    dir: &'a Path,
    cache: &'a Path,
    texts: &'a BTreeMap<&'a str, &'a str>,
    manifest: &'a str,
    indexes: HashMap<String, LineIndex>,
    settings: &'a Settings,
}

impl Converter<'_> {
    fn uri(&self, path: &str) -> Option<Uri> {
        match path.strip_prefix(STD_PREFIX) {
            Some(rel) => Uri::from_file_path(std_dir(self.cache).join(rel)),
            None => Uri::from_file_path(self.dir.join(path)),
        }
    }

    fn range(&mut self, path: &str, span: charter::syntax::Span) -> Range {
        let text = if path == MANIFEST {
            self.manifest
        } else {
            self.texts.get(path).copied().unwrap_or("")
        };
        let index = self
            .indexes
            .entry(path.to_string())
            .or_insert_with(|| LineIndex::new(text));
        let a = index.position(text, span.start as usize);
        let b = index.position(text, span.end as usize);
        Range::new(Position::new(a.line, a.col), Position::new(b.line, b.col))
    }

    fn href(&self, code: &str) -> Option<Uri> {
        match &self.settings.explain_base {
            Some(base) => format!("{}/{code}.md", base.trim_end_matches('/'))
                .parse()
                .ok(),
            None => Uri::from_file_path(self.cache.join("explain").join(format!("{code}.md"))),
        }
    }

    fn convert(&mut self, d: &CDiag) -> Option<Diagnostic> {
        let range = self.range(&d.primary.file, d.primary.span);
        let mut message = d.message.clone();
        if !d.primary.message.is_empty() {
            message.push_str(&format!("\n{}", d.primary.message));
        }
        for note in &d.notes {
            message.push_str(&format!("\nnote: {note}"));
        }
        if let Some(help) = &d.help {
            message.push_str(&format!("\nhelp: {help}"));
        }
        let related: Vec<DiagnosticRelatedInformation> = d
            .secondary
            .iter()
            .filter_map(|label| {
                Some(DiagnosticRelatedInformation {
                    location: Location::new(
                        self.uri(&label.file)?,
                        self.range(&label.file, label.span),
                    ),
                    message: if label.message.is_empty() {
                        "related".to_string()
                    } else {
                        label.message.clone()
                    },
                })
            })
            .collect();
        let code = d.code.as_str();
        Some(Diagnostic {
            range,
            severity: Some(match d.severity {
                Severity::Error => DiagnosticSeverity::ERROR,
                Severity::Warning => DiagnosticSeverity::WARNING,
            }),
            code: Some(NumberOrString::String(code.to_string())),
            code_description: self.href(code).map(|href| CodeDescription { href }),
            source: Some("charter".to_string()),
            message,
            related_information: (!related.is_empty()).then_some(related),
            tags: None,
            data: d
                .suggestion
                .as_ref()
                .map(|s| serde_json::json!({ "suggestion": s })),
        })
    }
}
