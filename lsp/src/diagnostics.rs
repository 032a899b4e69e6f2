//! Debounced diagnostics: every edit bumps a generation and schedules a run after the debounce.
//! The edited files' lists are published first ([`publish_early`]); the rest of the workspace is
//! checked once edits pause for [`WORKSPACE_DELAY`] more, so typing pays only for the edited
//! file. That run gathers every workspace's diagnostics per file on a snapshot and publishes only the
//! files whose list changed, and only if no newer edit came meanwhile (so only the last edit's
//! diagnostics are published). A run cancelled by an edit is dropped: the edit scheduled its own.
//!
//! A run costs one memo check per file plus the work on files whose diagnostics changed: each
//! file's list is its [`charter::semantics::file_diagnostics`] (a query per file) with the
//! [`charter::semantics::workspace_checks`] that point into it; what was last published per
//! file is kept ([`Published`]), so an unchanged list is neither converted nor compared again.

use std::collections::{HashMap, HashSet};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;

use charter::db::{Database, SourceFile, Workspace};
use charter::diagnostics::Diagnostic as CDiag;
use charter::stdlib::STD_PREFIX;
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::{Diagnostic, Uri};

use crate::convert::{Converter, uri};
use crate::log;
use crate::server::{Settings, Shared, next_generation};

/// At most this many diagnostics are published per file.
const MAX_PER_FILE: usize = 1000;

/// What was last published, so that a run converts and compares only what changed.
#[derive(Default)]
pub struct Published {
    /// Every workspace file that got a list: its URI (computed once) and the compiler's
    /// diagnostics its list was made from.
    files: HashMap<SourceFile, Seen>,
    /// The list last published per URI.
    sent: HashMap<Uri, Vec<Diagnostic>>,
    /// URIs published that are not workspace files (the manifest, unreadable files).
    other: HashSet<Uri>,
}

struct Seen {
    uri: Uri,
    raw: Vec<CDiag>,
}

/// A run's result: what to send, and how [`Published`] changes once it is sent.
struct Run {
    send: Vec<(Uri, Vec<Diagnostic>)>,
    seen: Vec<(SourceFile, Option<Seen>)>,
    /// URIs that name no file or path any more: forgotten once their empty list is sent.
    gone: Vec<Uri>,
    other: HashSet<Uri>,
    /// The host's edit counter when the snapshot was taken.
    edits: u64,
    /// Files published for the first time.
    new_files: usize,
    started: std::time::Instant,
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
        let early_client = client.clone();
        let early_settings = settings.clone();
        let early = tokio::task::spawn_blocking(move || {
            let send = |uri: Uri, list: Vec<Diagnostic>| {
                if worker.generation.load(Ordering::SeqCst) != generation {
                    return false;
                }
                tokio::runtime::Handle::current()
                    .block_on(early_client.publish_diagnostics(uri, list, None));
                true
            };
            publish_early(&worker, &early_settings, &send)
        })
        .await;
        if matches!(early, Ok(true)) {
            // The edited files' lists are out: check the rest of the workspace only once
            // edits pause, so that typing does not pay for it and its threads do not delay
            // the next edit's answer.
            tokio::time::sleep(WORKSPACE_DELAY).await;
        }
        if shared.generation.load(Ordering::SeqCst) != generation {
            return;
        }
        let worker = Arc::clone(&shared);
        let computed = tokio::task::spawn_blocking(move || compute(&worker, &settings)).await;
        let Ok(Some(run)) = computed else {
            return; // cancelled by a newer edit, which scheduled its own run
        };
        {
            let mut published = shared.published();
            if shared.generation.load(Ordering::SeqCst) != generation {
                return;
            }
            apply(&mut published, run.seen, &run.send, run.gone, run.other);
        }
        // The texts this run saw are converted: forget them (not later ones).
        shared.host().touched.retain(|_, at| *at > run.edits);
        if run.new_files > EARLY_FILES && shared.host().retaining {
            // Files were loaded: let the trees and analyses beyond what the database retains
            // go now rather than at the next edit.
            let host = Arc::clone(&shared);
            let _ = tokio::task::spawn_blocking(move || {
                use salsa::Database as _;
                host.host().db.trigger_lru_eviction();
            })
            .await;
        }
        let send = run.send;
        let count = send.len();
        for (uri, list) in send {
            client.publish_diagnostics(uri, list, None).await;
        }
        log::info(&format!(
            "diagnostics published for {count} files {:.1} ms after the run started",
            run.started.elapsed().as_secs_f64() * 1000.0
        ));
    });
}

