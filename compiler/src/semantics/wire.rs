//! The wire annotations (`docs/language.md` §8.4–8.6): `@wire("NAME")` on record fields, enum
//! values and query parameters, `@nullable` on record fields, `@status(CODE)` on operations;
//! the uniqueness of effective wire names (E1007) and the rule that records and enums a policy
//! can read carry neither `@wire` nor `@nullable` (E2014, a whole-workspace check).

use std::collections::{BTreeMap, BTreeSet};

use super::check::FileChecker;
use super::{Sig, file_names, file_sigs};
use crate::db::{Db, SourceFile, Workspace, parse};
use crate::diagnostics::{Diagnostic, codes};
use crate::ir::{Kind, QualName, Type};
use crate::syntax::{Span, ast};

/// One member for the uniqueness of wire names: its identifier and its `@wire` name, if any.
pub(super) struct WireMember<'a> {
    pub ident: &'a ast::Ident,
    pub wire: Option<(&'a str, Span)>,
}

impl FileChecker<'_> {
    /// The argument of `@wire`: one non-empty string without control characters (E7002).
    pub(super) fn wire(&mut self, ann: &ast::Annotation) -> Option<String> {
        let text = match ann.args.as_slice() {
            [
                ast::AnnotationArg {
                    key: None,
                    value:
                        ast::Expr {
                            kind: ast::ExprKind::Str(text),
                            ..
                        },
                },
            ] => text,
            _ => {
                self.error(codes::E7002, "`@wire` takes one name", ann.span)
                    .label("expected one string")
                    .help("write `@wire(\"name-on-the-wire\")`");
                return None;
            }
        };
        if text.is_empty() || text.chars().any(char::is_control) {
            let what = if text.is_empty() {
                "is empty"
            } else {
                "holds a control character"
            };
            self.error(codes::E7002, format!("the wire name {what}"), ann.span)
                .label("not a usable wire name")
                .help("a wire name is a non-empty string without control characters");
            return None;
        }
        Some(text.clone())
    }

    /// The argument of `@status`: one integer (E7002) from 200 to 299 (E4003).
    pub(super) fn status(&mut self, ann: &ast::Annotation) -> Option<u16> {
        let (text, span) = match ann.args.as_slice() {
            [
                ast::AnnotationArg {
                    key: None,
                    value:
                        ast::Expr {
                            kind: ast::ExprKind::Int(text),
                            span,
                        },
                },
            ] => (text, *span),
            _ => {
                self.error(codes::E7002, "`@status` takes one status code", ann.span)
                    .label("expected one integer")
                    .help("write `@status(201)`");
                return None;
            }
        };
        match text.replace('_', "").parse::<u16>() {
            Ok(status) if (200..=299).contains(&status) => Some(status),
            _ => {
                self.error(
                    codes::E4003,
                    format!("`{text}` is not a success status"),
                    span,
                )
                .label("success statuses are 200 to 299")
                .help("declare the success status here and error statuses in `errors { ... }`");
                None
            }
        }
    }

    /// With a result, 204 and 205 are refused: those statuses carry no body (E4003).
    pub(super) fn status_with_body(&mut self, status: Option<(u16, Span)>, has_result: bool) {
        if let Some((code @ (204 | 205), span)) = status
            && has_result
        {
            self.error(codes::E4003, format!("status {code} carries no body"), span)
                .label("the operation returns a result")
                .help("drop the result type, or declare a status that carries a body such as 200 or 201");
        }
    }

    /// Reports a member whose effective wire name (its `@wire` name, else its identifier) was
    /// already taken by an earlier member (E1007). Members whose identifier is itself a
    /// duplicate are skipped: that is already reported. `reserved` names wire names taken
    /// before the first member (`provenance` of a `with provenance` record).
    pub(super) fn wire_duplicates(
        &mut self,
        members: &[WireMember<'_>],
        reserved: &[&str],
        what: &str,
    ) {
        let mut idents: BTreeSet<&str> = reserved.iter().copied().collect();
        let mut seen: BTreeMap<&str, Option<Span>> =
            reserved.iter().map(|name| (*name, None)).collect();
        for member in members {
            if !idents.insert(member.ident.name.as_str()) {
                continue;
            }
            let (name, span) = member
                .wire
                .unwrap_or((member.ident.name.as_str(), member.ident.span));
            if let Some(first) = seen.get(name) {
                let file = self.file;
                let first = *first;
                let d = self
                    .error(codes::E1007, format!("duplicate wire name `{name}`"), span)
                    .label(format!("another {what} already travels as `{name}`"))
                    .help(format!(
                        "give each {what} its own wire name: change or drop one `@wire`"
                    ));
                if let Some(first) = first {
                    d.secondary(file, first, "first used here");
                }
                continue;
            }
            seen.insert(name, Some(span));
        }
    }
}

