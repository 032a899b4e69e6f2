//! Policies: headers, the actions they decide, rules and the typing of conditions.

use super::Sig;
use super::check::{FileChecker, Place};
use crate::diagnostics::{Diagnostic, codes, suggestion};
use crate::ir::{self, CmpOp, Cond, Kind, Number, Operand, Prim, QualName, Root, Type, Value};
use crate::syntax::{Span, ast};

/// What a policy's conditions can see.
pub(super) struct Env {
    pub subjects: Vec<QualName>,
    pub resource: Option<QualName>,
    pub context: Option<QualName>,
    /// The actions the policy decides.
    pub actions: Vec<String>,
    /// False when a header part failed to resolve: attribute errors would only repeat it.
    pub complete: bool,
    /// False when the header or some action declaration failed to resolve: an action missing
    /// from `actions` may be one of those, so it is not reported.
    pub actions_known: bool,
}

/// An operand while it is being typed.
enum TypedOperand {
    /// `absent_from`: the length of the first optional prefix not known to be present.
    Path {
        root: Root,
        attrs: Vec<crate::Name>,
        ty: Type,
        span: Span,
        absent_from: Option<usize>,
    },
    Action(Span),
    Lit(Value, Type, Span),
    /// A lone name, resolved by what it is compared with (an action, an enum value).
    Bare(String, Span),
    Null(Span),
    List(Vec<TypedOperand>, Span),
    Error,
}

impl TypedOperand {
    fn span(&self) -> Span {
        match self {
            TypedOperand::Path { span, .. }
            | TypedOperand::Action(span)
            | TypedOperand::Lit(_, _, span)
            | TypedOperand::Bare(_, span)
            | TypedOperand::Null(span)
            | TypedOperand::List(_, span) => *span,
            TypedOperand::Error => Span::default(),
        }
    }
}