fn apply(
    published: &mut Published,
    seen: Vec<(SourceFile, Option<Seen>)>,
    send: &[(Uri, Vec<Diagnostic>)],
    gone: Vec<Uri>,
    other: HashSet<Uri>,
) {
    for (file, entry) in seen {
        match entry {
            Some(entry) => {
                published.files.insert(file, entry);
            }
            None => {
                published.files.remove(&file);
            }
        }
    }
    for (uri, list) in send {
        published.sent.insert(uri.clone(), list.clone());
    }
    for uri in gone {
        published.sent.remove(&uri);
    }
    published.other = other;
}

/// One workspace file's diagnostics.
pub(crate) struct FileList<'a> {
    pub(crate) file: SourceFile,
    pub(crate) path: &'a str,
    pub(crate) list: Vec<&'a CDiag>,
}

/// Every user file's list (report order, at most [`MAX_PER_FILE`]), and the lists of paths
/// that are not files of the workspace, as `charter::semantics::diagnostics` would split them.
pub(crate) fn gather(
    db: &Database,
    ws: Workspace,
) -> (Vec<FileList<'_>>, Vec<(&str, Vec<&CDiag>)>) {
    let files = ws.files(db);
    let lists: Vec<&[CDiag]> = files
        .iter()
        .map(|f| charter::semantics::file_diagnostics(db, ws, *f).as_slice())
        .collect();
    let load = ws.load_diagnostics(db);
    let checks = charter::semantics::workspace_checks(db, ws);
    // Paths that get a diagnostic from somewhere else than their own file's list.
    let mut targets: HashSet<&str> = load
        .iter()
        .chain(checks.iter())
        .map(|d| d.primary.file.as_str())
        .collect();
    for (file, list) in files.iter().zip(&lists) {
        let path = file.path(db).as_str();
        targets.extend(
            list.iter()
                .map(|d| d.primary.file.as_str())
                .filter(|p| *p != path),
        );
    }
    // Their lists, in the order `diagnostics` collects them, then sorted as it sorts.
    let mut merged: HashMap<&str, Vec<&CDiag>> = HashMap::new();
    if !targets.is_empty() {
        let all = load
            .iter()
            .chain(lists.iter().flat_map(|l| l.iter()))
            .chain(checks.iter());
        for d in all {
            if targets.contains(d.primary.file.as_str()) {
                merged.entry(d.primary.file.as_str()).or_default().push(d);
            }
        }
        for list in merged.values_mut() {
            list.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
            list.dedup();
        }
    }
    let mut out = Vec::with_capacity(files.len());
    for (file, list) in files.iter().zip(&lists) {
        let path = file.path(db).as_str();
        if path.starts_with(STD_PREFIX) {
            continue;
        }
        let mut list: Vec<&CDiag> = match merged.remove(path) {
            Some(list) => list,
            None => list.iter().filter(|d| d.primary.file == path).collect(),
        };
        list.truncate(MAX_PER_FILE);
        out.push(FileList {
            file: *file,
            path,
            list,
        });
    }
    let mut other: Vec<(&str, Vec<&CDiag>)> = merged
        .into_iter()
        .filter(|(path, _)| !path.starts_with(STD_PREFIX))
        .collect();
    other.sort_by(|a, b| a.0.cmp(b.0));
    for (_, list) in &mut other {
        list.truncate(MAX_PER_FILE);
    }
    (out, other)
}

/// Whether a file's list is what was last converted for it: equal diagnostics, and (unless
/// empty) a text that did not change since, with no label into another file (whose text may
/// have moved).
fn unchanged(seen: &Seen, list: &[&CDiag], touched: bool, path: &str) -> bool {
    if seen.raw.len() != list.len() {
        return false;
    }
    if list.is_empty() {
        return true;
    }
    !touched
        && list
            .iter()
            .all(|d| d.secondary.iter().all(|l| l.file == path))
        && seen.raw.iter().zip(list).all(|(a, b)| a == *b)
}

/// How long the edits must pause, after the edited files' lists were published early, before
/// the rest of the workspace is checked.
const WORKSPACE_DELAY: std::time::Duration = std::time::Duration::from_millis(30);

