//! Charter rules as Cedar policies: the scope from the policy header, the condition as a `when`
//! expression.

use std::fmt::Write as _;

use charter::ir::{CmpOp, Cond, Effect, Field, Model, Operand, Policy, Root, Rule, Value};

use super::{Base, Types, comment, namespace, qualified, string};

/// How tightly an expression binds, for parentheses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prec {
    /// A literal, a path, a method call, `!x`.
    Atom,
    /// `a == b`, `a has b`.
    Cmp,
    And,
    Or,
}

#[derive(Debug, Clone)]
struct Expr {
    text: String,
    prec: Prec,
}

impl Expr {
    fn new(text: String, prec: Prec) -> Self {
        Expr { text, prec }
    }

    /// The text, in parentheses unless it binds at least as tightly as `within`.
    fn within(&self, within: Prec) -> String {
        let fits = match within {
            Prec::Atom => self.prec == Prec::Atom,
            Prec::Cmp => self.prec == Prec::Atom,
            Prec::And => matches!(self.prec, Prec::Atom | Prec::Cmp | Prec::And),
            Prec::Or => self.prec != Prec::And,
        };
        if fits {
            self.text.clone()
        } else {
            format!("({})", self.text)
        }
    }
}

/// `guards && expr`, or `expr` when there is no guard.
fn guarded(guards: Vec<String>, expr: Expr) -> Expr {
    if guards.is_empty() {
        return expr;
    }
    let mut parts = guards;
    parts.push(expr.within(Prec::And));
    Expr::new(parts.join(" && "), Prec::And)
}

/// What a rule's condition can read: the policy's subject, resource and context, and the
/// namespace of its actions.
struct Scope<'a> {
    subject: &'a [Field],
    resource: &'a [Field],
    context: &'a [Field],
    actions: String,
}

/// A rendered operand: the `has` guards its path needs, its text, and its Cedar type.
struct Rendered<'a> {
    guards: Vec<String>,
    text: String,
    base: Option<Base<'a>>,
}

pub(super) fn policies<'a>(types: &Types<'a>, model: &'a Model) -> Result<String, String> {
    let mut out = String::new();
    out.push_str("// The Cedar equivalent of a Charter workspace (charter-peer-gen cedar).\n");
    for policy in &model.policies {
        policy_set(types, policy, &mut out)
            .map_err(|e| format!("policy `{}`: {e}", policy.name))?;
    }
    Ok(out)
}

fn policy_set<'a>(types: &Types<'a>, policy: &'a Policy, out: &mut String) -> Result<(), String> {
    let [subject] = policy.subjects.as_slice() else {
        return Err("Cedar scopes name one principal type; this policy has several".to_string());
    };
    let scope = Scope {
        subject: &types.entity(subject)?.fields,
        resource: &types.entity(&policy.resource)?.fields,
        context: match &policy.context {
            Some(context) => &types.context(context)?.fields,
            None => &[],
        },
        actions: namespace(&policy.resource.package)?,
    };
    let actions: Vec<String> = policy
        .actions
        .iter()
        .map(|a| format!("{}::Action::{}", scope.actions, string(a)))
        .collect();
    let head = Head {
        principal: qualified(subject)?,
        actions: format!("action in [{}]", actions.join(", ")),
        resource: qualified(&policy.resource)?,
    };
    let _ = writeln!(
        out,
        "\n// Policy {} version {}.",
        policy.name, policy.version
    );
    comment(out, "", policy.doc.as_deref());
    for rule in &policy.rules {
        rule_policy(types, &scope, policy, rule, &head, out)
            .map_err(|e| format!("rule `{}`: {e}", rule.name))?;
    }
    if !super::default_denies(policy.default_effect) {
        // Cedar denies by default; a `default allow` policy permits whatever no rule forbids.
        let _ = writeln!(
            out,
            "\n@id({})\n@reason({})\npermit {};",
            string(&format!("{}.default", policy.name)),
            string(&policy.default_reason),
            head.scope(&head.actions)
        );
    }
    Ok(())
}

