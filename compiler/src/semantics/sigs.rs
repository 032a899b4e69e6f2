//! Signatures: the public, span-free shape of a file's declarations. Other files' analyses read
//! these, never the tree, so an edit that changes no signature re-checks only its own file.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{Scope, index, types};
use crate::db::{Db, SourceFile, Workspace, parse};
use crate::ir::{Effect, Kind, QualName, Type};
use crate::syntax::ast;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FieldSig {
    pub name: String,
    pub ty: Type,
    /// Neither optional nor defaulted: a value must give it.
    pub required: bool,
    /// The default as written, span-free (`true`, `Level.low`, `{ depth: 2 }`): what another
    /// file may compare (two subject entities must give an attribute the same default).
    pub default: Option<String>,
    /// `@nullable`: a value may give it as `none`.
    pub nullable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RequirementSig {
    pub id: String,
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Sig {
    Record {
        fields: Vec<FieldSig>,
        with_provenance: bool,
    },
    /// An entity or a context.
    Shape {
        fields: Vec<FieldSig>,
    },
    Enum {
        variants: Vec<String>,
        ordered: bool,
        open: bool,
    },
    Alias {
        ty: Type,
    },
    Policy {
        resource: Option<QualName>,
        subjects: Vec<QualName>,
        context: Option<QualName>,
        /// Resource, subjects and context all resolved.
        complete: bool,
        rules: Vec<(String, Effect)>,
        /// The rules marked `@canary`: they never decide.
        canary: Vec<String>,
        default: Effect,
    },
    Service {
        ops: Vec<String>,
    },
    Control,
    Threat,
    Framework {
        requirements: Vec<RequirementSig>,
    },
}

impl Sig {
    pub fn fields(&self) -> Option<&[FieldSig]> {
        match self {
            Sig::Record { fields, .. } | Sig::Shape { fields } => Some(fields),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ActionSig {
    pub name: String,
    pub resource: QualName,
    pub subjects: Vec<QualName>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct FileSigs {
    pub decls: BTreeMap<String, Arc<Sig>>,
}

/// The standard envelope every `with provenance` record carries.
pub fn provenance_type() -> Type {
    Type::Named(QualName::new("std.provenance", "Provenance"), Kind::Record)
}

pub fn build(db: &dyn Db, ws: Workspace, file: SourceFile) -> FileSigs {
    let parsed = parse(db, file);
    let Some(package) = parsed.file.items.iter().find_map(|i| match i {
        ast::Item::Package(p) => Some(p.path.text()),
        _ => None,
    }) else {
        return FileSigs::default();
    };
    let index = index(db, ws);
    let uses = super::uses(&parsed.file);
    let path = file.path(db);
    let mut sink = Vec::new();
    let mut scope = Scope::new(package, index, &uses, path, &mut sink);
    scope.broken.extend(super::unimported(&parsed.file));
    let mut sigs = FileSigs::default();
    let fields = |fields: &[ast::Field], sink: &mut Vec<_>| -> Vec<FieldSig> {
        fields
            .iter()
            .map(|f| {
                let ty = types::lower(&f.ty, &scope, path, sink);
                FieldSig {
                    name: f.name.name.to_string(),
                    required: !ty.is_optional() && f.default.is_none(),
                    ty,
                    default: f.default.as_ref().map(expr_text),
                    nullable: f.annotations.iter().any(|a| a.name.name == "nullable"),
                }
            })
            .collect()
    };
    for item in &parsed.file.items {
        let (name, sig) = match item {
            ast::Item::Record(r) => {
                let mut fs = Vec::new();
                if r.with_provenance {
                    fs.push(FieldSig {
                        name: "provenance".to_string(),
                        ty: provenance_type(),
                        required: true,
                        default: None,
                        nullable: false,
                    });
                }
                fs.extend(fields(&r.fields, &mut sink));
                (
                    &r.name.name,
                    Sig::Record {
                        fields: fs,
                        with_provenance: r.with_provenance,
                    },
                )
            }
            ast::Item::Entity(e) => (
                &e.name.name,
                Sig::Shape {
                    fields: fields(&e.fields, &mut sink),
                },
            ),
            ast::Item::Context(c) => (
                &c.name.name,
                Sig::Shape {
                    fields: fields(&c.fields, &mut sink),
                },
            ),
            ast::Item::Enum(e) => (
                &e.name.name,
                Sig::Enum {
                    variants: e.variants.iter().map(|v| v.name.name.to_string()).collect(),
                    ordered: e.ordered,
                    open: e.open,
                },
            ),
            ast::Item::Alias(a) => (
                &a.name.name,
                Sig::Alias {
                    ty: types::lower(&a.ty, &scope, path, &mut sink),
                },
            ),
            ast::Item::Policy(p) => {
                let entity = |path: &ast::Path, sink: &mut Vec<_>| {
                    scope.resolve_kind(path, &[Kind::Entity], file.path(db), sink)
                };
                let resource = entity(&p.resource, &mut sink);
                let subjects: Vec<QualName> = p
                    .subjects
                    .iter()
                    .filter_map(|s| entity(s, &mut sink))
                    .collect();
                let context = p
                    .context
                    .as_ref()
                    .and_then(|c| scope.resolve_kind(c, &[Kind::Context], path, &mut sink));
                let complete = resource.is_some()
                    && subjects.len() == p.subjects.len()
                    && context.is_some() == p.context.is_some();
                (
                    &p.name.name,
                    Sig::Policy {
                        resource,
                        subjects,
                        context,
                        complete,
                        canary: p
                            .rules
                            .iter()
                            .filter(|r| r.annotations.iter().any(|a| a.name.name == "canary"))
                            .map(|r| r.name.name.to_string())
                            .collect(),
                        rules: p
                            .rules
                            .iter()
                            .map(|r| {
                                (
                                    r.name.name.to_string(),
                                    match r.effect {
                                        ast::Effect::Allow => Effect::Allow,
                                        ast::Effect::Deny => Effect::Deny,
                                    },
                                )
                            })
                            .collect(),
                        default: match p.default_effect {
                            ast::Effect::Allow => Effect::Allow,
                            ast::Effect::Deny => Effect::Deny,
                        },
                    },
                )
            }
            ast::Item::Service(s) => (
                &s.name.name,
                Sig::Service {
                    ops: s.ops.iter().map(|o| o.name.name.to_string()).collect(),
                },
            ),
            ast::Item::Control(c) => (&c.id.name, Sig::Control),
            ast::Item::Threat(t) => (&t.id.name, Sig::Threat),
            ast::Item::Framework(f) => (
                &f.name.name,
                Sig::Framework {
                    requirements: f
                        .requirements
                        .iter()
                        .map(|r| RequirementSig {
                            id: r.id.value.clone(),
                            aliases: r
                                .attributes
                                .iter()
                                .filter(|(k, _)| k.name == "aliases")
                                .flat_map(|(_, v)| match &v.kind {
                                    ast::ExprKind::List(items) => items
                                        .iter()
                                        .filter_map(|i| match &i.kind {
                                            ast::ExprKind::Str(s) => Some(s.clone()),
                                            _ => None,
                                        })
                                        .collect(),
                                    ast::ExprKind::Str(s) => vec![s.clone()],
                                    _ => Vec::new(),
                                })
                                .collect(),
                        })
                        .collect(),
                },
            ),
            // Actions are summarised from the tree alone (`actions::file_actions`).
            ast::Item::Action(_)
            | ast::Item::Error(_)
            | ast::Item::Package(_)
            | ast::Item::Use(_)
            | ast::Item::Test(_) => continue,
        };
        sigs.decls
            .entry(name.to_string())
            .or_insert_with(|| Arc::new(sig));
    }
    sigs
}

/// A default expression as span-free text: equal texts are equal defaults (the converse need not
/// hold: `Level.low` and `low` differ here, which only makes the comparison stricter). Nesting is
/// bounded by the parser's limit (E0007).
fn expr_text(e: &ast::Expr) -> String {
    use ast::ExprKind as K;
    match &e.kind {
        K::Bool(b) => b.to_string(),
        K::None => "none".to_string(),
        K::Int(n) | K::Float(n) => n.replace('_', ""),
        K::Str(s) => format!("{s:?}"),
        K::Date(d) | K::Duration(d) => d.clone(),
        K::Path(p) => p.text(),
        K::List(items) => {
            let items: Vec<String> = items.iter().map(expr_text).collect();
            format!("[{}]", items.join(", "))
        }
        K::Object(ty, fields) => {
            let fields: Vec<String> = fields
                .iter()
                .map(|(k, v)| format!("{}: {}", k.name, expr_text(v)))
                .collect();
            let ty = ty
                .as_ref()
                .map(|p| format!("{} ", p.text()))
                .unwrap_or_default();
            format!("{ty}{{{}}}", fields.join(", "))
        }
        K::Not(inner) => format!("not {}", expr_text(inner)),
        K::Neg(inner) => format!("-{}", expr_text(inner)),
        K::Has(p) => format!("has {}", p.text()),
        K::Binary(op, a, b) => format!("({} {op:?} {})", expr_text(a), expr_text(b)),
        K::Paren(inner) => expr_text(inner),
        K::Error => "?".to_string(),
    }
}
