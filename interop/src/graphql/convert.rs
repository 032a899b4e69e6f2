//! The conversion proper: a parsed document in, Charter source text (unformatted) out.

use crate::{Lines, Location};
use charter::diagnostics::{Code, codes};
use std::collections::BTreeMap;

use async_graphql_parser::Pos;
use async_graphql_parser::Positioned;
use async_graphql_parser::types::{
    BaseType, ConstDirective, ServiceDocument, Type, TypeDefinition, TypeKind,
};
use async_graphql_value::ConstValue;

mod collect;
mod decl;

use super::names::{fit, problem};
use super::{ImportError, ImportWarning, UNKNOWN_SINCE, last_segment, values, warning};
use charter::naming::Names;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Builtin,
    Scalar,
    Object,
    Interface,
    Union,
    Enum,
    Input,
}

struct Info {
    kind: Kind,
    /// The Charter name (empty for dropped kinds).
    charter: String,
    /// Enum values: GraphQL name → Charter name.
    values: BTreeMap<String, String>,
    /// For custom scalars: the Charter type the alias names.
    target: &'static str,
}

/// Custom scalars with a Charter primitive of the same meaning.
const KNOWN_SCALARS: [(&str, &str); 5] = [
    ("DateTime", "timestamp"),
    ("Date", "date"),
    ("UUID", "uuid"),
    ("Decimal", "decimal"),
    ("Bytes", "bytes"),
];

pub struct Converter<'a> {
    file: &'a str,
    lines: Lines<'a>,
    package: &'a str,
    warnings: Vec<ImportWarning>,
    positions: Vec<(usize, usize)>,
    types: BTreeMap<String, Info>,
    query: Option<String>,
    mutation: Option<String>,
    subscription: Option<String>,
    id_used: bool,
}

impl<'a> Converter<'a> {
    pub fn new(file: &'a str, text: &'a str, package: &'a str) -> Self {
        let mut types = BTreeMap::new();
        for (name, charter) in [
            ("Int", "int"),
            ("Float", "float"),
            ("String", "string"),
            ("Boolean", "bool"),
            ("ID", "ID"),
        ] {
            types.insert(
                name.to_string(),
                Info {
                    kind: Kind::Builtin,
                    charter: charter.to_string(),
                    values: BTreeMap::new(),
                    target: "",
                },
            );
        }
        Converter {
            file,
            lines: Lines::new(text),
            package,
            warnings: Vec::new(),
            positions: Vec::new(),
            types,
            query: None,
            mutation: None,
            subscription: None,
            id_used: false,
        }
    }

    pub fn kind_of(&self, name: &str) -> Option<Kind> {
        self.types.get(name).map(|i| i.kind)
    }

    pub fn enum_value(&self, ty: &str, value: &str) -> Option<&str> {
        self.types.get(ty)?.values.get(value).map(String::as_str)
    }

    pub fn scalar_is_string(&self, name: &str) -> bool {
        self.types.get(name).is_some_and(|i| i.target == "string")
    }

    fn loc(&self, pos: Pos) -> Location {
        Location::at(self.file, self.lines.position(pos.line, pos.column))
    }

    fn warn(&mut self, code: Code, construct: String, pos: Pos, message: String) {
        let location = self.loc(pos);
        self.positions.push((pos.line, pos.column));
        self.warnings
            .push(warning(code, construct, location, message));
    }

    /// The warnings in document order.
    pub fn take_warnings(&mut self) -> Vec<ImportWarning> {
        let mut pairs: Vec<((usize, usize), ImportWarning)> = std::mem::take(&mut self.positions)
            .into_iter()
            .zip(std::mem::take(&mut self.warnings))
            .collect();
        pairs.sort_by_key(|(pos, _)| *pos);
        pairs.into_iter().map(|(_, w)| w).collect()
    }

    pub fn run(&mut self, doc: &ServiceDocument) -> Result<String, ImportError> {
        let types = self.collect(doc)?;
        self.validate(&types)?;
        let mut taken = Names::default();
        taken.reserve("ID");
        for t in &types {
            self.name_type(t, &mut taken);
        }
        let mut body = String::new();
        for t in &types {
            self.declaration(t, &mut body);
        }
        let service = self.service(&types, &mut taken);
        let mut out = format!(
            "// Imported from `{}` by `charter import graphql`.\npackage {}\n\n",
            self.file, self.package
        );
        if self.id_used {
            out.push_str(
                "/// GraphQL's `ID`: a unique identifier, serialized as a string.\ntype ID = string\n\n",
            );
        }
        out.push_str(&body);
        out.push_str(&service);
        Ok(out)
    }