fn rule_policy<'a>(
    types: &Types<'a>,
    scope: &Scope<'a>,
    policy: &Policy,
    rule: &'a Rule,
    head: &Head,
    out: &mut String,
) -> Result<(), String> {
    out.push('\n');
    comment(out, "", rule.doc.as_deref());
    let _ = writeln!(
        out,
        "@id({})",
        string(&format!("{}.{}", policy.name, rule.name))
    );
    let _ = writeln!(out, "@reason({})", string(&rule.reason));
    if rule.canary {
        out.push_str("@canary(\"true\")\n");
    }
    let effect = match rule.effect {
        Effect::Allow => "permit",
        Effect::Deny => "forbid",
    };
    let mut conjuncts: Vec<&Cond> = match &rule.condition {
        Cond::And(parts) => parts.iter().collect(),
        other => vec![other],
    };
    // `action == x` as a conjunct goes into the scope, as Cedar policies are written.
    let mut actions = head.actions.clone();
    if let Some((at, name)) = conjuncts
        .iter()
        .enumerate()
        .find_map(|(i, c)| action_test(c).map(|name| (i, name)))
    {
        actions = format!("action == {}::Action::{}", scope.actions, string(name));
        conjuncts.remove(at);
    }
    let scope_text = head.scope(&actions);
    let mut lines = Vec::with_capacity(conjuncts.len());
    for part in conjuncts {
        lines.push(condition(types, scope, part)?.within(Prec::And));
    }
    // Short conditions on one line, longer ones one conjunct a line.
    let one_line = lines.join(" && ");
    if lines.is_empty() {
        let _ = writeln!(out, "{effect} {scope_text};");
    } else if one_line.len() <= 72 {
        let _ = writeln!(out, "{effect} {scope_text}\nwhen {{ {one_line} }};");
    } else {
        let _ = writeln!(
            out,
            "{effect} {scope_text}\nwhen {{\n  {}\n}};",
            lines.join(" &&\n  ")
        );
    }
    Ok(())
}

/// A policy's scope: its principal type, its actions, its resource type.
struct Head {
    principal: String,
    /// `action in [...]`: every action the policy decides.
    actions: String,
    resource: String,
}

impl Head {
    /// The scope with `actions` (the policy's, or one rule's `action == x`).
    fn scope(&self, actions: &str) -> String {
        format!(
            "(\n  principal is {},\n  {actions},\n  resource is {}\n)",
            self.principal, self.resource
        )
    }
}

/// The action a condition tests with `action == name`, if it is that test.
fn action_test(cond: &Cond) -> Option<&str> {
    match cond {
        Cond::Compare {
            op: CmpOp::Eq,
            lhs: Operand::Action,
            rhs: Operand::Literal(Value::String(name)),
        }
        | Cond::Compare {
            op: CmpOp::Eq,
            lhs: Operand::Literal(Value::String(name)),
            rhs: Operand::Action,
        } => Some(name),
        _ => None,
    }
}

