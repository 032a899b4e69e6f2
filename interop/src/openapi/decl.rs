//! Generated declarations, kept as parts (doc comment, text, alias type) so that nothing ever
//! searches the generated text, and the one pass over them: aliases that contain themselves.

use charter::diagnostics::codes;
use std::collections::{BTreeMap, BTreeSet};

use super::Importer;
use super::doc::escape;

impl Importer<'_> {
    /// Aliases that refer to themselves through other aliases are an error in Charter
    /// (E2010); such an alias becomes `map<string, string>` with a warning.
    pub(super) fn break_alias_cycles(&mut self) {
        let aliases: BTreeMap<String, Vec<String>> = self
            .decls
            .iter()
            .filter_map(|(name, decl)| Some((name.clone(), type_names(decl.alias.as_deref()?))))
            .collect();
        let refs = |name: &str| -> Vec<String> {
            aliases
                .get(name)
                .into_iter()
                .flatten()
                .filter(|w| aliases.contains_key(*w))
                .cloned()
                .collect()
        };
        let mut cyclic = Vec::new();
        for start in aliases.keys() {
            let mut seen = BTreeSet::new();
            let mut stack = refs(start);
            while let Some(next) = stack.pop() {
                if next == *start {
                    cyclic.push(start.clone());
                    break;
                }
                if seen.insert(next.clone()) {
                    stack.extend(refs(&next));
                }
            }
        }
        for name in cyclic {
            let original = self
                .schema_names
                .iter()
                .find(|(_, c)| **c == name)
                .map(|(o, _)| o.clone())
                .unwrap_or_else(|| name.clone());
            self.warn(
                codes::W8005,
                format!("the recursive schema `{original}`"),
                &format!("/components/schemas/{}", escape(&original)),
                "it contains itself without an object in between, which a Charter type alias cannot; imported as `map<string, string>`",
            );
            if let Some(decl) = self.decls.get_mut(&name) {
                let doc = std::mem::take(&mut decl.doc);
                *decl = Decl::alias(&name, "map<string, string>").with_doc(doc);
            }
        }
    }
}

/// One generated declaration, kept as parts so nothing ever searches the generated text: its
/// doc comment (`///` lines from [`super::names::doc_lines`]), its text, and for a `type` alias the type.
#[derive(Debug, Clone, Default)]
pub struct Decl {
    pub doc: String,
    pub body: String,
    pub alias: Option<String>,
}

impl Decl {
    pub fn new(body: String) -> Decl {
        Decl {
            body,
            ..Decl::default()
        }
    }

    /// `type NAME = TY`.
    pub fn alias(name: &str, ty: &str) -> Decl {
        Decl {
            doc: String::new(),
            body: format!("type {name} = {ty}\n"),
            alias: Some(ty.to_string()),
        }
    }

    pub fn with_doc(self, doc: String) -> Decl {
        Decl { doc, ..self }
    }
}

/// The names a generated type's text refers to (string literals, such as a pattern, skipped).
fn type_names(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        if c == '"' {
            // `string_lit` escapes `"` and `\` with a backslash.
            while let Some(c) = chars.next() {
                match c {
                    '\\' => {
                        chars.next();
                    }
                    '"' => break,
                    _ => {}
                }
            }
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}
