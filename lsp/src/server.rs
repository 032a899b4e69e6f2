//! The protocol: capabilities, document sync into the host, requests answered on snapshots.

use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use crate::host::Host;
use crate::snapshot::{Snap, std_path_of};
use crate::{diagnostics, features, log};

/// How many syntax trees and per-file analyses the database keeps between edits by default
/// (`retainTrees`, `retainAnalyses`; see `charter::db::Database::set_retention`); `0`: all.
/// Measured at 500k lines (4,554 files) with mimalloc: keeping 512 of each, the edit latency
/// is the same, the resident memory at the end of `lsp-bench` is about 370 MB instead of 475 MB,
/// and after opening every file 190 MB once mimalloc has returned the freed pages (338 MB
/// before); an evicted file is re-parsed and re-analysed when a request needs it
/// (docs/benchmarks.md, issue 21). Workspaces of fewer files keep everything.
const RETAIN_TREES: usize = 512;
const RETAIN_ANALYSES: usize = 512;

/// State shared by the server and its background tasks.
pub struct Shared {
    pub host: Mutex<Host>,
    /// Bumped by every edit; a diagnostics run publishes only if it is still current.
    pub generation: AtomicU64,
    pub published: Mutex<diagnostics::Published>,
    /// Where standard-library copies and explain pages are written.
    pub cache: PathBuf,
    pub settings: Mutex<Settings>,
}

#[derive(Clone)]
pub struct Settings {
    pub debounce: Duration,
    /// Base URL of the explain pages; a code is appended with `.md`. `None`: the cached
    /// copies (file URIs).
    pub explain_base: Option<String>,
}

impl Shared {
    pub fn host(&self) -> MutexGuard<'_, Host> {
        self.host
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn published(&self) -> MutexGuard<'_, diagnostics::Published> {
        self.published
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn settings(&self) -> Settings {
        self.settings.lock().map(|s| s.clone()).unwrap_or(Settings {
            debounce: Duration::from_millis(75),
            explain_base: None,
        })
    }
}

pub struct Server {
    client: Client,
    shared: Arc<Shared>,
    /// The client registers file watchers on request.
    dynamic_watch: std::sync::atomic::AtomicBool,
}

fn cache_dir() -> PathBuf {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(std::env::temp_dir);
    base.join("charter-lsp").join(env!("CARGO_PKG_VERSION"))
}

fn path_of(uri: &Uri) -> Option<PathBuf> {
    uri.to_file_path().map(std::borrow::Cow::into_owned)
}

/// Runs `f`, turning a salsa cancellation into `ContentModified` (-32801) and any other panic
/// into an internal error, so a request never takes the server down.
pub fn guarded<T>(f: impl FnOnce() -> T) -> std::result::Result<T, Error> {
    match std::panic::catch_unwind(AssertUnwindSafe(f)) {
        Ok(value) => Ok(value),
        Err(payload) if payload.is::<salsa::Cancelled>() => Err(Error {
            code: ErrorCode::ContentModified,
            message: "the document changed; ask again".into(),
            data: None,
        }),
        Err(_) => {
            log::info("a request panicked; answered with an internal error");
            Err(internal("the request failed inside the server"))
        }
    }
}

fn internal(message: impl Into<String>) -> Error {
    Error {
        code: ErrorCode::InternalError,
        message: message.into().into(),
        data: None,
    }
}

impl Server {
    pub fn new(client: Client) -> Server {
        Server {
            client,
            shared: Arc::new(Shared {
                host: Mutex::new(Host::default()),
                generation: AtomicU64::new(0),
                published: Mutex::default(),
                cache: cache_dir(),
                settings: Mutex::new(Settings {
                    debounce: Duration::from_millis(75),
                    explain_base: None,
                }),
            }),
            dynamic_watch: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// Answers a request about `uri` on a snapshot, on a blocking thread. A query cancelled by
    /// an edit answers `ContentModified`; any other panic answers an internal error and the
    /// server stays up.
    async fn on_snapshot<T, F>(&self, uri: &Uri, f: F) -> Result<Option<T>>
    where
        T: Send + 'static,
        F: FnOnce(&Snap) -> Option<T> + Send + 'static,
    {
        let Some(path) = path_of(uri) else {
            return Ok(None);
        };
        let shared = Arc::clone(&self.shared);
        let joined = tokio::task::spawn_blocking(move || {
            let snap = {
                let host = shared.host();
                let at = match std_path_of(&shared.cache, &path) {
                    Some(std_path) => host.std_file(&std_path),
                    None => host.file(&path),
                };
                let Some(at) = at else {
                    return Ok(None);
                };
                let dirs = host.roots.iter().map(|r| r.dir.clone()).collect();
                Snap::new(host.db.clone(), at, dirs, shared.cache.clone())
            };
            guarded(move || f(&snap))
        })
        .await;
        match joined {
            Ok(answer) => answer,
            Err(error) => Err(internal(format!("the request was lost: {error}"))),
        }
    }

    /// Applies an edit to the host (under the lock; outstanding snapshots are cancelled and
    /// the write waits for them to unwind), then schedules diagnostics.
    fn write(&self, f: impl FnOnce(&mut Host) -> bool) {
        let changed = {
            let mut host = self.shared.host();
            f(&mut host)
        };
        if changed {
            diagnostics::schedule(&self.client, &self.shared);
        }
    }

    fn register_watchers(&self) {
        let client = self.client.clone();
        tokio::spawn(async move {
            let watchers = ["**/*.charter", "**/charter.toml"]
                .iter()
                .map(|glob| FileSystemWatcher {
                    glob_pattern: GlobPattern::String((*glob).to_string()),
                    kind: None,
                })
                .collect();
            let options = DidChangeWatchedFilesRegistrationOptions { watchers };
            let registration = Registration {
                id: "charter-watch".to_string(),
                method: "workspace/didChangeWatchedFiles".to_string(),
                register_options: serde_json::to_value(options).ok(),
            };
            if let Err(error) = client.register_capability(vec![registration]).await {
                log::info(&format!("file watching not registered: {error}"));
            }
        });
    }
}

fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: features::TOKEN_TYPES.to_vec(),
        token_modifiers: Vec::new(),
    }
}

