//! The salsa database: inputs are the workspace's file texts and its `charter.toml`; everything
//! else is a tracked query. `charter check`, `charter build` and `charter-lsp` all ask these
//! same queries, so the language server is incremental because the compiler is.

use std::sync::{Arc, Mutex};

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::syntax::{self, Parsed};

/// How often each input changes, for salsa's durability: after a change of durability `d`, a
/// memo that read only inputs of a higher durability is reused without checking what it read.
/// The language server edits buffers at [`durability::BUFFER`]; files read from disk are
/// [`durability::DISK`]; the standard library, which never changes, is [`durability::STDLIB`].
/// A one-character edit thus re-checks the syntax and the names of untouched files in constant
/// time each.
///
/// The workspace input (its file list and settings) is [`durability::WORKSPACE`], as low as a
/// buffer, although it rarely changes: every query that reads across files (the name index,
/// signatures, analyses, the checks across files) reads it, so they all have the lowest
/// durability from the start. Salsa backdates a recomputed value (keeps it "unchanged" for its
/// readers) only when its durability did not drop; were these queries higher at first, the
/// first edit of a file read from disk (whose names drop from `DISK` to `BUFFER`) would make
/// the index count as changed and re-run every analysis of the workspace (about 1 s of CPU at
/// 500k lines), once per file the editor starts to change.
pub mod durability {
    use salsa::Durability;

    /// An editor's buffer: changes at every keystroke.
    pub const BUFFER: Durability = Durability::LOW;
    /// Files on disk.
    pub const DISK: Durability = Durability::MEDIUM;
    /// The workspace's file list, settings and load problems (see above for why it is low).
    pub const WORKSPACE: Durability = Durability::LOW;
    /// The embedded standard library.
    pub const STDLIB: Durability = Durability::HIGH;
}

/// One source file: its path (as diagnostics name it) and its text.
#[salsa::input(debug)]
pub struct SourceFile {
    #[returns(ref)]
    pub path: String,
    #[returns(ref)]
    pub text: String,
}

/// The workspace: its files (standard library first, then sources in path order) and settings.
#[salsa::input(debug)]
pub struct Workspace {
    #[returns(ref)]
    pub files: Vec<SourceFile>,
    #[returns(ref)]
    pub config: Config,
    /// Problems found while loading (the manifest, unreadable files): reported with the rest.
    #[returns(ref)]
    pub load_diagnostics: Vec<Diagnostic>,
}

#[salsa::db]
pub trait Db: salsa::Database {}

/// The database. Cloning is cheap and gives a snapshot that shares memoised results.
#[salsa::db]
#[derive(Clone)]
pub struct Database {
    storage: salsa::Storage<Self>,
    log: Option<Arc<Mutex<Vec<String>>>>,
}

impl Default for Database {
    fn default() -> Self {
        Database {
            storage: salsa::Storage::new(None),
            log: None,
        }
    }
}

impl Database {
    /// A database that records which queries run, so tests can prove what was reused.
    pub fn with_log() -> Self {
        let log: Arc<Mutex<Vec<String>>> = Arc::default();
        let sink = Arc::clone(&log);
        Database {
            storage: salsa::Storage::new(Some(Box::new(move |event: salsa::Event| {
                if let salsa::EventKind::WillExecute { database_key } = event.kind
                    && let Ok(mut log) = sink.lock()
                {
                    log.push(format!("{database_key:?}"));
                }
            }))),
            log: Some(log),
        }
    }

    /// The queries executed since the last call (only for a database made by [`Self::with_log`]).
    pub fn take_log(&self) -> Vec<String> {
        self.log
            .as_ref()
            .and_then(|log| log.lock().ok().map(|mut log| std::mem::take(&mut *log)))
            .unwrap_or_default()
    }
}

#[salsa::db]
impl salsa::Database for Database {}

#[salsa::db]
impl Db for Database {}

/// Parses one file. Depends only on that file's text. (`lru`: see [`Database::set_retention`].)
#[salsa::tracked(returns(ref), lru = 0)]
pub fn parse(db: &dyn Db, file: SourceFile) -> Parsed {
    syntax::parse(file.path(db), file.text(db))
}

impl Database {
    /// Lets a long-lived database (the language server's) keep at most `trees` syntax trees
    /// and `analyses` per-file analyses ([`crate::semantics::analyze_file`]) when a new revision
    /// starts or [`salsa::Database::trigger_lru_eviction`] is called, the least recently used
    /// going first. An evicted value is recomputed when it is asked for again; its dependency
    /// record stays, so the memos that read it are still reused. `0` keeps every value, which is
    /// the default and what `charter build` and `charter check` keep (`charter check` drops each
    /// file's analysis once its diagnostics are computed: [`Self::check_files`]).
    pub fn set_retention(&mut self, trees: usize, analyses: usize) {
        parse::set_lru_capacity(self, trees);
        crate::semantics::set_analysis_retention(self, analyses);
    }