/// Publishes the lists of the files edited since the last complete run (at most
/// [`EARLY_FILES`], of a single workspace) through `send`, on a snapshot, before the rest of the
/// workspace is checked. Returns whether it computed them (`false`: nothing to do early, or
/// cancelled by an edit).
fn publish_early(
    shared: &Shared,
    settings: &Settings,
    send: &dyn Fn(Uri, Vec<Diagnostic>) -> bool,
) -> bool {
    let (db, roots, touched) = {
        let host = shared.host();
        let roots: Vec<(PathBuf, Workspace)> =
            host.roots.iter().map(|r| (r.dir.clone(), r.ws)).collect();
        (host.db.clone(), roots, host.touched.clone())
    };
    let started = std::time::Instant::now();
    let mut published = shared.published();
    let [(dir, ws)] = roots.as_slice() else {
        return false;
    };
    if published.files.is_empty() || touched.is_empty() || touched.len() > EARLY_FILES {
        return false;
    }
    let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let mut sent = 0;
        for file in touched.keys() {
            let Some((list, seen)) = early(&db, *ws, dir, &shared.cache, settings, *file) else {
                continue;
            };
            let uri = seen.uri.clone();
            if published.sent.get(&uri) != Some(&list) && send(uri.clone(), list.clone()) {
                published.sent.insert(uri, list);
                // A new file is known from now on, so that the run that finds it gone (when
                // it goes before the rest of the workspace was checked) clears its list.
                published.files.entry(*file).or_insert(seen);
                sent += 1;
            }
        }
        if sent > 0 {
            log::info(&format!(
                "diagnostics of {sent} edited files published in {:.1} ms",
                started.elapsed().as_secs_f64() * 1000.0
            ));
        }
    }));
    result.is_ok()
}

/// Every workspace's changed lists, computed on a snapshot; `None` if an edit cancelled it.
fn compute(shared: &Shared, settings: &Settings) -> Option<Run> {
    let (db, roots, touched, edits) = {
        let host = shared.host();
        let roots: Vec<(PathBuf, Workspace)> =
            host.roots.iter().map(|r| (r.dir.clone(), r.ws)).collect();
        (host.db.clone(), roots, host.touched.clone(), host.edits)
    };
    let started = std::time::Instant::now();
    let published = shared.published();
    let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
        prewarm(&db, &roots);
        let mut run = Run {
            send: Vec::new(),
            seen: Vec::new(),
            gone: Vec::new(),
            other: HashSet::new(),
            edits,
            new_files: 0,
            started,
        };
        // The URIs whose list may have changed, and the files (root, position) each names:
        // one, unless workspaces nest (then their lists are joined, in order, as before).
        let mut dirty: HashSet<Uri> = HashSet::new();
        let mut by_uri: HashMap<Uri, Vec<(usize, usize)>> = HashMap::new();
        let mut gathered = Vec::new();
        let mut live = 0;
        let mut other_lists: Vec<(Uri, usize, Vec<&CDiag>)> = Vec::new();
        let nested = roots.len() > 1;
        for (r, (dir, ws)) in roots.iter().enumerate() {
            let (files, other) = gather(&db, *ws);
            for (i, f) in files.iter().enumerate() {
                let u = match published.files.get(&f.file) {
                    Some(seen) => {
                        live += 1;
                        if unchanged(seen, &f.list, touched.contains_key(&f.file), f.path) {
                            if nested {
                                by_uri.entry(seen.uri.clone()).or_default().push((r, i));
                            }
                            continue;
                        }
                        seen.uri.clone()
                    }
                    None => match uri(dir, &shared.cache, f.path) {
                        Some(u) => {
                            run.new_files += 1;
                            u
                        }
                        None => continue,
                    },
                };
                run.seen.push((f.file, Some(fresh(u.clone(), &f.list))));
                by_uri.entry(u.clone()).or_default().push((r, i));
                dirty.insert(u);
            }
            for (path, list) in other {
                if let Some(u) = uri(dir, &shared.cache, path) {
                    other_lists.push((u, r, list));
                }
            }
            gathered.push(files);
        }
        // The URIs of files that are gone (removed, or their workspace closed).
        if live != published.files.len() {
            let current: HashSet<SourceFile> = gathered
                .iter()
                .flat_map(|files| files.iter().map(|f| f.file))
                .collect();
            for (file, seen) in &published.files {
                if !current.contains(file) {
                    run.seen.push((*file, None));
                    dirty.insert(seen.uri.clone());
                }
            }
        }
        let mut lists: Vec<(Uri, Vec<Diagnostic>)> = Vec::new();
        for u in &dirty {
            if !by_uri.contains_key(u) && other_lists.iter().any(|(o, _, _)| o == u) {
                continue; // a path that is no longer a file but still has diagnostics
            }
            let mut lsp = Vec::new();
            for &(r, i) in by_uri.get(u).map(Vec::as_slice).unwrap_or(&[]) {
                let (Some((dir, ws)), Some(f)) =
                    (roots.get(r), gathered.get(r).and_then(|g| g.get(i)))
                else {
                    continue;
                };
                let mut conv = Converter::new(&db, *ws, dir, &shared.cache, settings);
                for d in &f.list {
                    if lsp.len() < MAX_PER_FILE
                        && let Some(d) = conv.convert(d)
                    {
                        lsp.push(d);
                    }
                }
            }
            if !by_uri.contains_key(u) {
                run.gone.push(u.clone());
            }
            lists.push((u.clone(), lsp));
        }
        for (u, r, list) in other_lists {
            let Some((dir, ws)) = roots.get(r) else {
                continue;
            };
            let mut conv = Converter::new(&db, *ws, dir, &shared.cache, settings);
            let lsp: Vec<Diagnostic> = list.iter().filter_map(|d| conv.convert(d)).collect();
            run.other.insert(u.clone());
            lists.push((u, lsp));
        }
        for u in &published.other {
            if !run.other.contains(u) && !dirty.contains(u) && !by_uri.contains_key(u) {
                lists.push((u.clone(), Vec::new()));
                run.gone.push(u.clone());
            }
        }
        for (u, lsp) in lists {
            let first = !published.sent.contains_key(&u);
            if first || published.sent.get(&u) != Some(&lsp) {
                run.send.push((u, lsp));
            }
        }
        run
    }));
    drop(published);
    drop(db);
    match result {
        Ok(run) => {
            log::info(&format!(
                "diagnostics computed in {:.1} ms",
                started.elapsed().as_secs_f64() * 1000.0
            ));
            Some(run)
        }
        Err(payload) => {
            if !payload.is::<salsa::Cancelled>() {
                log::info("computing diagnostics panicked");
            }
            None
        }
    }
}

