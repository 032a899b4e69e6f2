//! Reading a workspace's files from disk, for the language server and `charter` alike (the CLI
//! uses this module): only regular files inside the workspace are read (see `docs/output.md`).
//!
//! - A symbolic link is followed once when what it points to is inside the workspace; a link
//!   leading out of it, a broken link, and a folder link back to one of its own parents (a loop)
//!   are refused with **E9007**, as is anything that is not a regular file (a FIFO, a device, a
//!   socket). The content of a refused entry is never read, so never printed.
//! - A file (or folder) reached twice through links is read once.
//! - The size limit holds while reading: at most the limit plus one byte is read (**E9004**),
//!   whatever the file's metadata says.

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use charter::diagnostics::{Diagnostic, codes};

/// The largest source file Charter reads.
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// Not a regular file inside the workspace (E9007): the reason, such as "is a FIFO".
    Refused(String),
    /// Larger than the limit (E9004).
    TooLarge,
    /// Not UTF-8 (E9003): the offset of the first bad byte.
    NotUtf8(usize),
    /// The file system failed (E9006).
    Io(std::io::Error),
}

impl ReadError {
    /// The diagnostic for a file whose path, relative to the workspace, is `rel`.
    pub fn diagnostic(&self, rel: &str) -> Diagnostic {
        match self {
            ReadError::Refused(why) => refused(rel, why),
            ReadError::TooLarge => Diagnostic::path_error(
                codes::E9004,
                format!(
                    "`{rel}` is larger than {} MiB ({MAX_FILE_BYTES} bytes), the limit",
                    MAX_FILE_BYTES / (1024 * 1024)
                ),
                rel,
            )
            .with_help("split the file: a package may span many files in its folder"),
            ReadError::NotUtf8(at) => Diagnostic::path_error(
                codes::E9003,
                format!("`{rel}` is not UTF-8 (invalid byte at offset {at})"),
                rel,
            )
            .with_help("save the file as UTF-8"),
            ReadError::Io(error) => {
                Diagnostic::path_error(codes::E9006, format!("cannot read `{rel}`: {error}"), rel)
                    .with_help("check the file's permissions")
            }
        }
    }
}

/// The E9007 diagnostic for an entry `rel` that is not read because it `why` ("is a FIFO").
pub fn refused(rel: &str, why: &str) -> Diagnostic {
    Diagnostic::path_error(codes::E9007, format!("`{rel}` {why}; it is not read"), rel).with_help(
        "sources are regular files inside the workspace: replace the entry with a regular file, \
         or move it out of the source folders",
    )
}

/// What a regular file's type is called in a refusal.
fn kind(file_type: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "is a FIFO (named pipe), not a regular file";
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return "is a device, not a regular file";
        }
        if file_type.is_socket() {
            return "is a socket, not a regular file";
        }
    }
    if file_type.is_dir() {
        return "is a folder, not a regular file";
    }
    "is not a regular file"
}

/// `root` with its links resolved (or as given when it cannot be).
fn canonical_root(root: &Path) -> PathBuf {
    std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf())
}

/// Reads the file at `path` (inside the workspace `root`) as UTF-8 text, by the rules above.
pub fn read(root: &Path, path: &Path) -> Result<String, ReadError> {
    Reader::new(root).read(path)
}

/// Reads at most `limit` bytes of the regular file at `path` inside `root`.
pub fn read_bytes(root: &Path, path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    Reader::new(root).read_bytes(path, limit)
}

/// Reads many files of one workspace: its root's links are resolved once, not per file.
pub struct Reader {
    root: PathBuf,
}

impl Reader {
    pub fn new(root: &Path) -> Reader {
        Reader {
            root: canonical_root(root),
        }
    }

    /// [`read`], inside this reader's root.
    pub fn read(&self, path: &Path) -> Result<String, ReadError> {
        let bytes = self.read_bytes(path, MAX_FILE_BYTES)?;
        String::from_utf8(bytes).map_err(|e| ReadError::NotUtf8(e.utf8_error().valid_up_to()))
    }

    /// [`read_bytes`], inside this reader's root.
    pub fn read_bytes(&self, path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
        read_inside(&self.root, path, limit)
    }
}

/// Reads at most `limit` bytes of the regular file at `path` inside `root`, whose links are
/// already resolved.
fn read_inside(root: &Path, path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let meta = std::fs::symlink_metadata(path).map_err(ReadError::Io)?;
    let (target, meta) = if meta.is_symlink() {
        let Ok(target) = std::fs::canonicalize(path) else {
            return Err(ReadError::Refused(
                "is a broken symbolic link (or one in a loop)".to_string(),
            ));
        };
        if !target.starts_with(root) {
            return Err(ReadError::Refused(
                "is a symbolic link leading out of the workspace".to_string(),
            ));
        }
        let meta = std::fs::metadata(&target).map_err(ReadError::Io)?;
        (target, meta)
    } else {
        (path.to_path_buf(), meta)
    };
    if !meta.is_file() {
        return Err(ReadError::Refused(kind(meta.file_type()).to_string()));
    }
    let file = open_unblocked(&target).map_err(ReadError::Io)?;
    // What was opened is what was checked (not a FIFO swapped in meanwhile).
    let opened = file.metadata().map_err(ReadError::Io)?;
    if !opened.is_file() {
        return Err(ReadError::Refused(kind(opened.file_type()).to_string()));
    }
    // Sized from the file, so the text is kept without the spare room a growing buffer has.
    let expected = usize::try_from(opened.len().min(limit.saturating_add(1))).unwrap_or(0);
    let mut bytes = Vec::with_capacity(expected);
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge);
    }
    Ok(bytes)
}

