//! Completion: after a `.`, the fields of an attribute path, the values of an enum, the
//! requirement ids of a framework, or the names of a package; elsewhere, the keywords that fit
//! where the cursor is, the names in scope and the actions of the policy's resource.

use super::resolve::Target;
use crate::db::{Db, SourceFile, Workspace, parse};
use crate::ir::{Kind, Prim, QualName, Type};
use crate::semantics::{self, Scope, Sig};
use crate::syntax::ast;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompletionKind {
    Keyword,
    Declaration(Kind),
    Type,
    Field,
    EnumValue,
    Action,
    Requirement,
    Package,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Completion {
    pub label: String,
    pub kind: CompletionKind,
    pub detail: Option<String>,
    /// The text to insert, when it differs from the label (requirement ids are quoted).
    pub insert: Option<String>,
}

impl Completion {
    fn new(label: impl Into<String>, kind: CompletionKind) -> Self {
        Completion {
            label: label.into(),
            kind,
            detail: None,
            insert: None,
        }
    }

    fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
}

const TOP: &[&str] = &[
    "package", "use", "record", "enum", "ordered", "open", "type", "entity", "action", "context",
    "policy", "service", "control", "threat", "test",
];
const POLICY: &[&str] = &[
    "allow", "deny", "when", "because", "and", "or", "not", "in", "has", "true", "false", "none",
    "subject", "resource", "context", "action",
];
const SERVICE: &[&str] = &[
    "op",
    "errors",
    "requires",
    "provenance",
    "guarded",
    "by",
    "action",
    "graphql",
];
const CONTROL: &[&str] = &[
    "owner",
    "satisfies",
    "enforced",
    "by",
    "evidence",
    "category",
    "retained",
    "produced",
];
const THREAT: &[&str] = &[
    "subsystem",
    "category",
    "likelihood",
    "impact",
    "mitigated",
    "by",
];
const TEST: &[&str] = &[
    "subject", "resource", "context", "action", "expect", "allow", "deny", "by", "default",
];
const SHAPE: &[&str] = &["with", "provenance"];

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// Completions at byte `offset` of `file`.
pub fn completions(db: &dyn Db, ws: Workspace, file: SourceFile, offset: usize) -> Vec<Completion> {
    let text = file.text(db);
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or("");
    let word_start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_name_char(*c))
        .last()
        .map_or(offset, |(i, _)| i);
    let head = before.get(..word_start).unwrap_or("");
    let parsed = parse(db, file);
    let Some(package) = parsed.file.items.iter().find_map(|i| match i {
        ast::Item::Package(p) => Some(p.path.text()),
        _ => None,
    }) else {
        return keywords(&["package"]);
    };
    let index = semantics::index(db, ws);
    let uses = semantics::uses(&parsed.file);
    let mut sink = Vec::new();
    let scope = Scope::new(package.clone(), index, &uses, "", &mut sink);
    let containing = |items: &'_ [ast::Item]| -> Option<usize> {
        items
            .iter()
            .position(|i| (i.span().start as usize) < offset && offset <= i.span().end as usize)
    };
    // A declaration that does not parse because of the half-written name at the cursor: parse
    // it again with a placeholder name there, to know which policy and roles are in play.
    let patched;
    let mut item = containing(&parsed.file.items).and_then(|i| parsed.file.items.get(i));
    if let Some(ast::Item::Error(_)) = item {
        let mut text2 = String::with_capacity(text.len() + 1);
        text2.push_str(before);
        text2.push('x');
        text2.push_str(text.get(offset..).unwrap_or(""));
        patched = crate::syntax::parse(file.path(db), &text2);
        if let Some(found) = containing(&patched.file.items).and_then(|i| patched.file.items.get(i))
            && !matches!(found, ast::Item::Error(_))
        {
            item = Some(found);
        }
    }
    let ctx = CompletionScope {
        db,
        ws,
        scope: &scope,
        package: &package,
    };
    if let Some(chain) = head.strip_suffix('.') {
        let chain_start = chain
            .char_indices()
            .rev()
            .take_while(|(_, c)| is_name_char(*c) || *c == '.')
            .last()
            .map_or(chain.len(), |(i, _)| i);
        let chain = chain.get(chain_start..).unwrap_or("");
        let segments: Vec<&str> = chain.split('.').filter(|s| !s.is_empty()).collect();
        return ctx.after_dot(&segments, item);
    }
    let mut out = match item {
        None => keywords(TOP),
        Some(ast::Item::Policy(_)) => keywords(POLICY),
        Some(ast::Item::Service(_)) => keywords(SERVICE),
        Some(ast::Item::Control(_)) => keywords(CONTROL),
        Some(ast::Item::Threat(_)) => keywords(THREAT),
        Some(ast::Item::Test(_)) => keywords(TEST),
        Some(ast::Item::Record(_) | ast::Item::Entity(_) | ast::Item::Context(_)) => {
            keywords(SHAPE)
        }
        Some(_) => Vec::new(),
    };
    if item.is_some() {
        out.extend(ctx.names_in_scope());
        // After a comparison with an attribute of enum type: its values first.
        if let Some(env) = ctx.policy_env(item) {
            out.extend(ctx.values_after_comparison(head, &env));
        }
        if let Some(resource) = ctx.policy_env(item).and_then(|e| e.0) {
            for action in semantics::actions(db, ws)
                .get(&resource)
                .into_iter()
                .flatten()
            {
                out.push(
                    Completion::new(action.name.clone(), CompletionKind::Action)
                        .detail(format!("action on {resource}")),
                );
            }
        }
    }
    out.sort_by(|a, b| a.label.cmp(&b.label));
    out.dedup_by(|a, b| a.label == b.label && a.kind == b.kind);
    out
}