impl FileChecker<'_> {
    /// A condition that failed to type: counted, so lints know the rule is not what it seems.
    fn fail(&mut self) -> Cond {
        self.poison += 1;
        Cond::Literal(false)
    }

    pub(super) fn policy(&mut self, package: &str, p: &ast::Policy) {
        let policy_ann = self.annotations(&p.annotations, Place::Other);
        let first = package.split('.').next().unwrap_or(package);
        if crate::ir::BUNDLE_RESERVED_PACKAGES.contains(&first) {
            self.error(
                codes::E3006,
                format!("a policy cannot live in package `{package}`"),
                p.name.span,
            )
            .label(format!(
                "the OPA bundle keeps `charter/{first}` for its own documents"
            ))
            .help(format!(
                "move the policy to a package that does not start with `{first}`"
            ));
        }
        let mut complete = true;
        let resource = self.entity(&p.resource);
        complete &= resource.is_some();
        let mut subjects = Vec::new();
        for s in &p.subjects {
            match self.entity(s) {
                Some(s) => subjects.push(s),
                None => complete = false,
            }
        }
        let context = match &p.context {
            None => None,
            Some(path) => match self.scope.resolve(path, &[Kind::Context], self.file) {
                super::scope::Resolved::Found(name, site) if site.kind == Kind::Context => {
                    Some(name)
                }
                super::scope::Resolved::Found(name, site) => {
                    self.error(
                        codes::E3003,
                        format!(
                            "`{}` is {}, not a context",
                            name.name,
                            site.kind.with_article()
                        ),
                        path.span,
                    )
                    .label("expected a context declaration")
                    .help("declare the request's context with `context Name { ... }`");
                    complete = false;
                    None
                }
                super::scope::Resolved::Missing(d) => {
                    self.push(*d);
                    complete = false;
                    None
                }
                super::scope::Resolved::Broken => {
                    complete = false;
                    None
                }
            },
        };
        let version = self.version(p.version.as_ref());
        // The actions this policy decides: declared on its resource, for one of its subjects.
        let mut decided: Vec<String> = Vec::new();
        if let Some(resource) = &resource {
            decided = super::decided_actions(self.db, self.ws, resource, &subjects);
            if decided.is_empty() && complete && super::actions_complete(self.db, self.ws) {
                self.error(
                    codes::E3005,
                    format!("policy `{}` decides no action", p.name.name),
                    p.name.span,
                )
                .label(format!(
                    "no action is declared on `{}` for these subjects",
                    resource.name
                ))
                .help(format!(
                    "declare one: `action read on {} by {}`",
                    resource.name,
                    subjects.first().map_or("User", |s| s.name.as_str())
                ));
            }
        }
        let env = Env {
            subjects: subjects.clone(),
            resource: resource.clone(),
            context: context.clone(),
            actions: decided.clone(),
            complete,
            actions_known: complete && super::actions_complete(self.db, self.ws),
        };
        self.duplicates(p.rules.iter().map(|r| &r.name), "rule");
        for r in p.rules.iter().filter(|r| r.name.name == "default") {
            self.error(
                codes::E1007,
                "a rule cannot be named `default`",
                r.name.span,
            )
            .label("`default` names the policy's default in every verdict")
            .help("give the rule a name that says what it allows or denies");
        }
        // Kept in the memo for the whole run: sized exactly.
        let mut rules = Vec::with_capacity(p.rules.len());
        let mut spans = Vec::with_capacity(p.rules.len());
        let mut broken = Vec::with_capacity(p.rules.len());
        for r in &p.rules {
            let ann = self.annotations(&r.annotations, Place::Rule);
            self.approve_member(&ann, &r.name.name);
            let poison_before = self.poison;
            let condition = match &r.condition {
                Some(e) => self.condition(e, &env, &mut Vec::new()),
                None => Cond::Literal(true),
            };
            broken.push(self.poison > poison_before || !env.complete);
            let reason = match &r.reason {
                Some(reason) => reason.value.clone(),
                None => {
                    self.error(
                        codes::E3004,
                        format!("rule `{}` gives no reason", r.name.name),
                        r.name.span,
                    )
                    .label("missing `because`")
                    .help(
                        "end the rule with `because \"...\"`: every verdict carries its rationale",
                    );
                    String::new()
                }
            };
            spans.push(r.name.span);
            rules.push(ir::Rule {
                name: r.name.name.clone(),
                doc: r.doc.clone(),
                effect: effect(r.effect),
                canary: ann.canary,
                condition,
                reason,
                loc: self.loc(r.name.span),
            });
        }
        let lints = super::lint::rules(&rules, &broken);
        for lint in lints {
            let span = spans.get(lint.rule).copied().unwrap_or(p.name.span);
            let mut d = Diagnostic::warning(lint.code, lint.message, self.file, span)
                .with_label(lint.label)
                .with_help(lint.help);
            if let Some(other) = lint.other.and_then(|i| spans.get(i)) {
                d = d.with_secondary(self.file, *other, "this rule decides instead");
            }
            self.push(d);
        }
        let default_reason = p
            .default_reason
            .as_ref()
            .map(|r| r.value.clone())
            .unwrap_or_else(|| {
                format!(
                    "no rule of {package}.{} matched; default {}",
                    p.name.name,
                    p.default_effect.as_str()
                )
            });
        self.approve(
            Some(&policy_ann),
            &QualName::new(package, p.name.name.clone()),
        );
        if let Some(resource) = resource {
            self.model.policies.push(ir::Policy {
                name: QualName::new(package, p.name.name.clone()),
                doc: p.doc.clone(),
                resource,
                subjects,
                context,
                version,
                actions: decided,
                default_effect: effect(p.default_effect),
                default_reason,
                rules,
                requires_provenance_for: Vec::new(),
                loc: self.loc(p.name.span),
            });
        }
    }

    /// Types a condition. `present` holds the paths known to be present (after `has p and ...`).
    pub(super) fn condition(
        &mut self,
        e: &ast::Expr,
        env: &Env,
        present: &mut Vec<(Root, Vec<crate::Name>)>,
    ) -> Cond {
        match &e.kind {
            ast::ExprKind::Paren(inner) => self.condition(inner, env, present),
            ast::ExprKind::Bool(b) => Cond::Literal(*b),
            ast::ExprKind::Not(inner) => {
                let mut scoped = present.clone();
                Cond::Not(Box::new(self.condition(inner, env, &mut scoped)))
            }
            ast::ExprKind::Binary(ast::BinOp::And, _, _) => {
                // Walk the chain iteratively: `a and b and c` nests to the left.
                let mut scoped = present.clone();
                let mut parts = Vec::new();
                for operand in chain(e, ast::BinOp::And) {
                    match self.condition(operand, env, &mut scoped) {
                        Cond::And(inner) => {
                            inner.iter().for_each(|c| collect_present(c, &mut scoped));
                            parts.extend(inner);
                        }
                        other => {
                            collect_present(&other, &mut scoped);
                            parts.push(other);
                        }
                    }
                }
                parts.shrink_to_fit();
                Cond::And(parts)
            }
            ast::ExprKind::Binary(ast::BinOp::Or, _, _) => {
                let mut parts = Vec::new();
                for operand in chain(e, ast::BinOp::Or) {
                    match self.condition(operand, env, &mut present.clone()) {
                        Cond::Or(inner) => parts.extend(inner),
                        other => parts.push(other),
                    }
                }
                parts.shrink_to_fit();
                Cond::Or(parts)
            }
            ast::ExprKind::Binary(ast::BinOp::In, l, r) => {
                let elem = self.operand(l, env, present);
                let collection = self.operand(r, env, present);
                self.membership(elem, collection, e.span, env)
            }
            ast::ExprKind::Binary(op, l, r) => {
                let lhs = self.operand(l, env, present);
                let rhs = self.operand(r, env, present);
                let op = match op {
                    ast::BinOp::Eq => CmpOp::Eq,
                    ast::BinOp::Ne => CmpOp::Ne,
                    ast::BinOp::Lt => CmpOp::Lt,
                    ast::BinOp::Le => CmpOp::Le,
                    ast::BinOp::Gt => CmpOp::Gt,
                    _ => CmpOp::Ge,
                };
                self.compare(op, lhs, rhs, e.span, env)
            }
            ast::ExprKind::Has(path) => match self.path(path, env, present) {
                TypedOperand::Path { root, attrs, .. } => Cond::Has { root, attrs },
                TypedOperand::Error => self.fail(),
                other => {
                    self.error(codes::E2013, "`has` needs an attribute path", other.span())
                        .label("not an attribute")
                        .help("write `has subject.attribute`");
                    self.fail()
                }
            },
            _ => match self.operand(e, env, present) {
                TypedOperand::Path {
                    root,
                    attrs,
                    ty,
                    span,
                    ..
                } => {
                    let base = self.base(&ty);
                    if !matches!(base.unwrap_optional(), Type::Prim(Prim::Bool) | Type::Error) {
                        self.error(codes::E2006, format!("condition has type `{}`, not `bool`", ty.display()), span)
                            .label("not a boolean")
                            .help("compare it with something: `==`, `<`, `in`, or test presence with `has`");
                    }
                    Cond::Truthy(Operand::Path { root, attrs, ty })
                }
                TypedOperand::Error => self.fail(),
                TypedOperand::Bare(name, span) => {
                    self.unknown_bare(&name, span);
                    self.fail()
                }
                other => {
                    self.error(codes::E2006, "condition is not a boolean", other.span())
                        .label("expected a comparison or a `bool` attribute")
                        .help("conditions are comparisons joined by `and`, `or`, `not`");
                    self.fail()
                }
            },
        }
    }

    fn operand(
        &mut self,
        e: &ast::Expr,
        env: &Env,
        present: &[(Root, Vec<crate::Name>)],
    ) -> TypedOperand {
        match &e.kind {
            ast::ExprKind::Paren(inner) => self.operand(inner, env, present),
            ast::ExprKind::Path(path) => self.path(path, env, present),
            ast::ExprKind::Bool(b) => {
                TypedOperand::Lit(Value::Bool(*b), Type::Prim(Prim::Bool), e.span)
            }
            ast::ExprKind::None => TypedOperand::Null(e.span),
            ast::ExprKind::Str(s) => {
                TypedOperand::Lit(Value::String(s.clone()), Type::Prim(Prim::String), e.span)
            }
            ast::ExprKind::Int(_) | ast::ExprKind::Float(_) | ast::ExprKind::Neg(_) => {
                match self.number(e) {
                    Some((value, ty)) => TypedOperand::Lit(value, ty, e.span),
                    None => TypedOperand::Error,
                }
            }
            ast::ExprKind::List(items) => {
                let items = items
                    .iter()
                    .map(|i| self.operand(i, env, present))
                    .collect();
                TypedOperand::List(items, e.span)
            }
            ast::ExprKind::Error => TypedOperand::Error,
            ast::ExprKind::Date(d) => {
                if crate::literal::Date::parse(d).is_none() {
                    self.error(codes::E7003, format!("`{d}` is not a real date"), e.span)
                        .label("no such day")
                        .help("write a calendar date as YYYY-MM-DD");
                    return TypedOperand::Error;
                }
                TypedOperand::Lit(Value::String(d.clone()), Type::Prim(Prim::Date), e.span)
            }
            ast::ExprKind::Duration(d) => {
                if crate::literal::duration_seconds(d).is_none() {
                    self.error(
                        codes::E0005,
                        format!("duration `{d}` does not fit in 64-bit seconds"),
                        e.span,
                    )
                    .label("out of range")
                    .help("durations are compared in seconds, at most 9223372036854775807 (about 292 billion years)");
                    return TypedOperand::Error;
                }
                TypedOperand::Lit(Value::String(d.clone()), Type::Prim(Prim::Duration), e.span)
            }
            ast::ExprKind::Object(..) => {
                let what = "an object";
                self.error(codes::E2013, format!("{what} cannot appear in a condition"), e.span)
                    .label("not allowed here")
                    .help("conditions compare attributes with numbers, strings, booleans, enum values and lists of those");
                TypedOperand::Error
            }
            ast::ExprKind::Not(_) | ast::ExprKind::Binary(..) | ast::ExprKind::Has(_) => {
                self.error(codes::E2002, "a condition cannot be compared", e.span)
                    .label("this is a condition, not a value")
                    .help("put parentheses around comparisons joined by `and`/`or`, not inside another comparison");
                TypedOperand::Error
            }
        }
    }

    /// Parses a number literal (E0005 when it does not fit).
    pub(super) fn number(&mut self, e: &ast::Expr) -> Option<(Value, Type)> {
        let n = super::types::number_literal(e)?;
        match fit(n) {
            Ok(v @ Value::Int(_)) => Some((v, Type::Prim(Prim::Int))),
            Ok(v) => Some((v, Type::Prim(Prim::Float))),
            Err(problem) => {
                let d = self
                    .error(codes::E0005, problem.message, e.span)
                    .label(problem.label);
                if let Some(help) = problem.help {
                    d.help(help);
                }
                None
            }
        }
    }

    fn path(
        &mut self,
        path: &ast::Path,
        env: &Env,
        present: &[(Root, Vec<crate::Name>)],
    ) -> TypedOperand {
        let Some(first) = path.segments.first() else {
            return TypedOperand::Error;
        };
        let rest = path.segments.get(1..).unwrap_or(&[]);
        let (root, ty) = match first.name.as_str() {
            "action" => {
                if let Some(attr) = rest.first() {
                    self.error(codes::E2011, "`action` has no attributes", attr.span)
                        .label("`action` is the requested action's name")
                        .help("compare it: `action == read`");
                    return TypedOperand::Error;
                }
                return TypedOperand::Action(path.span);
            }
            "subject" => match env.subjects.as_slice() {
                [] => return TypedOperand::Error,
                [one] => (Root::Subject, Type::Named(one.clone(), Kind::Entity)),
                many => {
                    // Several subject types: the attribute must exist on each, with one type.
                    return self.multi_subject(path, many, rest, present);
                }
            },
            "resource" => match &env.resource {
                Some(r) => (Root::Resource, Type::Named(r.clone(), Kind::Entity)),
                None => return TypedOperand::Error,
            },
            "context" => match &env.context {
                Some(c) => (Root::Context, Type::Named(c.clone(), Kind::Context)),
                None => {
                    if env.complete {
                        self.error(codes::E2001, "this policy has no context", first.span)
                            .label("`context` is not declared for this policy")
                            .help("declare the policy `with SomeContext` to read request context");
                    }
                    return TypedOperand::Error;
                }
            },
            _ => return self.enum_value_or_bare(path),
        };
        self.attributes(root, ty, rest, path.span, present)
    }

    fn multi_subject(
        &mut self,
        path: &ast::Path,
        subjects: &[QualName],
        rest: &[ast::Ident],
        present: &[(Root, Vec<crate::Name>)],
    ) -> TypedOperand {
        let mut result: Option<TypedOperand> = None;
        for s in subjects {
            let before = self.diags.len();
            let op = self.attributes(
                Root::Subject,
                Type::Named(s.clone(), Kind::Entity),
                rest,
                path.span,
                present,
            );
            if self.diags.len() > before {
                return TypedOperand::Error;
            }
            if let (Some(TypedOperand::Path { ty: first, .. }), TypedOperand::Path { ty, .. }) =
                (&result, &op)
                && self.base(first) != self.base(ty)
            {
                self.error(
                    codes::E2002,
                    format!(
                        "`{}` has different types on the policy's subjects",
                        path.text()
                    ),
                    path.span,
                )
                .label(format!(
                    "`{}` here, `{}` on another subject",
                    ty.display(),
                    first.display()
                ))
                .help("give the attribute one type on every subject entity");
                return TypedOperand::Error;
            }
            result = Some(op);
        }
        // An omitted attribute reads its default (docs/decisions.md): it must not depend on
        // which subject entity the input fits.
        if let Some(first) = rest.first() {
            let defaults: Vec<Option<String>> = subjects
                .iter()
                .map(|s| {
                    self.sig(s).and_then(|sig| {
                        sig.fields()?
                            .iter()
                            .find(|f| f.name == first.name)
                            .and_then(|f| f.default.clone())
                    })
                })
                .collect();
            if defaults.windows(2).any(|w| w.first() != w.last()) {
                self.error(
                    codes::E2002,
                    format!(
                        "`subject.{}` has different defaults on the policy's subjects",
                        first.name
                    ),
                    path.span,
                )
                .label("an omitted attribute reads its default")
                .help("give the attribute the same default (or none) on every subject entity");
                return TypedOperand::Error;
            }
        }
        result.unwrap_or(TypedOperand::Error)
    }

    /// Walks `.a.b.c` from a root. An optional step not known to be present makes the result optional.
    fn attributes(
        &mut self,
        root: Root,
        mut ty: Type,
        rest: &[ast::Ident],
        span: Span,
        present: &[(Root, Vec<crate::Name>)],
    ) -> TypedOperand {
        let mut attrs: Vec<crate::Name> = Vec::new();
        let mut absent_from: Option<usize> = None;
        for attr in rest {
            let base = self.base(&ty);
            let name = match base.unwrap_optional() {
                Type::Named(name, _) => name.clone(),
                Type::Error => return TypedOperand::Error,
                other => {
                    self.error(
                        codes::E2011,
                        format!("`{}` has no attributes", other.display()),
                        attr.span,
                    )
                    .label(format!(
                        "`{}` is a `{}`",
                        attr_path(root, &attrs),
                        other.display()
                    ))
                    .help("only entities, records and contexts have attributes");
                    return TypedOperand::Error;
                }
            };
            let sig = self.sig(&name);
            let Some(fields) = sig.as_deref().and_then(Sig::fields) else {
                if !matches!(sig.as_deref(), None | Some(Sig::Enum { .. })) || sig.is_none() {
                    return TypedOperand::Error;
                }
                self.error(
                    codes::E2011,
                    format!("enum `{}` has no attributes", name.name),
                    attr.span,
                )
                .label("not a record")
                .help("compare the enum value instead");
                return TypedOperand::Error;
            };
            let Some(field) = fields.iter().find(|f| f.name == attr.name) else {
                let help = suggestion(&attr.name, fields.iter().map(|f| f.name.as_str()), "");
                let d = self
                    .error(
                        codes::E2001,
                        format!("`{}` has no attribute `{}`", name.name, attr.name),
                        attr.span,
                    )
                    .label(format!("unknown attribute of `{}`", name.name));
                if help.is_empty() {
                    let known: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
                    d.help(format!("its attributes are: {}", known.join(", ")));
                } else {
                    d.help(help);
                }
                return TypedOperand::Error;
            };
            if ty.is_optional()
                && !present.contains(&(root, attrs.clone()))
                && absent_from.is_none()
            {
                absent_from = Some(attrs.len());
            }
            attrs.push(attr.name.clone());
            ty = field.ty.clone();
        }
        if ty.is_optional() && present.contains(&(root, attrs.clone())) {
            ty = ty.unwrap_optional().clone();
        }
        if absent_from.is_some() && !ty.is_optional() {
            ty = Type::Optional(Box::new(ty));
        }
        if ty.is_optional() && absent_from.is_none() {
            absent_from = Some(attrs.len());
        }
        TypedOperand::Path {
            root,
            attrs,
            ty,
            span,
            absent_from,
        }
    }

    fn enum_value_or_bare(&mut self, path: &ast::Path) -> TypedOperand {
        match path.segments.as_slice() {
            [single] => TypedOperand::Bare(single.name.to_string(), single.span),
            [prefix @ .., value] => {
                let enum_path = ast::Path {
                    segments: prefix.to_vec(),
                    span: prefix.first().map_or(path.span, |f| {
                        f.span.to(prefix.last().map_or(f.span, |l| l.span))
                    }),
                };
                if let [first] = prefix
                    && self.scope.lookup_local(&first.name).is_none()
                    && let Some(root) = crate::diagnostics::did_you_mean(
                        &first.name,
                        ["subject", "resource", "context", "action"],
                    )
                {
                    self.error(
                        codes::E1001,
                        format!("unknown name `{}`", first.name),
                        first.span,
                    )
                    .label("not a root of this condition")
                    .help(crate::diagnostics::Help::did_you_mean(root));
                    return TypedOperand::Error;
                }
                let Some(name) = self.resolve_kind(&enum_path, &[Kind::Enum]) else {
                    return TypedOperand::Error;
                };
                match self.enum_variant(&name, &value.name, value.span) {
                    Some(v) => TypedOperand::Lit(v, Type::Named(name, Kind::Enum), path.span),
                    None => TypedOperand::Error,
                }
            }
            [] => TypedOperand::Error,
        }
    }

    /// The value `variant` of enum `name` (E2012 if it has none such).
    pub(super) fn enum_variant(
        &mut self,
        name: &QualName,
        variant: &str,
        span: Span,
    ) -> Option<Value> {
        let sig = self.sig(name)?;
        let Sig::Enum { variants, .. } = sig.as_ref() else {
            return None;
        };
        match variants.iter().position(|v| v == variant) {
            Some(ordinal) => Some(Value::Enum {
                ty: name.clone(),
                variant: variant.into(),
                ordinal,
            }),
            None => {
                let help = suggestion(
                    variant,
                    variants.iter().map(String::as_str),
                    &format!("its values are: {}", variants.join(", ")),
                );
                self.error(
                    codes::E2012,
                    format!("`{}` has no value `{variant}`", name.name),
                    span,
                )
                .label(format!("not a value of `{}`", name.name))
                .help(help);
                None
            }
        }
    }

    /// Gives a bare name its meaning from the other operand's type.
    fn settle(&mut self, bare: TypedOperand, other: &TypedOperand, env: &Env) -> TypedOperand {
        let TypedOperand::Bare(name, span) = bare else {
            return bare;
        };
        match other {
            TypedOperand::Action(_) => {
                if env.actions.contains(&name) {
                    TypedOperand::Lit(Value::String(name), Type::Prim(Prim::String), span)
                } else {
                    if env.actions_known {
                        self.unknown_action(&name, span, env);
                    }
                    TypedOperand::Error
                }
            }
            TypedOperand::Path { ty, .. } | TypedOperand::Lit(_, ty, _) => match self
                .base(ty)
                .unwrap_optional()
            {
                // The other side's type did not resolve; its error is reported already.
                Type::Error => TypedOperand::Error,
                Type::Named(enum_name, Kind::Enum) => {
                    let enum_name = enum_name.clone();
                    match self.enum_variant(&enum_name, &name, span) {
                        Some(v) => TypedOperand::Lit(v, Type::Named(enum_name, Kind::Enum), span),
                        None => TypedOperand::Error,
                    }
                }
                _ => self.unknown_bare(&name, span),
            },
            TypedOperand::Error => TypedOperand::Error,
            _ => self.unknown_bare(&name, span),
        }
    }

    fn unknown_bare(&mut self, name: &str, span: Span) -> TypedOperand {
        let help = suggestion(
            name,
            [
                "subject", "resource", "context", "action", "true", "false", "none",
            ],
            "conditions start from `subject`, `resource`, `context` or `action`; enum values are written `Enum.value`",
        );
        self.error(codes::E1001, format!("unknown name `{name}`"), span)
            .label("not an attribute, action or enum value")
            .help(help);
        TypedOperand::Error
    }

    fn unknown_action(&mut self, name: &str, span: Span, env: &Env) {
        let help = suggestion(
            name,
            env.actions.iter().map(String::as_str),
            &if env.actions.is_empty() {
                "declare the action on this policy's resource".to_string()
            } else {
                format!("this policy decides: {}", env.actions.join(", "))
            },
        );
        self.error(
            codes::E3002,
            format!("this policy does not decide action `{name}`"),
            span,
        )
        .label("not an action of this policy's resource and subjects")
        .help(help);
    }

    fn compare(
        &mut self,
        op: CmpOp,
        lhs: TypedOperand,
        rhs: TypedOperand,
        span: Span,
        env: &Env,
    ) -> Cond {
        let lhs = self.settle(lhs, &rhs, env);
        let rhs = self.settle(rhs, &lhs, env);
        let (lt, rt) = match (&lhs, &rhs) {
            (TypedOperand::Error, _) | (_, TypedOperand::Error) => return self.fail(),
            (TypedOperand::Bare(name, s), _) | (_, TypedOperand::Bare(name, s)) => {
                let (name, s) = (name.clone(), *s);
                self.unknown_bare(&name, s);
                return self.fail();
            }
            _ => (self.operand_type(&lhs), self.operand_type(&rhs)),
        };
        let ordering = !matches!(op, CmpOp::Eq | CmpOp::Ne);
        if matches!(
            lhs,
            TypedOperand::Lit(..) | TypedOperand::Null(_) | TypedOperand::List(..)
        ) && matches!(
            rhs,
            TypedOperand::Lit(..) | TypedOperand::Null(_) | TypedOperand::List(..)
        ) {
            self.error(codes::E2013, "a comparison of two constants", span)
                .label("neither side reads the request")
                .help("compare an attribute or `action` with a value; a constant condition is `true` or `false`");
            return self.fail();
        }
        if let Some(list) = [&lhs, &rhs]
            .into_iter()
            .find(|o| matches!(o, TypedOperand::List(..)))
        {
            self.error(
                codes::E2002,
                "a list cannot be compared with `==`, `!=` or an order",
                list.span(),
            )
            .label("list literal")
            .help("test membership with `x in [a, b]`");
            return self.fail();
        }
        // The requested action compared with a string: the string must name a decided action.
        for (a, b) in [(&lhs, &rhs), (&rhs, &lhs)] {
            if let (TypedOperand::Action(_), TypedOperand::Lit(Value::String(name), _, s)) = (a, b)
                && !env.actions.contains(name)
            {
                let (name, s) = (name.clone(), *s);
                if env.actions_known {
                    self.unknown_action(&name, s, env);
                }
                return self.fail();
            }
        }
        if [&lt, &rt]
            .iter()
            .any(|t| matches!(self.base(t.unwrap_optional()), Type::Error))
            && !matches!(lhs, TypedOperand::Null(_))
            && !matches!(rhs, TypedOperand::Null(_))
        {
            // A side whose type did not resolve: reported where it was declared.
            return self.fail();
        }
        // none only compares with optional values, and only for equality: `x == none` means
        // "x is absent", `x != none` means "x is present".
        if matches!(lhs, TypedOperand::Null(_)) || matches!(rhs, TypedOperand::Null(_)) {
            let other = if matches!(lhs, TypedOperand::Null(_)) {
                &rt
            } else {
                &lt
            };
            if ordering || !(other.is_optional() || *other == Type::Error) {
                if ordering {
                    self.error(codes::E2002, "`none` has no order", span)
                        .label(format!("`{}` with `none`", op.as_str()))
                        .help("test presence with `has path` or `path == none`");
                } else {
                    let always = if op == CmpOp::Eq { "false" } else { "true" };
                    self.error(
                        codes::E2002,
                        format!("comparison with `none` is always {always} here"),
                        span,
                    )
                    .label(format!("`{}` is never `none`", other.display()))
                    .help("only optional attributes (`T?`) can be `none`");
                }
                return self.fail();
            }
            let path = if matches!(lhs, TypedOperand::Null(_)) {
                &rhs
            } else {
                &lhs
            };
            let TypedOperand::Path { root, attrs, .. } = path else {
                self.error(codes::E2002, "`none` compares with attributes only", span)
                    .label("not an attribute")
                    .help("write `subject.attribute == none`");
                return self.fail();
            };
            let has = Cond::Has {
                root: *root,
                attrs: attrs.clone(),
            };
            return if op == CmpOp::Eq {
                Cond::Not(Box::new(has))
            } else {
                has
            };
        } else if ordering {
            for (t, o) in [(&lt, &lhs), (&rt, &rhs)] {
                if t.is_optional() {
                    self.error(
                        codes::E2005,
                        "ordering comparison on an optional value",
                        o.span(),
                    )
                    .label(format!("this is `{}` and may be absent", t.display()))
                    .help(format!(
                        "check presence first: `has {} and ...`",
                        opnd_text(o)
                    ));
                    return self.fail();
                }
            }
            let (lb, rb) = (self.base(&lt), self.base(&rt));
            let ok = match (&lb, &rb) {
                (Type::Prim(a), Type::Prim(b)) if a.is_numeric() && b.is_numeric() => true,
                (Type::Prim(a), Type::Prim(b))
                    if a == b && matches!(a, Prim::Date | Prim::Timestamp | Prim::Duration) =>
                {
                    true
                }
                (Type::Named(a, Kind::Enum), Type::Named(b, Kind::Enum)) if a == b => {
                    let ordered = matches!(
                        self.sig(a).as_deref(),
                        Some(Sig::Enum { ordered: true, .. })
                    );
                    if !ordered {
                        self.error(codes::E2003, format!("enum `{}` is not ordered", a.name), span)
                            .label(format!("`{}` cannot be compared with `{}`", op.as_str(), a.name))
                            .help(format!("declare it `ordered enum {}` if its values have an order, or compare with `==`", a.name));
                        return self.fail();
                    }
                    true
                }
                _ => false,
            };
            if !ok {
                if compatible(&lb, &rb, &|t| self.base(t)) {
                    self.error(codes::E2003, format!("`{}` values have no order", lb.display()), span)
                        .label(format!("`{}` on `{}`", op.as_str(), lb.display()))
                        .help("order comparisons work on numbers, ordered enums, dates, timestamps and durations");
                } else {
                    self.mismatch(&lt, &rt, span);
                }
                return self.fail();
            }
        } else if !compatible(
            &self.base(lt.unwrap_optional()),
            &self.base(rt.unwrap_optional()),
            &|t| self.base(t),
        ) {
            self.mismatch(&lt, &rt, span);
            return self.fail();
        }
        match (self.to_operand(lhs), self.to_operand(rhs)) {
            (Some(lhs), Some(rhs)) => Cond::Compare { op, lhs, rhs },
            _ => self.fail(),
        }
    }

    fn mismatch(&mut self, lt: &Type, rt: &Type, span: Span) {
        self.error(
            codes::E2002,
            format!("cannot compare `{}` with `{}`", lt.display(), rt.display()),
            span,
        )
        .label("mismatched types")
        .help("compare values of the same type");
    }

    fn membership(
        &mut self,
        elem: TypedOperand,
        collection: TypedOperand,
        span: Span,
        env: &Env,
    ) -> Cond {
        // A list literal on the right: settle bare names against the element.
        let (elem, collection) = match collection {
            TypedOperand::List(items, lspan) => {
                let elem_settled = match &elem {
                    TypedOperand::Bare(..) => match items.first() {
                        Some(first) => self.settle(elem, first, env),
                        None => elem,
                    },
                    _ => elem,
                };
                let mut values = Vec::new();
                let elem_ty = self.operand_type(&elem_settled);
                for item in items {
                    let item = self.settle(item, &elem_settled, env);
                    if let (TypedOperand::Action(_), TypedOperand::Lit(Value::String(name), _, s)) =
                        (&elem_settled, &item)
                        && !env.actions.contains(name)
                    {
                        let (name, s) = (name.clone(), *s);
                        if env.actions_known {
                            self.unknown_action(&name, s, env);
                        }
                        return self.fail();
                    }
                    match item {
                        TypedOperand::Lit(v, t, s) => {
                            if !compatible(
                                &self.base(elem_ty.unwrap_optional()),
                                &self.base(&t),
                                &|t| self.base(t),
                            ) && elem_ty != Type::Error
                            {
                                self.error(
                                    codes::E2004,
                                    format!(
                                        "list item of type `{}` in a test for `{}`",
                                        t.display(),
                                        elem_ty.display()
                                    ),
                                    s,
                                )
                                .label("mismatched list item")
                                .help("every item of the list must have the element's type");
                                return self.fail();
                            }
                            values.push(v);
                        }
                        TypedOperand::Error => return self.fail(),
                        other => {
                            self.error(
                                codes::E2004,
                                "lists in conditions hold literal values",
                                other.span(),
                            )
                            .label("not a literal")
                            .help("write literal values, or test membership in an attribute");
                            return self.fail();
                        }
                    }
                }
                let ty = Type::List(Box::new(elem_ty));
                (
                    elem_settled,
                    TypedOperand::Lit(Value::List(values), ty, lspan),
                )
            }
            other => (elem, other),
        };
        // The element may be a bare enum value: settle it against the collection's element type.
        let elem = match (&elem, &collection) {
            (TypedOperand::Bare(name, s), TypedOperand::Path { ty, .. }) => match self.base(ty) {
                Type::List(inner) | Type::Set(inner) => {
                    let probe = TypedOperand::Lit(Value::Null, (*inner).clone(), *s);
                    let (name, s) = (name.clone(), *s);
                    self.settle(TypedOperand::Bare(name, s), &probe, env)
                }
                _ => elem,
            },
            _ => elem,
        };
        let et = self.operand_type(&elem);
        let ct = self.operand_type(&collection);
        if matches!(elem, TypedOperand::Error) || matches!(collection, TypedOperand::Error) {
            return self.fail();
        }
        if let TypedOperand::Bare(name, s) = &elem {
            let (name, s) = (name.clone(), *s);
            self.unknown_bare(&name, s);
            return self.fail();
        }
        if ct.is_optional() {
            self.error(
                codes::E2005,
                "membership test on an optional collection",
                collection.span(),
            )
            .label(format!("this is `{}` and may be absent", ct.display()))
            .help(format!(
                "check presence first: `has {} and ...`",
                opnd_text(&collection)
            ));
            return self.fail();
        }
        let element = match self.base(&ct) {
            Type::List(inner) | Type::Set(inner) => self.base(&inner),
            Type::Map(_) => Type::Prim(Prim::String),
            Type::Error => return self.fail(),
            other => {
                self.error(
                    codes::E2004,
                    format!("`in` needs a list, set or map, not `{}`", other.display()),
                    collection.span(),
                )
                .label("not a collection")
                .help("test membership in a `list<T>`, `set<T>` or the keys of a `map<string, T>`");
                return self.fail();
            }
        };
        if !compatible(&self.base(et.unwrap_optional()), &element, &|t| {
            self.base(t)
        }) {
            self.error(
                codes::E2004,
                format!(
                    "`{}` cannot be an element of `{}`",
                    et.display(),
                    ct.display()
                ),
                span,
            )
            .label("mismatched element type")
            .help(format!(
                "the collection holds `{}` values",
                element.display()
            ));
            return self.fail();
        }
        match (self.to_operand(elem), self.to_operand(collection)) {
            (Some(elem), Some(collection)) => Cond::In { elem, collection },
            _ => self.fail(),
        }
    }

    fn operand_type(&self, o: &TypedOperand) -> Type {
        match o {
            TypedOperand::Path { ty, .. } | TypedOperand::Lit(_, ty, _) => ty.clone(),
            TypedOperand::Action(_) => Type::Prim(Prim::String),
            TypedOperand::Null(_) => Type::Optional(Box::new(Type::Error)),
            TypedOperand::List(..) | TypedOperand::Bare(..) | TypedOperand::Error => Type::Error,
        }
    }

    fn to_operand(&self, o: TypedOperand) -> Option<Operand> {
        match o {
            TypedOperand::Path {
                root, attrs, ty, ..
            } => Some(Operand::Path { root, attrs, ty }),
            TypedOperand::Action(_) => Some(Operand::Action),
            TypedOperand::Lit(v, _, _) => Some(Operand::Literal(v)),
            TypedOperand::Null(_) => Some(Operand::Literal(Value::Null)),
            TypedOperand::List(..) | TypedOperand::Bare(..) | TypedOperand::Error => None,
        }
    }
}

