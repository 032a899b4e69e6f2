//! The salsa database: inputs are the workspace's file texts and its `charter.toml`; everything
//! else is a tracked query. `charter check`, `charter build` and `charter-lsp` all ask these
//! same queries, so the language server is incremental because the compiler is.

use std::sync::{Arc, Mutex};

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::syntax::{self, Parsed};

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

/// Parses one file. Depends only on that file's text.
#[salsa::tracked(returns(ref))]
pub fn parse(db: &dyn Db, file: SourceFile) -> Parsed {
    syntax::parse(file.path(db), file.text(db))
}

impl Database {
    /// Computes every file's analysis on `threads` threads, so that a following
    /// [`crate::semantics::diagnostics`] only assembles cached results. Parsing runs first, in
    /// parallel; the name index is then built once; the analyses run in parallel again.
    pub fn prewarm(&self, ws: Workspace, threads: usize) {
        let threads = threads.clamp(1, 64);
        let files: Vec<SourceFile> = ws.files(self).clone();
        if threads == 1 || files.len() < 2 {
            return;
        }
        let run = |work: &(dyn Fn(&Database, SourceFile) + Sync)| {
            std::thread::scope(|scope| {
                for k in 0..threads {
                    let db = self.clone();
                    let files = &files;
                    scope.spawn(move || {
                        for file in files.iter().skip(k).step_by(threads) {
                            work(&db, *file);
                        }
                    });
                }
            });
        };
        run(&|db, file| {
            let _ = crate::semantics::file_names(db, file);
        });
        let _ = crate::semantics::index(self, ws);
        run(&|db, file| {
            let _ = crate::semantics::analyze_file(db, ws, file);
        });
    }
}