/// The members' `@wire` names as written, for [`FileChecker::wire_duplicates`].
pub(super) fn written_wire(annotations: &[ast::Annotation]) -> Option<(&str, Span)> {
    annotations.iter().find_map(|a| match a.args.as_slice() {
        [
            ast::AnnotationArg {
                key: None,
                value:
                    ast::Expr {
                        kind: ast::ExprKind::Str(text),
                        ..
                    },
            },
        ] if a.name.name == "wire" && !text.is_empty() => Some((text.as_str(), a.span)),
        _ => None,
    })
}

/// The records and enums a policy can read (span-free, from the signatures): an edit that does
/// not change a signature leaves it equal.
#[salsa::tracked(returns(ref))]
fn policy_readable_names(db: &dyn Db, ws: Workspace) -> BTreeSet<QualName> {
    let mut sigs: BTreeMap<QualName, &Sig> = BTreeMap::new();
    for file in ws.files(db) {
        let Some(package) = &file_names(db, *file).package else {
            continue;
        };
        for (name, sig) in &file_sigs(db, ws, *file).decls {
            sigs.entry(QualName::new(package.as_str(), name.as_str()))
                .or_insert(sig.as_ref());
        }
    }
    policy_readable(&sigs)
}

/// One file's records and enums a policy can read, with their members' `@wire` or `@nullable`
/// (E2014). Which declarations a policy reads comes from the signatures of the whole workspace;
/// only this file's tree is read.
pub(super) fn policy_inputs(db: &dyn Db, ws: Workspace, file: SourceFile) -> Vec<Diagnostic> {
    // The file's records and enums with a member annotated `@wire` or `@nullable`: only they
    // need the workspace's readable names, so a file without any does not depend on them.
    let mut annotated: Vec<(&ast::Ident, Vec<&ast::Annotation>)> = Vec::new();
    for item in &parse(db, file).file.items {
        let (name, members): (&ast::Ident, Vec<&[ast::Annotation]>) = match item {
            ast::Item::Record(r) => (
                &r.name,
                r.fields.iter().map(|f| f.annotations.as_slice()).collect(),
            ),
            ast::Item::Enum(e) => (
                &e.name,
                e.variants
                    .iter()
                    .map(|v| v.annotations.as_slice())
                    .collect(),
            ),
            _ => continue,
        };
        let marked: Vec<&ast::Annotation> = members
            .into_iter()
            .flatten()
            .filter(|a| matches!(a.name.name.as_str(), "wire" | "nullable"))
            .collect();
        if !marked.is_empty() {
            annotated.push((name, marked));
        }
    }
    if annotated.is_empty() {
        return Vec::new();
    }
    let readable = policy_readable_names(db, ws);
    if readable.is_empty() {
        return Vec::new();
    }
    let Some(package) = &file_names(db, file).package else {
        return Vec::new();
    };
    let path = file.path(db);
    let mut out = Vec::new();
    for (name, marked) in annotated {
        if !readable.contains(&QualName::new(package.as_str(), name.name.as_str())) {
            continue;
        }
        for ann in marked {
            let which = ann.name.name.as_str();
            out.push(
                Diagnostic::error(
                    codes::E2014,
                    format!("`@{which}` on `{}`, which a policy reads", name.name),
                    path,
                    ann.span,
                )
                .with_label("a policy input reads members by identifier")
                .with_help("policies read inputs by identifier; declare a separate payload record for the API"),
            );
        }
    }
    out
}

/// The declarations reachable from an entity or context field, transitively through aliases,
/// lists, sets, maps, optionals and record fields.
fn policy_readable(sigs: &BTreeMap<QualName, &Sig>) -> BTreeSet<QualName> {
    let mut todo: Vec<&Type> = sigs
        .values()
        .filter_map(|sig| match sig {
            Sig::Shape { fields } => Some(fields),
            _ => None,
        })
        .flat_map(|fields| fields.iter().map(|f| &f.ty))
        .collect();
    let mut seen: BTreeSet<QualName> = BTreeSet::new();
    while let Some(ty) = todo.pop() {
        match ty {
            Type::Optional(inner)
            | Type::List(inner)
            | Type::Set(inner)
            | Type::Map(inner)
            | Type::Refined(inner, _) => todo.push(inner),
            Type::Named(name, kind) => {
                if !seen.insert(name.clone()) {
                    continue;
                }
                match (kind, sigs.get(name)) {
                    (Kind::Alias, Some(Sig::Alias { ty })) => todo.push(ty),
                    (Kind::Record, Some(Sig::Record { fields, .. })) => {
                        todo.extend(fields.iter().map(|f| &f.ty));
                    }
                    _ => {}
                }
            }
            Type::Prim(_) | Type::Error => {}
        }
    }
    seen
}