/// The operands of a left-nested chain of one operator, in source order, without recursion.
fn chain(e: &ast::Expr, op: ast::BinOp) -> Vec<&ast::Expr> {
    let mut right = Vec::new();
    let mut current = e;
    while let ast::ExprKind::Binary(o, l, r) = &current.kind {
        if *o != op {
            break;
        }
        right.push(&**r);
        current = l;
    }
    right.push(current);
    right.reverse();
    right
}

/// Whether two (base) types may be compared for equality; `base` resolves aliases and drops
/// refinements of element types (`list<int in 0..9>` compares with `list<int>`).
fn compatible(a: &Type, b: &Type, base: &dyn Fn(&Type) -> Type) -> bool {
    match (a, b) {
        (Type::Error, _) | (_, Type::Error) => true,
        (Type::Prim(x), Type::Prim(y)) => {
            x == y
                || (x.is_numeric() && y.is_numeric())
                || matches!(
                    (x, y),
                    (Prim::String, Prim::Uuid) | (Prim::Uuid, Prim::String)
                )
        }
        (Type::Named(x, _), Type::Named(y, _)) => x == y,
        (Type::List(x) | Type::Set(x), Type::List(y) | Type::Set(y)) => {
            compatible(&base(x), &base(y), base)
        }
        (Type::Optional(x), y) | (y, Type::Optional(x)) => compatible(x, y, base),
        _ => false,
    }
}

