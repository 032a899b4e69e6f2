//! Every name written in a file, resolved: the declaration sites (`def`) and the references.
//! Built on the semantic index and signatures, so it agrees with what `charter check` resolves.
//! One tracked query per file: references and rename read every file's list, cached.

mod expr;

use std::sync::Arc;

use crate::db::{Db, SourceFile, Workspace, parse};
use crate::ir::{Kind, QualName, Type};
use crate::semantics::{self, Scope, Sig};
use crate::syntax::{Span, ast};

/// What a name refers to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    /// A top-level declaration.
    Decl(QualName),
    /// A member of a declaration: a field, an enum value, a rule, an operation, an action (owned
    /// by its resource), a framework requirement.
    Member(QualName, Member, String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Member {
    Field,
    Variant,
    Rule,
    Op,
    Action,
    Requirement,
}

/// One name in a file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Occurrence {
    pub span: Span,
    pub target: Target,
    /// This is where the target is declared.
    pub def: bool,
}

/// The resolved names of one file, in source order.
#[salsa::tracked(returns(ref))]
pub fn occurrences(db: &dyn Db, ws: Workspace, file: SourceFile) -> Vec<Occurrence> {
    let parsed = parse(db, file);
    let Some(package) = parsed.file.items.iter().find_map(|i| match i {
        ast::Item::Package(p) => Some(p.path.text()),
        _ => None,
    }) else {
        return Vec::new();
    };
    let index = semantics::index(db, ws);
    let uses = semantics::uses(&parsed.file);
    let mut sink = Vec::new();
    let scope = Scope::new(package.clone(), index, &uses, "", &mut sink);
    let mut walker = Walker {
        db,
        ws,
        scope,
        package,
        out: Vec::new(),
    };
    for item in &parsed.file.items {
        walker.item(item);
    }
    let mut out = walker.out;
    out.sort_by_key(|o| o.span);
    out.dedup();
    out
}

/// The policy's roles in a condition or a test case.
#[derive(Default, Clone)]
struct Env {
    policy: Option<QualName>,
    resource: Option<QualName>,
    subjects: Vec<QualName>,
    context: Option<QualName>,
}

struct Walker<'a> {
    db: &'a dyn Db,
    ws: Workspace,
    scope: Scope<'a>,
    package: String,
    out: Vec<Occurrence>,
}

