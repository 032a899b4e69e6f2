//! The host: the one salsa database, the workspaces loaded into it, and which files are open
//! buffers. Only the server's write path touches it, under a lock; requests take a snapshot
//! (a clone of the database, sharing its storage) and let go of the lock at once.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use charter::config::{self, Config};
use charter::db::{Database, SourceFile, Workspace, durability};
use charter::diagnostics::Diagnostic;
use charter::workspace;
use salsa::{Durability, Setter};

/// One workspace: a folder holding `charter.toml`, or a folder of loose files without one.
pub struct Root {
    pub dir: PathBuf,
    pub ws: Workspace,
    pub config: Config,
    /// The standard library's files (first in the workspace).
    std: Vec<SourceFile>,
    /// User files by path relative to `dir`.
    pub files: BTreeMap<String, SourceFile>,
    /// Open buffers and the version the editor last sent.
    pub open: BTreeMap<String, i32>,
    /// No `charter.toml`: only open files belong to it.
    pub loose: bool,
}

impl Root {
    /// Whether a file on disk at `rel` belongs to the workspace's sources.
    fn is_source(&self, rel: &str) -> bool {
        if self.loose || !rel.ends_with(".charter") {
            return false;
        }
        let out = format!("{}/", self.config.out.trim_end_matches('/'));
        if rel.starts_with(&out) || rel.split('/').any(|seg| seg.starts_with('.')) {
            return false;
        }
        self.config.sources.iter().any(|s| {
            let s = s.trim_start_matches("./").trim_end_matches('/');
            s.is_empty() || s == "." || rel.starts_with(&format!("{s}/"))
        })
    }

    pub fn relative(&self, path: &Path) -> Option<String> {
        let rel = path.strip_prefix(&self.dir).ok()?;
        Some(
            rel.components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/"),
        )
    }
}

#[derive(Default)]
pub struct Host {
    pub db: Database,
    pub roots: Vec<Root>,
    /// Counts the texts set; with [`Host::touched`], diagnostics know which files' texts
    /// changed since their last run (their positions must be converted again).
    pub edits: u64,
    /// Files whose text was set, with the value of [`Host::edits`] then.
    pub touched: HashMap<SourceFile, u64>,
    /// The database keeps only some trees and analyses (`Database::set_retention`).
    pub retaining: bool,
}

/// What a request needs to answer on a snapshot.
#[derive(Clone, Copy)]
pub struct FileRef {
    pub root: usize,
    pub ws: Workspace,
    pub file: SourceFile,
}

/// Reads a workspace file from disk by the rules of [`crate::disk`] (only regular files inside
/// the workspace `root`, the size limit while reading).
fn read_text(root: &Path, path: &Path) -> Result<String, crate::disk::ReadError> {
    crate::disk::read(root, path)
}

impl Host {
    /// Loads the workspace at `dir` (holding `charter.toml`) unless it is loaded.
    pub fn load(&mut self, dir: &Path) -> usize {
        if let Some(i) = self.roots.iter().position(|r| r.dir == dir) {
            return i;
        }
        let (config, diags, manifest_text) = Self::read_manifest(dir);
        let mut load_diags = diags;
        let (inputs, read_diags) = crate::workspace::read_sources(dir, &config, &manifest_text);
        load_diags.extend(read_diags);
        let ws = workspace::create(&self.db, config.clone(), inputs, load_diags);
        let all = ws.files(&self.db).clone();
        let mut root = Root {
            dir: dir.to_path_buf(),
            ws,
            config,
            std: all
                .iter()
                .take(charter::stdlib::FILES.len())
                .copied()
                .collect(),
            files: BTreeMap::new(),
            open: BTreeMap::new(),
            loose: false,
        };
        for file in all.iter().skip(charter::stdlib::FILES.len()) {
            root.files.insert(file.path(&self.db).clone(), *file);
        }
        self.roots.push(root);
        self.roots.len() - 1
    }

    /// The workspace's configuration, the manifest's diagnostics and its text.
    fn read_manifest(dir: &Path) -> (Config, Vec<Diagnostic>, String) {
        match read_text(dir, &dir.join(config::MANIFEST)) {
            Ok(text) => {
                let (config, diags) = workspace::manifest(&text);
                (config, diags, text)
            }
            Err(why) => (
                Config::default(),
                vec![why.diagnostic(config::MANIFEST)],
                String::new(),
            ),
        }
    }

    /// Re-reads a workspace's `charter.toml`.
    pub fn reload_manifest(&mut self, root: usize) {
        let Some(r) = self.roots.get_mut(root) else {
            return;
        };
        let (config, diags, _) = Self::read_manifest(&r.dir);
        r.config = config.clone();
        r.ws.set_config(&mut self.db).to(config);
        r.ws.set_load_diagnostics(&mut self.db).to(diags);
    }