fn collect_present(c: &Cond, present: &mut Vec<(Root, Vec<crate::Name>)>) {
    match c {
        Cond::Has { root, attrs } => {
            // `has a.b.c` means every prefix is present too.
            for n in 1..=attrs.len() {
                present.push((*root, attrs.iter().take(n).cloned().collect()));
            }
        }
        Cond::And(parts) => parts.iter().for_each(|p| collect_present(p, present)),
        _ => {}
    }
}

fn attr_path(root: Root, attrs: &[crate::Name]) -> String {
    let mut s = root.as_str().to_string();
    for a in attrs {
        s.push('.');
        s.push_str(a);
    }
    s
}

fn opnd_text(o: &TypedOperand) -> String {
    match o {
        TypedOperand::Path {
            root,
            attrs,
            absent_from,
            ..
        } => {
            let n = absent_from.unwrap_or(attrs.len()).min(attrs.len());
            attr_path(*root, attrs.get(..n).unwrap_or(attrs))
        }
        _ => "the value".to_string(),
    }
}

pub(super) fn effect(e: ast::Effect) -> ir::Effect {
    match e {
        ast::Effect::Allow => ir::Effect::Allow,
        ast::Effect::Deny => ir::Effect::Deny,
    }
}

/// Why a number literal cannot be carried exactly (E0005).
pub(super) struct NumberProblem {
    pub message: String,
    pub label: String,
    pub help: Option<&'static str>,
}

