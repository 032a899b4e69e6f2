//! A snapshot of the database for one request, and the conversions between the compiler's byte
//! spans and the protocol's UTF-16 positions and URIs.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use charter::db::{Database, SourceFile, Workspace};
use charter::ide::line_index::{LineCol, LineIndex};
use charter::stdlib::STD_PREFIX;
use charter::syntax::Span;
use tower_lsp_server::ls_types::{Position, Range, Uri};

use crate::host::FileRef;

/// Where standard-library sources are written so editors can open them (read-only copies).
pub fn std_dir(cache: &Path) -> PathBuf {
    cache.join("std")
}

/// The `<std>/…` path of a file in the cache's copy of the standard library.
pub fn std_path_of(cache: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(std_dir(cache)).ok()?;
    let rel: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(format!("{STD_PREFIX}{}", rel.join("/")))
}

/// The database as of one moment, with the file a request is about.
pub struct Snap {
    pub db: Database,
    pub at: FileRef,
    /// Folders of every workspace, by root index.
    pub dirs: Vec<PathBuf>,
    pub cache: PathBuf,
    lines: RefCell<HashMap<SourceFile, LineIndex>>,
}

impl Snap {
    pub fn new(db: Database, at: FileRef, dirs: Vec<PathBuf>, cache: PathBuf) -> Snap {
        Snap {
            db,
            at,
            dirs,
            cache,
            lines: RefCell::default(),
        }
    }

    pub fn ws(&self) -> Workspace {
        self.at.ws
    }

    pub fn file(&self) -> SourceFile {
        self.at.file
    }

    pub fn text(&self, file: SourceFile) -> &str {
        file.text(&self.db)
    }

    fn with_index<T>(&self, file: SourceFile, f: impl FnOnce(&LineIndex, &str) -> T) -> T {
        let text = file.text(&self.db);
        let mut lines = self.lines.borrow_mut();
        let index = lines.entry(file).or_insert_with(|| LineIndex::new(text));
        f(index, text)
    }

    pub fn position(&self, file: SourceFile, offset: usize) -> Position {
        self.with_index(file, |index, text| {
            let p = index.position(text, offset);
            Position::new(p.line, p.col)
        })
    }

    pub fn range(&self, file: SourceFile, span: Span) -> Range {
        Range::new(
            self.position(file, span.start as usize),
            self.position(file, span.end as usize),
        )
    }

    pub fn offset(&self, file: SourceFile, pos: Position) -> usize {
        self.with_index(file, |index, text| {
            index.offset(
                text,
                LineCol {
                    line: pos.line,
                    col: pos.character,
                },
            )
        })
    }

    /// The offset of a position in the request's file.
    pub fn at_offset(&self, pos: Position) -> usize {
        self.offset(self.at.file, pos)
    }

    /// The URI of a workspace file, or of the cached copy of a standard-library file.
    pub fn uri(&self, file: SourceFile) -> Option<Uri> {
        let path = file.path(&self.db);
        if let Some(rel) = path.strip_prefix(STD_PREFIX) {
            return Uri::from_file_path(std_dir(&self.cache).join(rel));
        }
        let dir = self.dirs.get(self.at.root)?;
        Uri::from_file_path(dir.join(path))
    }
}

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