fn condition<'a>(types: &Types<'a>, scope: &Scope<'a>, cond: &'a Cond) -> Result<Expr, String> {
    Ok(match cond {
        Cond::Literal(b) => Expr::new(b.to_string(), Prec::Atom),
        Cond::Truthy(truthy) => {
            let value = operand(types, scope, truthy)?;
            if !matches!(value.base, Some(Base::Bool)) {
                return Err(format!("`{}` is not a bool", value.text));
            }
            guarded(value.guards, Expr::new(value.text, Prec::Atom))
        }
        Cond::Not(inner) => {
            let inner = condition(types, scope, inner)?;
            Expr::new(format!("!{}", inner.within(Prec::Atom)), Prec::Atom)
        }
        Cond::And(parts) | Cond::Or(parts) => {
            let prec = if matches!(cond, Cond::And(_)) {
                Prec::And
            } else {
                Prec::Or
            };
            let mut texts = Vec::with_capacity(parts.len());
            for part in parts {
                texts.push(condition(types, scope, part)?.within(prec));
            }
            let joiner = if prec == Prec::And { " && " } else { " || " };
            match texts.len() {
                0 => Expr::new((prec == Prec::And).to_string(), Prec::Atom),
                _ => Expr::new(texts.join(joiner), prec),
            }
        }
        Cond::Compare { op, lhs, rhs } => compare(types, scope, *op, lhs, rhs)?,
        Cond::In { elem, collection } => {
            let coll = operand(types, scope, collection)?;
            let Some(Base::Set(inner)) = coll.base else {
                return Err(format!("`{}` is not a set or a list", coll.text));
            };
            let inner = types.base(types.optional(inner).1)?;
            let elem = typed(types, scope, elem, Some(inner))?;
            let mut guards = coll.guards;
            guards.extend(elem.guards);
            let call = format!("{}.contains({})", coll.text, elem.text);
            guarded(guards, Expr::new(call, Prec::Atom))
        }
        Cond::Has { root, attrs } => {
            let value = path(types, scope, *root, attrs)?;
            // The guards of a path are exactly its `has` chain, the last attribute included
            // when it is optional; a required one is always there.
            match value.guards.len() {
                0 => Expr::new("true".to_string(), Prec::Atom),
                1 => Expr::new(value.guards.join(""), Prec::Cmp),
                _ => Expr::new(value.guards.join(" && "), Prec::And),
            }
        }
    })
}

fn compare<'a>(
    types: &Types<'a>,
    scope: &Scope<'a>,
    op: CmpOp,
    lhs: &'a Operand,
    rhs: &'a Operand,
) -> Result<Expr, String> {
    if let (Operand::Action, Operand::Literal(Value::String(name)))
    | (Operand::Literal(Value::String(name)), Operand::Action) = (lhs, rhs)
    {
        let action = format!("{}::Action::{}", scope.actions, string(name));
        return match op {
            CmpOp::Eq => Ok(Expr::new(format!("action == {action}"), Prec::Cmp)),
            CmpOp::Ne => Ok(Expr::new(format!("action != {action}"), Prec::Cmp)),
            _ => Err("actions are not ordered".to_string()),
        };
    }
    // Literals take the type of the path they are compared with.
    let (left, right) = if matches!(lhs, Operand::Literal(_)) {
        let right = operand(types, scope, rhs)?;
        (typed(types, scope, lhs, right.base)?, right)
    } else {
        let left = operand(types, scope, lhs)?;
        let right = typed(types, scope, rhs, left.base)?;
        (left, right)
    };
    let decimal =
        matches!(left.base, Some(Base::Decimal)) || matches!(right.base, Some(Base::Decimal));
    let ordered = matches!(left.base, Some(Base::Long | Base::Ordered | Base::Decimal));
    let text = match (op, decimal) {
        (CmpOp::Eq | CmpOp::Ne, _) => format!("{} {} {}", left.text, op.as_str(), right.text),
        (_, _) if !ordered => {
            return Err(format!("`{}` has no order in Cedar", left.text));
        }
        (_, false) => format!("{} {} {}", left.text, op.as_str(), right.text),
        (_, true) => {
            let method = match op {
                CmpOp::Lt => "lessThan",
                CmpOp::Le => "lessThanOrEqual",
                CmpOp::Gt => "greaterThan",
                _ => "greaterThanOrEqual",
            };
            format!("{}.{method}({})", left.text, right.text)
        }
    };
    let mut guards = left.guards;
    guards.extend(right.guards);
    let prec = if decimal && !matches!(op, CmpOp::Eq | CmpOp::Ne) {
        Prec::Atom
    } else {
        Prec::Cmp
    };
    Ok(guarded(guards, Expr::new(text, prec)))
}

/// An operand that is not a literal compared with a path.
fn operand<'a>(
    types: &Types<'a>,
    scope: &Scope<'a>,
    operand: &'a Operand,
) -> Result<Rendered<'a>, String> {
    typed(types, scope, operand, None)
}

