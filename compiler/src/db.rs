//! The salsa database: inputs are the workspace's file texts and its `charter.toml`; everything
//! else is a tracked query. `charter check`, `charter build` and `charter-lsp` all ask these
//! same queries, so the language server is incremental because the compiler is.

use std::sync::{Arc, Mutex};

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::syntax::{self, Parsed};

/// How often each input changes, for salsa's durability: after a change of durability `d`, a
/// memo that read only inputs of a higher durability is reused without checking what it read.
/// The language server edits buffers at [`durability::BUFFER`]; files read from disk and the
/// workspace's file list and settings are [`durability::DISK`]; the standard library, which
/// never changes, is [`durability::STDLIB`]. A one-character edit thus re-checks the syntax and
/// the names of untouched files in constant time each. (Everything that reads the workspace's
/// name index depends on every file, the edited one included, so it is verified query by
/// query: that is the per-file cost of an edit.)
pub mod durability {
    use salsa::Durability;

    /// An editor's buffer: changes at every keystroke.
    pub const BUFFER: Durability = Durability::LOW;
    /// Files on disk, the workspace's file list, its settings.
    pub const DISK: Durability = Durability::MEDIUM;
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
    /// the default and what `charter check` (one revision) keeps.
    pub fn set_retention(&mut self, trees: usize, analyses: usize) {
        parse::set_lru_capacity(self, trees);
        crate::semantics::set_analysis_retention(self, analyses);
    }

    /// Computes every file's analysis and diagnostics on `threads` threads, so that a following
    /// [`crate::semantics::diagnostics`] only assembles cached results. Parsing runs first, in
    /// parallel; the name index is then built once; the signatures, then the analyses run in
    /// parallel again; then each file's diagnostics, beside the checks across files. Threads take the next file as
    /// they finish one (files differ in cost, and a fixed split left one core idle).
    pub fn prewarm(&self, ws: Workspace, threads: usize) {
        use crate::semantics::{
            analyze_file, file_diagnostics, file_names, file_sigs, workspace_checks,
        };
        let threads = threads.clamp(1, 64);
        let files: Vec<SourceFile> = ws.files(self).clone();
        if threads == 1 || files.len() < 2 {
            return;
        }
        // Runs `work(db, i)` for every `i` in `0..jobs`, each taken by the next free thread.
        let run = |jobs: usize, work: &(dyn Fn(&Database, usize) + Sync)| {
            let next = std::sync::atomic::AtomicUsize::new(0);
            std::thread::scope(|scope| {
                for _ in 0..threads {
                    let db = self.clone();
                    let next = &next;
                    scope.spawn(move || {
                        loop {
                            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            if i >= jobs {
                                break;
                            }
                            work(&db, i);
                        }
                    });
                }
            });
        };
        run(files.len(), &|db, i| {
            if let Some(file) = files.get(i) {
                let _ = file_names(db, *file);
            }
        });
        let _ = crate::semantics::index(self, ws);
        // Signatures before analyses: the first analysis to ask for the workspace's actions
        // would otherwise compute every file's signatures alone while the other threads wait.
        run(files.len(), &|db, i| {
            if let Some(file) = files.get(i) {
                let _ = file_sigs(db, ws, *file);
            }
        });
        let _ = crate::semantics::actions(self, ws);
        run(files.len(), &|db, i| {
            if let Some(file) = files.get(i) {
                let _ = analyze_file(db, ws, *file);
            }
        });
        // Job 0 is the checks across files; job `i + 1` is file `i`'s diagnostics.
        run(files.len() + 1, &|db, i| match i.checked_sub(1) {
            None => {
                let _ = workspace_checks(db, ws);
            }
            Some(i) => {
                if let Some(file) = files.get(i) {
                    let _ = file_diagnostics(db, ws, *file);
                }
            }
        });
    }
}