fn keywords(words: &[&str]) -> Vec<Completion> {
    words
        .iter()
        .map(|w| Completion::new(*w, CompletionKind::Keyword))
        .collect()
}

struct CompletionScope<'a> {
    db: &'a dyn Db,
    ws: Workspace,
    scope: &'a Scope<'a>,
    package: &'a str,
}

type PolicyEnv = (Option<QualName>, Vec<QualName>, Option<QualName>);

impl CompletionScope<'_> {
    fn names_in_scope(&self) -> Vec<Completion> {
        let mut out = Vec::new();
        if let Some(info) = self.scope.index.packages.get(self.package) {
            for (name, sites) in &info.decls {
                if let Some(site) = sites.first() {
                    out.push(
                        Completion::new(name.clone(), CompletionKind::Declaration(site.kind))
                            .detail(format!("{} {}.{name}", site.kind.describe(), self.package)),
                    );
                }
            }
        }
        for (name, import) in &self.scope.imports {
            out.push(
                Completion::new(name.clone(), CompletionKind::Declaration(import.site.kind))
                    .detail(format!("{} {}", import.site.kind.describe(), import.target)),
            );
        }
        for prim in Prim::ALL {
            out.push(Completion::new(prim.name(), CompletionKind::Type));
        }
        out
    }

    /// Resource, subjects and context of the policy (or the policy a test tests) at the cursor.
    fn policy_env(&self, item: Option<&ast::Item>) -> Option<PolicyEnv> {
        let name = match item? {
            ast::Item::Policy(p) => {
                let one = |path: &ast::Path| {
                    let segs: Vec<&str> = path.segments.iter().map(|s| s.name.as_str()).collect();
                    self.resolve(&segs).map(|(q, _)| q)
                };
                return Some((
                    one(&p.resource),
                    p.subjects.iter().filter_map(one).collect(),
                    p.context.as_ref().and_then(one),
                ));
            }
            ast::Item::Test(t) => {
                let segments: Vec<&ast::Ident> = t.policy.segments.iter().collect();
                self.resolve(&segments.iter().map(|s| s.name.as_str()).collect::<Vec<_>>())?
                    .0
            }
            _ => return None,
        };
        match semantics::sig_of(self.db, self.ws, &name).as_deref()? {
            Sig::Policy {
                resource,
                subjects,
                context,
                ..
            } => Some((resource.clone(), subjects.clone(), context.clone())),
            _ => None,
        }
    }

    fn resolve(&self, segments: &[&str]) -> Option<(QualName, Kind)> {
        match segments {
            [] => None,
            [one] => self.scope.lookup_local(one).map(|(q, site)| (q, site.kind)),
            [package @ .., last] => {
                let package = package.join(".");
                let site = self.scope.index.lookup(&package, last)?;
                Some((QualName::new(package, *last), site.kind))
            }
        }
    }

    fn named(&self, t: &Type) -> Option<QualName> {
        match t.unwrap_optional() {
            Type::Named(q, Kind::Alias) => {
                match semantics::sig_of(self.db, self.ws, q).as_deref() {
                    Some(Sig::Alias { ty }) => self.named(ty),
                    _ => None,
                }
            }
            Type::Named(q, _) => Some(q.clone()),
            Type::Refined(inner, _) => self.named(inner),
            _ => None,
        }
    }

    /// The type of an attribute path (`subject.owner.tenant`), walking field types from the
    /// role; `None` when the path is not an attribute path.
    fn attribute_type(&self, segments: &[&str], env: &PolicyEnv) -> Option<Type> {
        let (first, rest) = segments.split_first()?;
        let mut current: Vec<QualName> = match *first {
            "subject" => env.1.clone(),
            "resource" => env.0.iter().cloned().collect(),
            "context" => env.2.iter().cloned().collect(),
            _ => return None,
        };
        let mut ty = None;
        for seg in rest {
            let t = current.iter().find_map(|owner| {
                semantics::sig_of(self.db, self.ws, owner)
                    .as_deref()
                    .and_then(Sig::fields)
                    .and_then(|fs| fs.iter().find(|f| f.name == *seg))
                    .map(|f| f.ty.clone())
            })?;
            current = self.named(&t).into_iter().collect();
            ty = Some(t);
        }
        ty
    }

    /// `resource.sensitivity == ` or `… >= `: the values of the attribute's enum.
    fn values_after_comparison(&self, head: &str, env: &PolicyEnv) -> Vec<Completion> {
        let trimmed = head.trim_end();
        let Some(lhs) = ["==", "!=", "<=", ">=", "<", ">"]
            .iter()
            .find_map(|op| trimmed.strip_suffix(op))
        else {
            return Vec::new();
        };
        let lhs = lhs.trim_end();
        let start = lhs
            .char_indices()
            .rev()
            .take_while(|(_, c)| is_name_char(*c) || *c == '.')
            .last()
            .map_or(lhs.len(), |(i, _)| i);
        let segments: Vec<&str> = lhs.get(start..).unwrap_or("").split('.').collect();
        let Some(owner) = self
            .attribute_type(&segments, env)
            .and_then(|t| self.named(&t))
        else {
            return Vec::new();
        };
        match semantics::sig_of(self.db, self.ws, &owner).as_deref() {
            Some(Sig::Enum { variants, .. }) => variants
                .iter()
                .map(|v| {
                    Completion::new(v.clone(), CompletionKind::EnumValue)
                        .detail(format!("value of {owner}"))
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    fn fields_of(&self, owners: &[QualName]) -> Vec<Completion> {
        let mut out = Vec::new();
        for owner in owners {
            if let Some(fields) = semantics::sig_of(self.db, self.ws, owner)
                .as_deref()
                .and_then(Sig::fields)
            {
                out.extend(fields.iter().map(|f| {
                    Completion::new(f.name.clone(), CompletionKind::Field).detail(format!(
                        "{}: {}",
                        owner.name,
                        f.ty.display()
                    ))
                }));
            }
        }
        out
    }

    fn after_dot(&self, segments: &[&str], item: Option<&ast::Item>) -> Vec<Completion> {
        // Attribute paths in a policy or a test: `subject.`, `resource.owner.`.
        if let (Some((first, rest)), Some((resource, subjects, context))) =
            (segments.split_first(), self.policy_env(item))
        {
            let root: Vec<QualName> = match *first {
                "subject" => subjects,
                "resource" => resource.into_iter().collect(),
                "context" => context.into_iter().collect(),
                _ => Vec::new(),
            };
            if !root.is_empty() {
                let mut current = root;
                for seg in rest {
                    let next = current.iter().find_map(|owner| {
                        semantics::sig_of(self.db, self.ws, owner)
                            .as_deref()
                            .and_then(Sig::fields)
                            .and_then(|fs| fs.iter().find(|f| f.name == *seg))
                            .and_then(|f| self.named(&f.ty))
                    });
                    current = next.into_iter().collect();
                }
                return self.fields_of(&current);
            }
        }
        if let Some((name, kind)) = self.resolve(segments) {
            return match (kind, semantics::sig_of(self.db, self.ws, &name).as_deref()) {
                (Kind::Enum, Some(Sig::Enum { variants, .. })) => variants
                    .iter()
                    .map(|v| {
                        Completion::new(v.clone(), CompletionKind::EnumValue)
                            .detail(format!("value of {name}"))
                    })
                    .collect(),
                (Kind::Framework, _) => self.requirements(&name),
                _ => Vec::new(),
            };
        }
        // A package prefix: its declarations and the next segment of longer package names.
        let prefix = segments.join(".");
        let mut out = Vec::new();
        for (package, info) in &self.scope.index.packages {
            if *package == prefix {
                for (name, sites) in &info.decls {
                    if let Some(site) = sites.first() {
                        out.push(
                            Completion::new(name.clone(), CompletionKind::Declaration(site.kind))
                                .detail(format!("{} {package}.{name}", site.kind.describe())),
                        );
                    }
                }
            } else if let Some(rest) = package.strip_prefix(&format!("{prefix}."))
                && let Some(next) = rest.split('.').next()
            {
                out.push(Completion::new(next, CompletionKind::Package));
            }
        }
        out.sort_by(|a, b| a.label.cmp(&b.label));
        out.dedup();
        out
    }

    /// The requirement ids of a framework, quoted as `satisfies` writes them, with their titles.
    fn requirements(&self, framework: &QualName) -> Vec<Completion> {
        let Some(site) = super::def_site(self.db, self.ws, &Target::Decl(framework.clone())) else {
            return Vec::new();
        };
        let tree = &parse(self.db, site.file).file;
        let Some(ast::Item::Framework(f)) = tree
            .items
            .iter()
            .find(|i| matches!(i, ast::Item::Framework(f) if f.name.name == framework.name))
        else {
            return Vec::new();
        };
        f.requirements
            .iter()
            .map(|r| Completion {
                label: r.id.value.clone(),
                kind: CompletionKind::Requirement,
                detail: Some(r.title.value.clone()),
                insert: Some(format!("\"{}\"", r.id.value)),
            })
            .collect()
    }
}