    /// The workspace a file belongs to, loading it (or making a loose one) if needed.
    pub fn root_for(&mut self, path: &Path) -> usize {
        let best = self
            .roots
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                path.starts_with(&r.dir) && (!r.loose || path.parent() == Some(&r.dir))
            })
            .max_by_key(|(_, r)| r.dir.components().count())
            .map(|(i, _)| i);
        if let Some(i) = best {
            return i;
        }
        if let Some(dir) = path.parent().and_then(crate::workspace::find_root) {
            return self.load(&dir);
        }
        let dir = path.parent().unwrap_or(path).to_path_buf();
        let ws = workspace::create(&self.db, Config::default(), Vec::new(), Vec::new());
        let std = ws.files(&self.db).clone();
        self.roots.push(Root {
            dir,
            ws,
            config: Config::default(),
            std,
            files: BTreeMap::new(),
            open: BTreeMap::new(),
            loose: true,
        });
        self.roots.len() - 1
    }

    /// Sets the workspace's file list after adding or removing a file.
    fn sync_files(&mut self, root: usize) {
        let Some(r) = self.roots.get(root) else {
            return;
        };
        let mut files = r.std.clone();
        files.extend(r.files.values().copied());
        let ws = r.ws;
        ws.set_files(&mut self.db).to(files);
    }

    fn touch(&mut self, file: SourceFile) {
        self.edits += 1;
        self.touched.insert(file, self.edits);
    }

    /// Sets the text of a file, adding it if new. Returns whether anything changed.
    /// `level`: [`durability::BUFFER`] for an editor's buffer, [`durability::DISK`] for a
    /// file read from disk (see [`charter::db::durability`]).
    fn put(&mut self, root: usize, rel: &str, text: String, level: Durability) -> bool {
        let Some(r) = self.roots.get(root) else {
            return false;
        };
        if let Some(file) = r.files.get(rel).copied() {
            if file.text(&self.db) == &text {
                return false;
            }
            file.set_text(&mut self.db).with_durability(level).to(text);
            self.touch(file);
            return true;
        }
        let file = SourceFile::builder(rel.to_string(), text)
            .durability(level)
            .new(&self.db);
        self.touch(file);
        if let Some(r) = self.roots.get_mut(root) {
            r.files.insert(rel.to_string(), file);
        }
        self.sync_files(root);
        true
    }

    fn remove(&mut self, root: usize, rel: &str) -> bool {
        let removed = self
            .roots
            .get_mut(root)
            .and_then(|r| r.files.remove(rel))
            .is_some();
        if removed {
            self.sync_files(root);
        }
        removed
    }

    /// An editor opened or changed a buffer (full text). Stale versions are ignored. Returns the
    /// workspace when something changed: the text, or a workspace was loaded for it (opening a
    /// file whose buffer equals the disk's changes nothing to check).
    pub fn edit(&mut self, path: &Path, text: String, version: i32) -> Option<usize> {
        let loaded = self.roots.len();
        let root = self.root_for(path);
        let rel = self.roots.get(root)?.relative(path)?;
        let r = self.roots.get_mut(root)?;
        if r.open.get(&rel).is_some_and(|v| *v >= version) && r.files.contains_key(&rel) {
            return None;
        }
        r.open.insert(rel.clone(), version);
        let changed = self.put(root, &rel, text, durability::BUFFER);
        (changed || self.roots.len() > loaded).then_some(root)
    }

    /// An editor closed a buffer: the file on disk counts again (or the file goes).
    pub fn close(&mut self, path: &Path) -> Option<usize> {
        let root = self.root_for(path);
        let rel = self.roots.get(root)?.relative(path)?;
        self.roots.get_mut(root)?.open.remove(&rel);
        let keep = self.roots.get(root).is_some_and(|r| r.is_source(&rel));
        let dir = self.roots.get(root)?.dir.clone();
        match read_text(&dir, path) {
            Ok(text) if keep => {
                self.put(root, &rel, text, durability::DISK);
            }
            _ => {
                self.remove(root, &rel);
            }
        }
        Some(root)
    }

    /// A file changed on disk (created, changed or deleted). Open buffers keep precedence.
    pub fn disk_changed(&mut self, path: &Path) -> Option<usize> {
        if path.file_name().is_some_and(|n| n == config::MANIFEST) {
            let dir = path.parent()?;
            let root = self.roots.iter().position(|r| r.dir == dir)?;
            self.reload_manifest(root);
            return Some(root);
        }
        if path.extension().is_none_or(|e| e != "charter") {
            return None;
        }
        let root = self
            .roots
            .iter()
            .position(|r| !r.loose && path.starts_with(&r.dir))?;
        let rel = self.roots.get(root)?.relative(path)?;
        let r = self.roots.get(root)?;
        if r.open.contains_key(&rel) {
            return None;
        }
        let changed = match read_text(&r.dir, path) {
            Ok(text) if r.is_source(&rel) => self.put(root, &rel, text, durability::DISK),
            _ => self.remove(root, &rel),
        };
        changed.then_some(root)
    }

    /// The workspace and file of a path, if loaded.
    pub fn file(&self, path: &Path) -> Option<FileRef> {
        self.roots
            .iter()
            .enumerate()
            .filter(|(_, r)| path.starts_with(&r.dir))
            .filter_map(|(i, r)| {
                let rel = r.relative(path)?;
                r.files.get(&rel).map(|f| FileRef {
                    root: i,
                    ws: r.ws,
                    file: *f,
                })
            })
            .max_by_key(|f| {
                self.roots
                    .get(f.root)
                    .map_or(0, |r| r.dir.components().count())
            })
    }

    /// A standard-library file of any loaded workspace, by its `<std>/…` path.
    pub fn std_file(&self, std_path: &str) -> Option<FileRef> {
        self.roots.iter().enumerate().find_map(|(i, r)| {
            r.std
                .iter()
                .find(|f| f.path(&self.db) == std_path)
                .map(|f| FileRef {
                    root: i,
                    ws: r.ws,
                    file: *f,
                })
        })
    }
}