/// An operand; a literal is written as a value of `expected` (the other side's type).
fn typed<'a>(
    types: &Types<'a>,
    scope: &Scope<'a>,
    operand: &'a Operand,
    expected: Option<Base<'a>>,
) -> Result<Rendered<'a>, String> {
    match operand {
        Operand::Path { root, attrs, .. } => path(types, scope, *root, attrs),
        Operand::Action => Err("the action compared with something else than a name".into()),
        Operand::Literal(value) => Ok(Rendered {
            guards: Vec::new(),
            text: literal(types, value, expected)?,
            base: expected,
        }),
    }
}

fn literal<'a>(
    types: &Types<'a>,
    value: &Value,
    expected: Option<Base<'a>>,
) -> Result<String, String> {
    let decimal = matches!(expected, Some(Base::Decimal));
    Ok(match value {
        Value::Bool(b) => b.to_string(),
        Value::Int(i) if decimal => format!("decimal(\"{i}.0\")"),
        Value::Int(i) => i.to_string(),
        Value::Float(n) => format!("decimal(\"{}\")", decimal_text(n.as_str())?),
        Value::String(s) => string(s),
        Value::Enum {
            ty,
            variant,
            ordinal,
        } => {
            if types.ordered(ty) {
                ordinal.to_string()
            } else {
                string(variant)
            }
        }
        Value::List(items) => {
            let inner = match expected {
                Some(Base::Set(ty)) => Some(types.base(types.optional(ty).1)?),
                _ => None,
            };
            let items: Result<Vec<String>, String> =
                items.iter().map(|v| literal(types, v, inner)).collect();
            format!("[{}]", items?.join(", "))
        }
        Value::Null | Value::Object(_) => {
            return Err("null and record literals have no Cedar equivalent here".to_string());
        }
    })
}

/// A number as Cedar's `decimal` reads it: digits, a point, one to four digits.
pub(super) fn decimal_text(text: &str) -> Result<String, String> {
    let plain = text.replace('_', "");
    let (whole, fraction) = plain.split_once('.').unwrap_or((plain.as_str(), "0"));
    let digits = whole.strip_prefix('-').unwrap_or(whole);
    let fraction = if fraction.is_empty() { "0" } else { fraction };
    if digits.is_empty()
        || !digits.chars().all(|c| c.is_ascii_digit())
        || fraction.len() > 4
        || !fraction.chars().all(|c| c.is_ascii_digit())
    {
        return Err(format!("`{text}` is not a Cedar decimal"));
    }
    Ok(format!("{whole}.{fraction}"))
}

/// A path from a root: its text, the `has` guards of its optional attributes, its type.
fn path<'a>(
    types: &Types<'a>,
    scope: &Scope<'a>,
    root: Root,
    attrs: &[charter::Name],
) -> Result<Rendered<'a>, String> {
    let (mut text, mut fields) = match root {
        Root::Subject => ("principal".to_string(), scope.subject),
        Root::Resource => ("resource".to_string(), scope.resource),
        Root::Context => ("context".to_string(), scope.context),
    };
    let mut guards = Vec::new();
    let mut base = None;
    for (i, attr) in attrs.iter().enumerate() {
        if i > 0 {
            fields = match base {
                Some(Base::Record(_, f) | Base::Entity(_, f)) => f,
                _ => return Err(format!("`{text}` has no attributes")),
            };
        }
        let field = fields
            .iter()
            .find(|f| &f.name == attr)
            .ok_or_else(|| format!("`{text}` has no attribute `{attr}`"))?;
        let (optional, ty) = types.optional(&field.ty);
        let (has, member) = if super::is_identifier(attr) {
            (attr.to_string(), format!("{text}.{attr}"))
        } else {
            (string(attr), format!("{text}[{}]", string(attr)))
        };
        if optional {
            guards.push(format!("{text} has {has}"));
        }
        text = member;
        base = Some(types.base(ty)?);
    }
    Ok(Rendered { guards, text, base })
}