/// Opens `path` for reading without waiting: a FIFO swapped in after the checks above is opened
/// at once (and then refused) instead of blocking until a writer comes.
fn open_unblocked(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// The `.charter` files under the source folders, and the entries refused on the way.
#[derive(Default)]
pub struct Found {
    /// Files to read, each once, by its path under the folder it was found in, sorted.
    pub files: Vec<PathBuf>,
    /// Entries not followed, with the reason (for [`refused`]).
    pub refused: Vec<(PathBuf, String)>,
}

/// Finds the `.charter` files under `folders` (inside the workspace `root`), skipping hidden
/// folders, `skip` (the output folder), `target` and `node_modules`.
pub fn discover(root: &Path, folders: &[PathBuf], skip: &Path) -> Found {
    let root = canonical_root(root);
    let skip = std::fs::canonicalize(skip).ok();
    let mut walk = Walk {
        root,
        skip,
        dirs: HashSet::new(),
        files: HashSet::new(),
        found: Found::default(),
    };
    for folder in folders {
        if let Ok(real) = std::fs::canonicalize(folder)
            && walk.dirs.insert(real.clone())
        {
            walk.folder(folder, &real);
        }
    }
    walk.found.files.sort();
    walk.found.refused.sort();
    walk.found
}

struct Walk {
    root: PathBuf,
    skip: Option<PathBuf>,
    /// Folders already walked, by their real path (hashed: ordering paths compares them
    /// component by component, and only membership is asked).
    dirs: HashSet<PathBuf>,
    /// Files already found, by their real path.
    files: HashSet<PathBuf>,
    found: Found,
}

impl Walk {
    /// Walks `dir`, whose path with its links resolved is `real_dir`: an entry that is not a
    /// link is at `real_dir/name`, so only links are resolved (one `canonicalize` each).
    fn folder(&mut self, dir: &Path, real_dir: &Path) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<_> = entries.flatten().collect();
        entries.sort_by_key(std::fs::DirEntry::file_name);
        for entry in entries {
            let path = entry.path();
            let name = entry.file_name();
            let Ok(file_type) = entry.file_type() else {
                continue;
            };
            let source = path.extension().is_some_and(|e| e == "charter");
            let skipped_name = name.to_string_lossy().starts_with('.')
                || name == "target"
                || name == "node_modules";
            if file_type.is_symlink() {
                let Ok(real) = std::fs::canonicalize(&path) else {
                    if source {
                        self.refuse(path, "is a broken symbolic link (or one in a loop)");
                    }
                    continue;
                };
                let is_dir = real.is_dir();
                if is_dir && (skipped_name || Some(&real) == self.skip.as_ref()) {
                    continue;
                }
                if !is_dir && !source {
                    continue;
                }
                if !real.starts_with(&self.root) {
                    self.refuse(path, "is a symbolic link leading out of the workspace");
                    continue;
                }
                if is_dir {
                    if real_dir.starts_with(&real) {
                        self.refuse(path, "is a symbolic link to a folder holding it (a loop)");
                    } else if self.dirs.insert(real.clone()) {
                        self.folder(&path, &real);
                    }
                } else {
                    self.file(path, real);
                }
            } else if file_type.is_dir() {
                if skipped_name {
                    continue;
                }
                let real = real_dir.join(&name);
                if Some(&real) != self.skip.as_ref() && self.dirs.insert(real.clone()) {
                    self.folder(&path, &real);
                }
            } else if source {
                if file_type.is_file() {
                    let real = real_dir.join(&name);
                    self.file(path, real);
                } else {
                    self.refuse(path, kind(file_type));
                }
            }
        }
    }

    fn file(&mut self, path: PathBuf, real: PathBuf) {
        if self.files.insert(real) {
            self.found.files.push(path);
        }
    }

    fn refuse(&mut self, path: PathBuf, why: &str) {
        self.found.refused.push((path, why.to_string()));
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// A FIFO that takes the place of a checked file between the check and the open is opened
    /// at once and refused, where a blocking open would wait for a writer forever.
    #[test]
    fn a_fifo_is_opened_without_waiting() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("swapped.charter");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let (send, receive) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let opened = open_unblocked(&fifo).map(|file| file.metadata().map(|m| m.is_file()));
            let _ = send.send(opened.map_err(|e| e.to_string()).map(|m| m.ok()));
        });
        let opened = receive
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("opening the FIFO waited for a writer");
        assert_eq!(opened, Ok(Some(false)));
    }
}