impl Walker<'_> {
    fn push(&mut self, span: Span, target: Target, def: bool) {
        self.out.push(Occurrence { span, target, def });
    }

    fn own(&self, name: &str) -> QualName {
        QualName::new(self.package.clone(), name)
    }

    fn sig(&self, name: &QualName) -> Option<Arc<Sig>> {
        semantics::sig_of(self.db, self.ws, name)
    }

    /// Resolves the first `len` segments of a path as a declaration.
    fn lookup(&self, segments: &[ast::Ident]) -> Option<(QualName, Kind)> {
        match segments {
            [] => None,
            [one] => self
                .scope
                .lookup_local(&one.name)
                .map(|(name, site)| (name, site.kind)),
            [package @ .., last] => {
                let package: Vec<&str> = package.iter().map(|s| s.name.as_str()).collect();
                let package = package.join(".");
                let site = self.scope.index.lookup(&package, &last.name)?;
                Some((QualName::new(package, last.name.clone()), site.kind))
            }
        }
    }

    /// A path naming a declaration: records a reference at its last segment.
    fn decl_path(&mut self, path: &ast::Path) -> Option<(QualName, Kind)> {
        let found = self.lookup(&path.segments)?;
        if let Some(last) = path.last() {
            self.push(last.span, Target::Decl(found.0.clone()), false);
        }
        Some(found)
    }

    fn ty(&mut self, t: &ast::TypeExpr) {
        match &t.kind {
            ast::TypeKind::Named(path) => {
                self.decl_path(path);
            }
            ast::TypeKind::Optional(inner)
            | ast::TypeKind::Range(inner, _, _)
            | ast::TypeKind::Matching(inner, _) => self.ty(inner),
            ast::TypeKind::Generic(_, args) => args.iter().for_each(|a| self.ty(a)),
            ast::TypeKind::Error => {}
        }
    }

    fn fields(&mut self, owner: &QualName, fields: &[ast::Field]) {
        let sig = self.sig(owner);
        for f in fields {
            self.push(
                f.name.span,
                Target::Member(owner.clone(), Member::Field, f.name.name.to_string()),
                true,
            );
            self.ty(&f.ty);
            if let Some(default) = &f.default {
                let expected = field_type(sig.as_deref(), &f.name.name);
                self.expr(default, &Env::default(), expected.as_ref());
            }
        }
    }

    fn annotations(&mut self, annotations: &[ast::Annotation], service: Option<&QualName>) {
        for a in annotations {
            for arg in &a.args {
                // `@deprecated(use: op)` names an operation of the same service.
                if let (Some(service), Some(key), ast::ExprKind::Path(p)) =
                    (service, &arg.key, &arg.value.kind)
                    && key.name == "use"
                    && let [op] = p.segments.as_slice()
                {
                    self.push(
                        op.span,
                        Target::Member(service.clone(), Member::Op, op.name.to_string()),
                        false,
                    );
                }
            }
        }
    }

    fn item(&mut self, item: &ast::Item) {
        if let Some((name, _)) = semantics::declared(item) {
            self.push(name.span, Target::Decl(self.own(&name.name)), true);
        }
        match item {
            ast::Item::Use(u) => {
                let package = u.prefix.text();
                for n in &u.names {
                    if self.scope.index.lookup(&package, &n.name.name).is_some() {
                        self.push(
                            n.name.span,
                            Target::Decl(QualName::new(package.clone(), n.name.name.clone())),
                            false,
                        );
                    }
                }
            }
            ast::Item::Record(r) => {
                self.annotations(&r.annotations, None);
                self.fields(&self.own(&r.name.name), &r.fields);
            }
            ast::Item::Entity(r) => self.fields(&self.own(&r.name.name), &r.fields),
            ast::Item::Context(r) => self.fields(&self.own(&r.name.name), &r.fields),
            ast::Item::Enum(e) => {
                let owner = self.own(&e.name.name);
                for v in &e.variants {
                    self.push(
                        v.name.span,
                        Target::Member(owner.clone(), Member::Variant, v.name.name.to_string()),
                        true,
                    );
                }
            }
            ast::Item::Alias(a) => self.ty(&a.ty),
            ast::Item::Action(a) => {
                let resource = self.decl_path(&a.resource).map(|(q, _)| q);
                for s in &a.subjects {
                    self.decl_path(s);
                }
                if let Some(resource) = resource {
                    for n in &a.names {
                        self.push(
                            n.span,
                            Target::Member(resource.clone(), Member::Action, n.name.to_string()),
                            true,
                        );
                    }
                }
            }
            ast::Item::Policy(p) => self.policy(p),
            ast::Item::Service(s) => {
                let owner = self.own(&s.name.name);
                for op in &s.ops {
                    self.push(
                        op.name.span,
                        Target::Member(owner.clone(), Member::Op, op.name.name.to_string()),
                        true,
                    );
                    self.annotations(&op.annotations, Some(&owner));
                    for p in &op.params {
                        self.ty(&p.ty);
                    }
                    if let Some(result) = &op.result {
                        self.ty(result);
                    }
                    for clause in &op.clauses {
                        match clause {
                            ast::OpClause::Errors(list, _) => {
                                list.iter().for_each(|e| self.ty(&e.ty));
                            }
                            ast::OpClause::GuardedBy { policy, action, .. } => {
                                let resource = self
                                    .decl_path(policy)
                                    .and_then(|(q, _)| self.sig(&q))
                                    .and_then(|sig| match &*sig {
                                        Sig::Policy { resource, .. } => resource.clone(),
                                        _ => None,
                                    });
                                if let Some(resource) = resource {
                                    self.push(
                                        action.span,
                                        Target::Member(
                                            resource,
                                            Member::Action,
                                            action.name.to_string(),
                                        ),
                                        false,
                                    );
                                }
                            }
                            _ => {}
                        }
                    }
                }
            }
            ast::Item::Control(c) => {
                for clause in &c.clauses {
                    match clause {
                        ast::ControlClause::Satisfies(refs) => {
                            for r in refs {
                                if let Some((framework, _)) = self.decl_path(&r.framework) {
                                    self.push(
                                        r.id.span,
                                        Target::Member(
                                            framework,
                                            Member::Requirement,
                                            r.id.value.clone(),
                                        ),
                                        false,
                                    );
                                }
                            }
                        }
                        ast::ControlClause::EnforcedBy(paths) => {
                            for p in paths {
                                self.decl_path(p);
                            }
                        }
                        ast::ControlClause::Evidence {
                            produced_by: Some(e),
                            ..
                        } => {
                            self.expr(e, &Env::default(), None);
                        }
                        _ => {}
                    }
                }
            }
            ast::Item::Threat(t) => {
                for clause in &t.clauses {
                    if let ast::ThreatClause::MitigatedBy(paths) = clause {
                        for p in paths {
                            self.decl_path(p);
                        }
                    }
                }
            }
            ast::Item::Framework(f) => {
                let owner = self.own(&f.name.name);
                for r in &f.requirements {
                    self.push(
                        r.id.span,
                        Target::Member(owner.clone(), Member::Requirement, r.id.value.clone()),
                        true,
                    );
                }
            }
            ast::Item::Test(t) => self.test(t),
            ast::Item::Package(_) | ast::Item::Error(_) => {}
        }
    }

    fn policy(&mut self, p: &ast::Policy) {
        let name = self.own(&p.name.name);
        let env = Env {
            policy: Some(name.clone()),
            resource: self.decl_path(&p.resource).map(|(q, _)| q),
            subjects: p
                .subjects
                .iter()
                .filter_map(|s| self.decl_path(s).map(|(q, _)| q))
                .collect(),
            context: p
                .context
                .as_ref()
                .and_then(|c| self.decl_path(c).map(|(q, _)| q)),
        };
        for rule in &p.rules {
            self.push(
                rule.name.span,
                Target::Member(name.clone(), Member::Rule, rule.name.name.to_string()),
                true,
            );
            if let Some(c) = &rule.condition {
                self.expr(c, &env, None);
            }
        }
    }

    fn test(&mut self, t: &ast::TestSuite) {
        let Some((policy, _)) = self.decl_path(&t.policy) else {
            return;
        };
        let mut env = Env {
            policy: Some(policy.clone()),
            ..Env::default()
        };
        if let Some(Sig::Policy {
            resource,
            subjects,
            context,
            ..
        }) = self.sig(&policy).as_deref()
        {
            env.resource = resource.clone();
            env.subjects = subjects.clone();
            env.context = context.clone();
        }
        for case in &t.cases {
            for item in &case.items {
                match item {
                    ast::CaseItem::Value {
                        role, ty, value, ..
                    } => {
                        let named = ty.as_ref().and_then(|p| self.decl_path(p)).map(|(q, _)| q);
                        let default = match role {
                            ast::Role::Subject => env.subjects.first().cloned(),
                            ast::Role::Resource => env.resource.clone(),
                            ast::Role::Context => env.context.clone(),
                        };
                        let expected = named.or(default).map(|q| Type::Named(q, Kind::Record));
                        self.expr(value, &env, expected.as_ref());
                    }
                    ast::CaseItem::Action(a, _) => {
                        if let Some(resource) = &env.resource {
                            self.push(
                                a.span,
                                Target::Member(
                                    resource.clone(),
                                    Member::Action,
                                    a.name.to_string(),
                                ),
                                false,
                            );
                        }
                    }
                    ast::CaseItem::Expect { by: Some(by), .. } if by.name != "default" => {
                        self.push(
                            by.span,
                            Target::Member(policy.clone(), Member::Rule, by.name.to_string()),
                            false,
                        );
                    }
                    _ => {}
                }
            }
        }
    }
}

fn field_type(sig: Option<&Sig>, name: &str) -> Option<Type> {
    sig?.fields()?
        .iter()
        .find(|f| f.name == name)
        .map(|f| f.ty.clone())
}