/// A number literal as a value: a 64-bit integer without `.` or exponent, else a float that
/// JSON, JSON Schema, OpenAPI and Rego (64-bit floats all) carry without rounding.
pub(super) fn fit(n: Number) -> Result<Value, NumberProblem> {
    if n.as_str().contains(['.', 'e', 'E']) {
        let f = n.as_f64();
        if !f.is_finite() {
            return Err(NumberProblem {
                message: format!("number `{}` is out of range", n.as_str()),
                label: "too large".into(),
                help: None,
            });
        }
        if !same_decimal(n.as_str(), &format!("{f:e}")) {
            // The value would be written rounded (`1.2345678901234568e+29`).
            return Err(NumberProblem {
                message: format!(
                    "number `{}` has more digits than a 64-bit float holds",
                    n.as_str()
                ),
                label: format!("would be rounded to {f:e}"),
                help: Some("write at most 15 significant digits"),
            });
        }
        Ok(Value::Float(n))
    } else {
        match n.as_str().parse::<i64>() {
            Ok(v) => Ok(Value::Int(v)),
            Err(_) => Err(NumberProblem {
                message: format!("integer `{}` does not fit in 64 bits", n.as_str()),
                label: "out of range".into(),
                help: Some("integers range from -9223372036854775808 to 9223372036854775807"),
            }),
        }
    }
}