    /// Computes every file's analysis and diagnostics on `threads` threads, so that a following
    /// [`crate::semantics::diagnostics`] only assembles cached results. Parsing runs first, in
    /// parallel; the name index is then built once; the signatures and action declarations
    /// (beside the checks across files), then the analyses, then each file's diagnostics run in
    /// parallel again. Threads take the next file as they finish one ([`run_jobs`]).
    pub fn prewarm(&self, ws: Workspace, threads: usize) {
        use crate::semantics::{analyze_file, file_diagnostics, file_names};
        let threads = threads.clamp(1, 64);
        let files: Vec<SourceFile> = ws.files(self).clone();
        if threads == 1 || files.len() < 2 {
            return;
        }
        on_threads(self, &files, threads, &|db, file| {
            let _ = file_names(db, file);
        });
        let _ = crate::semantics::index(self, ws);
        // Signatures and action summaries before analyses: the first analysis to ask for the
        // workspace's actions would otherwise compute them for every file alone while the other
        // threads wait.
        summaries(self, ws, &files, threads);
        on_threads(self, &files, threads, &|db, file| {
            let _ = analyze_file(db, ws, file);
        });
        // The checks across files ran beside the summaries.
        on_threads(self, &files, threads, &|db, file| {
            let _ = file_diagnostics(db, ws, file);
        });
    }
}

/// Every file's signatures, imports and action summary on `threads` threads, beside the checks
/// across files (job 0); then the action table they make.
fn summaries(db: &Database, ws: Workspace, files: &[SourceFile], threads: usize) {
    run_jobs(
        db,
        threads,
        files.len() + 1,
        &|db, i| match i.checked_sub(1) {
            None => {
                let _ = crate::semantics::workspace_checks(db, ws);
            }
            Some(i) => {
                if let Some(file) = files.get(i).copied() {
                    let _ = crate::semantics::file_sigs(db, ws, file);
                    let _ = crate::semantics::file_imports(db, file);
                    let _ = crate::semantics::file_actions(db, file);
                }
            }
        },
    );
    let _ = crate::semantics::action_table(db, ws);
}

/// Runs `work` on every file of `files` on `threads` threads ([`run_jobs`]).
fn on_threads(
    db: &Database,
    files: &[SourceFile],
    threads: usize,
    work: &(dyn Fn(&Database, SourceFile) + Sync),
) {
    run_jobs(db, threads, files.len(), &|db, i| {
        if let Some(file) = files.get(i) {
            work(db, *file);
        }
    });
}

/// Runs `work(db, i)` for every `i` in `0..jobs` on `threads` threads, each with its own handle
/// on the database, each taking the next job as it finishes one ([`crate::parallel::each`]).
fn run_jobs(db: &Database, threads: usize, jobs: usize, work: &(dyn Fn(&Database, usize) + Sync)) {
    crate::parallel::each(threads, jobs, || db.clone(), work);
}

impl Database {
    /// `charter check`'s pass: every diagnostic of the workspace, as
    /// [`crate::semantics::diagnostics`] gives them, without keeping the models only they
    /// needed. Each file's analysis (its model) is made, read and dropped on the worker that
    /// checks the file ([`crate::semantics::file_diagnostics_unkept`]).
    ///
    /// First, on `threads` threads: every file's names (parsing it), the index, every file's
    /// signatures and action declarations (what other files' analyses read), the action table,
    /// and the workspace checks (names and `use` targets). Then every file's diagnostics, on
    /// `threads` threads taking the next file as they finish one.
    ///
    /// The syntax trees stay: every file's names are needed before any analysis, so every tree
    /// is alive when the first analysis starts, and that is the peak. Dropping trees once their
    /// files were checked lowered no peak (the models made later only reused the memory) and
    /// cost a fifth of the wall time at 1M lines: the drops ran on the main thread between
    /// chunks of files while the workers waited (docs/benchmarks.md, "Issue 21: trees kept").
    ///
    /// A workspace with `[compliance] require` gates needs the whole model for its workspace
    /// checks (`coverage_gates`): there, this is [`Self::prewarm`], keeping everything.
    pub fn check_files(
        &self,
        ws: Workspace,
        threads: usize,
    ) -> Vec<crate::diagnostics::Diagnostic> {
        if !ws.config(self).required.is_empty() {
            self.prewarm(ws, threads);
            return crate::semantics::diagnostics(self, ws).clone();
        }
        let threads = threads.clamp(1, 64);
        let files: Vec<SourceFile> = ws.files(self).clone();
        on_threads(self, &files, threads, &|db, file| {
            let _ = crate::semantics::file_names(db, file);
        });
        let _ = crate::semantics::index(self, ws);
        summaries(self, ws, &files, threads);
        let per_file = crate::parallel::map_with(
            &files,
            threads,
            || self.clone(),
            |db, file| crate::semantics::file_diagnostics_unkept(db, ws, *file),
        );
        crate::semantics::assemble(self, ws, per_file.into_iter().flatten())
    }
}