/// At most this many edited files are published before the others.
const EARLY_FILES: usize = 8;

/// An edited file's list from its own diagnostics and the checks across files that point into
/// it, without the memo checks of every other file. Diagnostics another file's analysis points
/// into it are missing until the full run, which sends the list again if it differs.
fn early(
    db: &Database,
    ws: Workspace,
    dir: &Path,
    cache: &Path,
    settings: &Settings,
    file: SourceFile,
) -> Option<(Vec<Diagnostic>, Seen)> {
    let path = file.path(db).as_str();
    if path.starts_with(STD_PREFIX) || !ws.files(db).contains(&file) {
        return None;
    }
    let mut conv = Converter::new(db, ws, dir, cache, settings);
    let list = early_list(db, ws, file);
    let lsp = list.iter().filter_map(|d| conv.convert(d)).collect();
    Some((lsp, fresh(uri(dir, cache, path)?, &list)))
}

/// The compiler's side of [`early`].
pub(crate) fn early_list(db: &Database, ws: Workspace, file: SourceFile) -> Vec<&CDiag> {
    let path = file.path(db).as_str();
    let load = ws.load_diagnostics(db);
    let own = charter::semantics::file_diagnostics(db, ws, file);
    let checks = charter::semantics::workspace_checks(db, ws);
    let mut list: Vec<&CDiag> = load
        .iter()
        .chain(own.iter())
        .chain(checks.iter())
        .filter(|d| d.primary.file == path)
        .collect();
    list.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    list.dedup();
    list.truncate(MAX_PER_FILE);
    list
}

fn fresh(uri: Uri, list: &[&CDiag]) -> Seen {
    Seen {
        uri,
        raw: list.iter().map(|d| (*d).clone()).collect(),
    }
}
/// Checks every file on all cores first (like `Database::prewarm`), each worker catching its
/// own cancellation so an edit unwinds them quietly; the caller's queries then only assemble.
fn prewarm(db: &Database, roots: &[(PathBuf, Workspace)]) {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    for (_, ws) in roots {
        let ws = *ws;
        let files = ws.files(db).clone();
        if threads < 2 || files.len() < 2 {
            continue;
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
                            let _ = charter::semantics::file_diagnostics(&db, ws, *file);
                        }
                    }));
                });
            }
        });
    }
}