    /// Chooses the Charter name of a type that becomes a declaration.
    fn name_type(&mut self, t: &Positioned<TypeDefinition>, taken: &mut Names) {
        let name = t.node.name.node.to_string();
        let kind = self.kind_of(&name);
        if matches!(kind, Some(Kind::Interface | Kind::Union)) || self.is_root(&name) {
            return;
        }
        if let Some(why) = problem(&name, true, taken) {
            let charter = fit(&name, true, taken);
            self.warn(
                codes::W8051,
                format!("type {name}"),
                t.node.name.pos,
                format!("`{name}` {why}; imported as `{charter}`"),
            );
            self.set_name(&name, charter);
        } else {
            let charter = fit(&name, true, taken);
            self.set_name(&name, charter);
        }
        if let TypeKind::Enum(e) = &t.node.kind {
            let mut values_taken = Names::default();
            let mut values = BTreeMap::new();
            for v in &e.values {
                // A value that is no Charter identifier is renamed and kept on the wire with
                // `@wire` (convert/decl.rs): no warning.
                let value = v.node.value.node.to_string();
                let charter = fit(&value, false, &mut values_taken);
                values.insert(value, charter);
            }
            if let Some(info) = self.types.get_mut(&name) {
                info.values = values;
            }
        }
    }

    fn set_name(&mut self, name: &str, charter: String) {
        if let Some(info) = self.types.get_mut(name) {
            info.charter = charter;
        }
    }

    /// The Charter type of a GraphQL type reference.
    pub fn ty(&mut self, ty: &Type) -> String {
        let base = match &ty.base {
            BaseType::Named(n) => {
                if n.as_str() == "ID" {
                    self.id_used = true;
                }
                self.types
                    .get(n.as_str())
                    .map(|i| i.charter.clone())
                    .unwrap_or_default()
            }
            BaseType::List(inner) => format!("list<{}>", self.ty(inner)),
        };
        if ty.nullable {
            format!("{base}?")
        } else {
            base
        }
    }

    fn kind_of_ref(&self, ty: &Type) -> Option<Kind> {
        self.kind_of(base_name(ty))
    }

    fn doc(out: &mut String, indent: &str, description: Option<&Positioned<String>>) {
        let Some(text) = description.map(|d| d.node.trim()).filter(|t| !t.is_empty()) else {
            return;
        };
        // One escaping of doc comments for both importers: every line break starts a `///`
        // line, unsafe characters are replaced, so no description can add a declaration.
        out.push_str(&crate::openapi::doc_lines(text, indent));
    }

    /// The doc comment of something renamed keeps its GraphQL name.
    pub(super) fn named_doc(
        out: &mut String,
        indent: &str,
        description: Option<&Positioned<String>>,
        original: &str,
        charter: &str,
    ) {
        let mut text = description
            .map(|d| d.node.trim().to_string())
            .unwrap_or_default();
        if original != charter {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str(&format!("GraphQL name: `{original}`."));
        }
        Self::doc(out, indent, Some(&Positioned::new(text, Pos::default())));
    }

    /// `@deprecated(...)` for a deprecated item, and warnings for every other directive.
    fn annotations(
        &mut self,
        out: &mut String,
        indent: &str,
        construct: &str,
        directives: &[Positioned<ConstDirective>],
    ) {
        for d in directives {
            if d.node.name.node.as_str() != "deprecated" {
                self.other_directive(construct, d);
                continue;
            }
            let reason = d
                .node
                .arguments
                .iter()
                .find(|(n, _)| n.node.as_str() == "reason")
                .and_then(|(_, v)| match &v.node {
                    ConstValue::String(s) => Some(s.clone()),
                    _ => None,
                });
            let note = reason
                .map(|r| format!(", note: {}", charter::syntax::lex::quote(&r)))
                .unwrap_or_default();
            out.push_str(&format!(
                "{indent}@deprecated(since: {UNKNOWN_SINCE}{note})\n"
            ));
            self.warn(codes::W8054, format!("deprecation {construct}"), d.pos, format!("GraphQL deprecations carry no date: `since` is set to {UNKNOWN_SINCE}; replace it with the day `{construct}` was deprecated"));
        }
    }

    fn other_directives(&mut self, construct: &str, directives: &[Positioned<ConstDirective>]) {
        for d in directives {
            self.other_directive(construct, d);
        }
    }

    fn other_directive(&mut self, construct: &str, d: &Positioned<ConstDirective>) {
        let name = d.node.name.node.to_string();
        self.warn(
            codes::W8050,
            format!("directive @{name}"),
            d.pos,
            format!("the directive `@{name}` on `{construct}` is not imported"),
        );
    }

    pub(super) fn kind_of_type(&self, ty: &Type) -> Option<Kind> {
        self.kind_of_ref(ty)
    }

    pub(super) fn warn_at(&mut self, code: Code, construct: String, pos: Pos, message: String) {
        self.warn(code, construct, pos, message);
    }

    pub(super) fn importable(&mut self, coordinate: &str, ty: &Positioned<Type>) -> bool {
        self.importable_output(coordinate, ty)
    }

    pub(super) fn annotate(
        &mut self,
        out: &mut String,
        indent: &str,
        construct: &str,
        directives: &[Positioned<ConstDirective>],
    ) {
        self.annotations(out, indent, construct, directives);
    }
}

/// The named type at the bottom of a (list) type.
pub fn base_name(ty: &Type) -> &str {
    match &ty.base {
        BaseType::Named(n) => n.as_str(),
        BaseType::List(inner) => base_name(inner),
    }
}