/// A decimal literal's significant digits and power of ten (`12.50` → `("125", -1)`).
fn decimal_parts(text: &str) -> (String, i64) {
    let text = text.replace('_', "");
    let text = text.trim_start_matches(['-', '+']);
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], text[i + 1..].parse::<i64>().unwrap_or(0)),
        None => (text, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mut digits: String = format!("{int}{frac}").trim_start_matches('0').to_string();
    let mut power = exponent - i64::try_from(frac.len()).unwrap_or(0);
    while digits.ends_with('0') {
        digits.pop();
        power += 1;
    }
    if digits.is_empty() {
        return ("0".to_string(), 0);
    }
    (digits, power)
}

/// Whether two decimal texts denote the same number.
fn same_decimal(a: &str, b: &str) -> bool {
    decimal_parts(a) == decimal_parts(b)
}

#[cfg(test)]
mod decimal_tests {
    use super::same_decimal;

    #[test]
    fn decimals_compare_by_value() {
        assert!(same_decimal("12.50", "1.25e1"));
        assert!(same_decimal("0.001", "1e-3"));
        assert!(same_decimal("1_000.0", "1e3"));
        assert!(same_decimal("0.0", "0e0"));
        let f: f64 = "123456789012345678901234567890.5".parse().unwrap_or(0.0);
        assert!(!same_decimal(
            "123456789012345678901234567890.5",
            &format!("{f:e}")
        ));
        let f: f64 = "0.1".parse().unwrap_or(0.0);
        assert!(same_decimal("0.1", &format!("{f:e}")));
    }
}