impl LanguageServer for Server {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        if let Some(options) = &params.initialization_options
            && let Ok(mut settings) = self.shared.settings.lock()
        {
            if let Some(ms) = options
                .get("debounceMs")
                .and_then(serde_json::Value::as_u64)
            {
                settings.debounce = Duration::from_millis(ms.min(10_000));
            }
            if let Some(base) = options.get("explainBaseUrl").and_then(|v| v.as_str()) {
                settings.explain_base = Some(base.to_string());
            }
        }
        let retain = |key: &str, default: usize| {
            params
                .initialization_options
                .as_ref()
                .and_then(|o| o.get(key))
                .and_then(serde_json::Value::as_u64)
                .map_or(default, |n| usize::try_from(n).unwrap_or(usize::MAX))
        };
        let (trees, analyses) = (
            retain("retainTrees", RETAIN_TREES),
            retain("retainAnalyses", RETAIN_ANALYSES),
        );
        let dynamic = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|w| w.dynamic_registration)
            .unwrap_or(false);
        self.dynamic_watch.store(dynamic, Ordering::SeqCst);
        let mut folders: Vec<PathBuf> = params
            .workspace_folders
            .unwrap_or_default()
            .iter()
            .filter_map(|f| path_of(&f.uri))
            .collect();
        #[expect(deprecated, reason = "older clients send only rootUri")]
        if folders.is_empty()
            && let Some(root) = params.root_uri.as_ref().and_then(path_of)
        {
            folders.push(root);
        }
        {
            let mut host = self.shared.host();
            host.db.set_retention(trees, analyses);
            host.retaining = trees > 0 || analyses > 0;
            for folder in folders {
                if folder.join(charter::config::MANIFEST).is_file() {
                    host.load(&folder);
                }
            }
        }
        if let Err(error) = crate::snapshot::write_cache(&self.shared.cache) {
            log::info(&format!("cannot write the cache folder: {error}"));
        }
        log::info("initialized");
        Ok(InitializeResult {
            server_info: Some(ServerInfo {
                name: "charter-lsp".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            capabilities: ServerCapabilities {
                text_document_sync: Some(TextDocumentSyncCapability::Kind(
                    TextDocumentSyncKind::FULL,
                )),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                definition_provider: Some(OneOf::Left(true)),
                references_provider: Some(OneOf::Left(true)),
                rename_provider: Some(OneOf::Right(RenameOptions {
                    prepare_provider: Some(true),
                    work_done_progress_options: WorkDoneProgressOptions::default(),
                })),
                completion_provider: Some(CompletionOptions {
                    trigger_characters: Some(vec![".".to_string()]),
                    ..CompletionOptions::default()
                }),
                document_symbol_provider: Some(OneOf::Left(true)),
                workspace_symbol_provider: Some(OneOf::Left(true)),
                document_formatting_provider: Some(OneOf::Left(true)),
                code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
                folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
                semantic_tokens_provider: Some(
                    SemanticTokensServerCapabilities::SemanticTokensOptions(
                        SemanticTokensOptions {
                            legend: legend(),
                            full: Some(SemanticTokensFullOptions::Bool(true)),
                            range: None,
                            work_done_progress_options: WorkDoneProgressOptions::default(),
                        },
                    ),
                ),
                workspace: Some(WorkspaceServerCapabilities {
                    workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                        supported: Some(true),
                        change_notifications: Some(OneOf::Left(true)),
                    }),
                    file_operations: None,
                }),
                ..ServerCapabilities::default()
            },
            ..InitializeResult::default()
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        if self.dynamic_watch.load(Ordering::SeqCst) {
            self.register_watchers();
        }
        diagnostics::schedule(&self.client, &self.shared);
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        if let Some(path) = path_of(&doc.uri) {
            if std_path_of(&self.shared.cache, &path).is_some() {
                return; // the read-only standard library
            }
            self.write(|host| host.edit(&path, doc.text, doc.version).is_some());
        }
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let version = params.text_document.version;
        let (Some(path), Some(change)) = (
            path_of(&params.text_document.uri),
            params.content_changes.into_iter().last(),
        ) else {
            return;
        };
        if std_path_of(&self.shared.cache, &path).is_some() {
            return;
        }
        self.write(|host| host.edit(&path, change.text, version).is_some());
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        if let Some(path) = path_of(&params.text_document.uri) {
            self.write(|host| host.close(&path).is_some());
        }
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let paths: Vec<PathBuf> = params
            .changes
            .iter()
            .filter_map(|c| path_of(&c.uri))
            .collect();
        self.write(|host| {
            let mut changed = false;
            for path in &paths {
                changed |= host.disk_changed(path).is_some();
            }
            changed
        });
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        let added: Vec<PathBuf> = params
            .event
            .added
            .iter()
            .filter_map(|f| path_of(&f.uri))
            .collect();
        let removed: Vec<PathBuf> = params
            .event
            .removed
            .iter()
            .filter_map(|f| path_of(&f.uri))
            .collect();
        self.write(|host| {
            let before = host.roots.len();
            host.roots.retain(|r| !removed.contains(&r.dir));
            let mut changed = host.roots.len() != before;
            for folder in &added {
                if folder.join(charter::config::MANIFEST).is_file() {
                    host.load(folder);
                    changed = true;
                }
            }
            changed
        });
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let p = params.text_document_position_params;
        self.on_snapshot(&p.text_document.uri, move |s| {
            features::hover(s, p.position)
        })
        .await
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let p = params.text_document_position_params;
        self.on_snapshot(&p.text_document.uri, move |s| {
            features::definition(s, p.position).map(GotoDefinitionResponse::Scalar)
        })
        .await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let p = params.text_document_position;
        let include = params.context.include_declaration;
        self.on_snapshot(&p.text_document.uri, move |s| {
            features::references(s, p.position, include)
        })
        .await
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        let position = params.position;
        let answer = self
            .on_snapshot(&params.text_document.uri, move |s| {
                Some(features::prepare_rename(s, position))
            })
            .await?;
        match answer {
            Some(Ok(range)) => Ok(Some(PrepareRenameResponse::Range(range))),
            Some(Err(message)) => Err(Error::invalid_params(message)),
            None => Ok(None),
        }
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let p = params.text_document_position;
        let new_name = params.new_name;
        let answer = self
            .on_snapshot(&p.text_document.uri, move |s| {
                Some(features::rename(s, p.position, &new_name))
            })
            .await?;
        match answer {
            Some(Ok(edit)) => Ok(Some(edit)),
            Some(Err(message)) => Err(Error::invalid_params(message)),
            None => Ok(None),
        }
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let p = params.text_document_position;
        self.on_snapshot(&p.text_document.uri, move |s| {
            Some(CompletionResponse::Array(features::completion(
                s, p.position,
            )))
        })
        .await
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        self.on_snapshot(&params.text_document.uri, |s| {
            Some(DocumentSymbolResponse::Nested(features::document_symbols(
                s,
            )))
        })
        .await
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        // Every loaded workspace: answer on each root's first file.
        let uris: Vec<Uri> = {
            let host = self.shared.host();
            host.roots
                .iter()
                .filter_map(|r| {
                    r.files
                        .keys()
                        .next()
                        .and_then(|rel| Uri::from_file_path(r.dir.join(rel)))
                })
                .collect()
        };
        let mut all = Vec::new();
        for uri in uris {
            let query = params.query.clone();
            if let Some(found) = self
                .on_snapshot(&uri, move |s| Some(features::workspace_symbols(s, &query)))
                .await?
            {
                all.extend(found);
            }
        }
        Ok(Some(WorkspaceSymbolResponse::Nested(all)))
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        self.on_snapshot(&params.text_document.uri, |s| Some(features::format(s)))
            .await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri.clone();
        self.on_snapshot(&params.text_document.uri.clone(), move |s| {
            Some(features::code_actions(s, &uri, &params))
        })
        .await
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        self.on_snapshot(&params.text_document.uri, |s| Some(features::folding(s)))
            .await
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        self.on_snapshot(&params.text_document.uri, |s| {
            Some(SemanticTokensResult::Tokens(features::semantic_tokens(s)))
        })
        .await
    }
}

/// Bumps the edit generation (used by diagnostics to drop stale runs).
pub fn next_generation(shared: &Shared) -> u64 {
    shared.generation.fetch_add(1, Ordering::SeqCst) + 1
}
