//! The compiler's diagnostics as the protocol's: byte spans to UTF-16 ranges, labels on other
//! spans to `relatedInformation`, the code to an explain link.

use std::collections::HashMap;
use std::path::Path;

use charter::config::MANIFEST;
use charter::db::{Database, Workspace};
use charter::diagnostics::{Diagnostic as CDiag, Severity};
use charter::ide::line_index::LineIndex;
use charter::stdlib::STD_PREFIX;
use tower_lsp_server::ls_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, Position, Range, Uri,
};

use crate::server::Settings;
use crate::snapshot::std_dir;

/// Converts one workspace's diagnostics. Texts and line indexes are looked up only for the files
/// a converted diagnostic points at.
pub struct Converter<'a> {
    pub db: &'a Database,
    pub ws: Workspace,
    pub dir: &'a Path,
    pub cache: &'a Path,
    pub settings: &'a Settings,
    /// `charter.toml` and its lines, read from disk the first time a diagnostic points at it.
    manifest: Option<(String, LineIndex)>,
    /// Texts and their lines, by path.
    indexes: HashMap<String, (&'a str, LineIndex)>,
}

/// The URI of a workspace path (relative to `dir`), or of the cached copy of a standard-library
/// file.
pub fn uri(dir: &Path, cache: &Path, path: &str) -> Option<Uri> {
    match path.strip_prefix(STD_PREFIX) {
        Some(rel) => Uri::from_file_path(std_dir(cache).join(rel)),
        None => Uri::from_file_path(dir.join(path)),
    }
}

impl<'a> Converter<'a> {
    pub fn new(
        db: &'a Database,
        ws: Workspace,
        dir: &'a Path,
        cache: &'a Path,
        settings: &'a Settings,
    ) -> Converter<'a> {
        Converter {
            db,
            ws,
            dir,
            cache,
            settings,
            manifest: None,
            indexes: HashMap::new(),
        }
    }

    pub fn uri(&self, path: &str) -> Option<Uri> {
        uri(self.dir, self.cache, path)
    }

    /// The text of a workspace file by path (a search through the workspace's files: only
    /// labels that point into another file come here, once per file and run).
    fn text_of(&self, path: &str) -> Option<&'a str> {
        self.ws
            .files(self.db)
            .iter()
            .find(|f| f.path(self.db) == path)
            .map(|f| f.text(self.db).as_str())
    }

    fn range(&mut self, path: &str, span: charter::syntax::Span) -> Range {
        let (text, index): (&str, &LineIndex) = if path == MANIFEST {
            let dir = self.dir;
            let (text, index) = self.manifest.get_or_insert_with(|| {
                let text = std::fs::read_to_string(dir.join(MANIFEST)).unwrap_or_default();
                let index = LineIndex::new(&text);
                (text, index)
            });
            (text.as_str(), index)
        } else {
            if !self.indexes.contains_key(path) {
                let text = self.text_of(path).unwrap_or("");
                self.indexes
                    .insert(path.to_string(), (text, LineIndex::new(text)));
            }
            match self.indexes.get(path) {
                Some((text, index)) => (*text, index),
                None => return Range::default(),
            }
        };
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

    pub fn convert(&mut self, d: &CDiag) -> Option<Diagnostic> {
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
