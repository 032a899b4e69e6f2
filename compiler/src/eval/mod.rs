//! The native policy evaluator: `charter eval` and `charter test`. It implements the semantics of
//! `docs/decisions.md` over the typed model; the emitted Rego implements the same, and the tests
//! replay inputs against the real OPA to prove they agree.

pub mod cases;
pub mod egress;
mod json;
mod number;
pub mod router;
pub mod validate;

use serde::Serialize;

pub use cases::{Case, Coverage, cases, coverage};
pub use json::{Json, JsonError, json_eq};
pub use number::{Decimal, EXTREME_EXPONENT};
pub use validate::{Problem, Seg};

use crate::ir::{
    self, CmpOp, Cond, Effect, Kind, Model, Operand, Policy, Prim, QualName, Root, Type,
};
use crate::literal;

/// The decision with its rationale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub allow: bool,
    pub decider: String,
    pub rule_id: String,
    pub reason: String,
    pub policy_version: String,
    pub canary: Vec<String>,
}

/// A rule whose condition held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Match {
    pub rule: String,
    pub effect: &'static str,
    pub canary: bool,
}

/// A verdict and the rules that matched on the way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evaluation {
    pub verdict: Verdict,
    pub matched: Vec<Match>,
}

/// The rule ids of the built-in checks.
pub const PROVENANCE_MISSING: &str = "provenance_missing";
pub const PROVENANCE_INVALID: &str = "provenance_invalid";
pub const INPUT_INVALID: &str = "input_invalid";

/// Decides `input` (`{action, subject, resource, context}`) with `policy`, and lists the rules
/// that matched on the way. An input that does not fit the declared types is denied
/// (`input_invalid`) before any rule is read.
pub fn evaluate(model: &Model, policy: &Policy, input: &Json) -> Evaluation {
    if let Some(verdict) = invalid(model, policy, input) {
        return Evaluation {
            verdict,
            matched: Vec::new(),
        };
    }
    let matched = matching(model, policy, input);
    let verdict = verdict(policy, input, &matched);
    let matched = matched
        .iter()
        .map(|r| Match {
            rule: r.name.to_string(),
            effect: r.effect.as_str(),
            canary: r.canary,
        })
        .collect();
    Evaluation { verdict, matched }
}

/// Decides `input` with `policy`: the verdict alone (the fast path).
pub fn decide(model: &Model, policy: &Policy, input: &Json) -> Verdict {
    invalid(model, policy, input)
        .unwrap_or_else(|| verdict(policy, input, &matching(model, policy, input)))
}

/// Every way `input` does not fit the policy's declared types, in order (empty: it fits).
pub fn validate(model: &Model, policy: &Policy, input: &Json) -> Vec<Problem> {
    validate::problems(model, policy, input)
}

/// The verdict on an input that does not fit: deny, naming the first problem.
fn invalid(model: &Model, policy: &Policy, input: &Json) -> Option<Verdict> {
    let first = validate::problems(model, policy, input)
        .into_iter()
        .next()?;
    Some(Verdict {
        allow: false,
        decider: policy.name.to_string(),
        rule_id: INPUT_INVALID.to_string(),
        reason: invalid_reason(&first),
        policy_version: policy.version.clone(),
        canary: Vec::new(),
    })
}

/// `input invalid: $.subject.level: expected int, found string`.
pub fn invalid_reason(problem: &Problem) -> String {
    format!(
        "input invalid: {}: {}",
        problem.path_text(),
        problem.message
    )
}

/// The rules whose condition holds, in source order.
fn matching<'p>(model: &Model, policy: &'p Policy, input: &Json) -> Vec<&'p ir::Rule> {
    let cx = Cx::new(model, policy, input);
    policy
        .rules
        .iter()
        .filter(|r| cx.cond(&r.condition))
        .collect()
}

/// The verdict from the rules that matched, per `docs/decisions.md`.
fn verdict(policy: &Policy, input: &Json, matched: &[&ir::Rule]) -> Verdict {
    let make = |allow: bool, rule_id: &str, reason: &str, canary: Vec<String>| Verdict {
        allow,
        decider: policy.name.to_string(),
        rule_id: rule_id.to_string(),
        reason: reason.to_string(),
        policy_version: policy.version.clone(),
        canary,
    };
    let enforced = |effect: Effect| matched.iter().find(|r| !r.canary && r.effect == effect);
    let canary_of = |effect: Effect| -> Vec<String> {
        matched
            .iter()
            .filter(|r| r.canary && r.effect == effect)
            .map(|r| r.name.to_string())
            .collect()
    };
    if let Some(deny) = enforced(Effect::Deny) {
        return make(false, &deny.name, &deny.reason, Vec::new());
    }
    if !policy.requires_provenance_for.is_empty()
        && let Some((rule_id, reason)) = provenance_problem(input)
    {
        return make(false, rule_id, &reason, Vec::new());
    }
    if let Some(allow) = enforced(Effect::Allow) {
        return make(true, &allow.name, &allow.reason, canary_of(Effect::Deny));
    }
    let allow = policy.default_effect == Effect::Allow;
    let canary = if allow {
        canary_of(Effect::Deny)
    } else {
        canary_of(Effect::Allow)
    };
    make(allow, "default", &policy.default_reason, canary)
}

/// The built-in provenance check of `docs/decisions.md`: the deciding rule id and reason.
fn provenance_problem(input: &Json) -> Option<(&'static str, String)> {
    let envelope = match input.get("context").and_then(|c| c.get("provenance")) {
        None | Some(Json::Null) => {
            return Some((
                PROVENANCE_MISSING,
                "provenance envelope missing".to_string(),
            ));
        }
        Some(envelope) => envelope,
    };
    let field = |name: &str| envelope.get(name);
    let is_string = |v: Option<&Json>| matches!(v, Some(Json::String(_)));
    let confidence_ok = match field("confidence") {
        Some(Json::Number(c)) => *c >= Decimal::zero() && *c <= Decimal::from_i64(1),
        _ => false,
    };
    let bad = if !is_string(field("origin")) {
        Some("origin")
    } else if !is_string(field("actor")) {
        Some("actor")
    } else if !field("timestamp")
        .and_then(Json::as_str)
        .is_some_and(literal::is_timestamp)
    {
        Some("timestamp")
    } else if !confidence_ok {
        Some("confidence")
    } else if !matches!(field("simulated"), Some(Json::Bool(_))) {
        Some("simulated")
    } else {
        None
    };
    bad.map(|f| {
        (
            PROVENANCE_INVALID,
            format!("provenance envelope invalid: {f}"),
        )
    })
}

/// What a condition reads: the model, the policy (for field defaults) and the input's roots.
struct Cx<'a> {
    model: &'a Model,
    policy: &'a Policy,
    input: &'a Json,
    /// `input.subject`, `input.resource`, `input.context`, looked up once per decision.
    roots: [Option<&'a Json>; 3],
}

impl<'a> Cx<'a> {
    fn new(model: &'a Model, policy: &'a Policy, input: &'a Json) -> Self {
        Cx {
            model,
            policy,
            input,
            roots: [
                input.get("subject"),
                input.get("resource"),
                input.get("context"),
            ],
        }
    }
}

/// An operand's value: borrowed from the input, a default made on the way, or a literal of the
/// model (compared in place, without building JSON).
#[derive(Clone)]
enum Val<'a> {
    Json(&'a Json),
    Owned(Json),
    Lit(&'a ir::Value),
}

impl Val<'_> {
    /// The input value, when it is one.
    fn json(&self) -> Option<&Json> {
        match self {
            Val::Json(j) => Some(j),
            Val::Owned(j) => Some(j),
            Val::Lit(_) => None,
        }
    }

    fn as_str(&self) -> Option<&str> {
        match self {
            Val::Lit(ir::Value::String(s)) => Some(s),
            Val::Lit(ir::Value::Enum { variant, .. }) => Some(variant),
            Val::Lit(_) => None,
            other => other.json().and_then(Json::as_str),
        }
    }

    fn is_true(&self) -> bool {
        matches!(
            self,
            Val::Json(Json::Bool(true))
                | Val::Owned(Json::Bool(true))
                | Val::Lit(ir::Value::Bool(true))
        )
    }

    /// The number, exactly (`None`: not a number).
    fn decimal(&self) -> Option<std::borrow::Cow<'_, Decimal>> {
        use std::borrow::Cow;
        match self {
            Val::Lit(ir::Value::Int(i)) => Some(Cow::Owned(Decimal::from_i64(*i))),
            Val::Lit(ir::Value::Float(n)) => Decimal::parse_literal(n.as_str()).map(Cow::Owned),
            Val::Lit(_) => None,
            other => match other.json() {
                Some(Json::Number(d)) => Some(Cow::Borrowed(d)),
                _ => None,
            },
        }
    }
}

/// Equality as `docs/decisions.md` defines it: JSON equality, numbers exactly by value.
fn equals(a: &Val<'_>, b: &Val<'_>) -> bool {
    match (a, b) {
        (Val::Lit(x), Val::Lit(y)) => Json::from_value(x) == Json::from_value(y),
        (Val::Lit(v), other) | (other, Val::Lit(v)) => {
            other.json().is_some_and(|j| equals_literal(j, v))
        }
        _ => a.json() == b.json(),
    }
}

/// An input value equal to a literal of the model, without converting the common cases.
fn equals_literal(j: &Json, v: &ir::Value) -> bool {
    match (j, v) {
        (Json::Null, ir::Value::Null) => true,
        (Json::Bool(a), ir::Value::Bool(b)) => a == b,
        (Json::Number(d), ir::Value::Int(i)) => d.to_i64() == Some(*i),
        (Json::String(s), ir::Value::String(t)) => s == t,
        (Json::String(s), ir::Value::Enum { variant, .. }) => s == variant,
        (_, ir::Value::Float(_) | ir::Value::List(_) | ir::Value::Object(_)) => {
            *j == Json::from_value(v)
        }
        _ => false,
    }
}

/// Two numbers in exact order (`None`: not both numbers).
fn number_order(a: &Val<'_>, b: &Val<'_>) -> Option<std::cmp::Ordering> {
    match (a, b) {
        (Val::Lit(ir::Value::Int(x)), Val::Lit(ir::Value::Int(y))) => Some(x.cmp(y)),
        (other, Val::Lit(ir::Value::Int(i))) => Some(other.decimal()?.cmp_i64(*i)),
        (Val::Lit(ir::Value::Int(i)), other) => Some(other.decimal()?.cmp_i64(*i).reverse()),
        _ => Some(a.decimal()?.as_ref().cmp(b.decimal()?.as_ref())),
    }
}

impl Cx<'_> {
    fn cond(&self, c: &Cond) -> bool {
        match c {
            Cond::Literal(b) => *b,
            Cond::Truthy(o) => self.operand(o).is_some_and(|v| v.is_true()),
            Cond::Not(inner) => !self.cond(inner),
            Cond::And(parts) => parts.iter().all(|p| self.cond(p)),
            Cond::Or(parts) => parts.iter().any(|p| self.cond(p)),
            Cond::Has { root, attrs } => self
                .path(*root, attrs)
                .is_some_and(|v| v.json().is_some_and(|j| !j.is_null())),
            Cond::Compare { op, lhs, rhs } => {
                let (Some(a), Some(b)) = (self.operand(lhs), self.operand(rhs)) else {
                    return false;
                };
                match op {
                    CmpOp::Eq => equals(&a, &b),
                    CmpOp::Ne => !equals(&a, &b),
                    _ => {
                        let ty = operand_type(lhs).or_else(|| operand_type(rhs));
                        match self.order(&a, &b, ty) {
                            Some(ordering) => match op {
                                CmpOp::Lt => ordering.is_lt(),
                                CmpOp::Le => ordering.is_le(),
                                CmpOp::Gt => ordering.is_gt(),
                                _ => ordering.is_ge(),
                            },
                            None => false,
                        }
                    }
                }
            }
            Cond::In { elem, collection } => {
                let (Some(e), Some(c)) = (self.operand(elem), self.operand(collection)) else {
                    return false;
                };
                match &c {
                    Val::Lit(ir::Value::List(items)) => {
                        items.iter().any(|i| equals(&Val::Lit(i), &e))
                    }
                    other => match other.json() {
                        Some(Json::Array(items)) => items.iter().any(|i| equals(&Val::Json(i), &e)),
                        Some(Json::Object(map)) => e.as_str().is_some_and(|k| map.contains_key(k)),
                        _ => false,
                    },
                }
            }
        }
    }

    /// The value at `root.attrs`: undefined when a step is missing, unless that step's field
    /// has a default, which then stands in for it.
    fn path(&self, root: Root, attrs: &[crate::Name]) -> Option<Val<'_>> {
        let slot = match root {
            Root::Subject => 0,
            Root::Resource => 1,
            Root::Context => 2,
        };
        let mut value = Val::Json(self.roots.get(slot).copied().flatten()?);
        for (i, attr) in attrs.iter().enumerate() {
            value = match value {
                Val::Json(j) => match j.get(attr) {
                    Some(next) => Val::Json(next),
                    None => Val::Owned(self.default_at(root, attrs.get(..=i)?, j)?),
                },
                Val::Owned(j) => match j.get(attr) {
                    Some(next) => Val::Owned(next.clone()),
                    None => Val::Owned(self.default_at(root, attrs.get(..=i)?, &j)?),
                },
                Val::Lit(_) => return None,
            };
        }
        Some(value)
    }

    /// The default of the last step of `attrs`, when `parent` (the value before it) is an object.
    fn default_at(&self, root: Root, attrs: &[crate::Name], parent: &Json) -> Option<Json> {
        if !matches!(parent, Json::Object(_)) {
            return None;
        }
        field_at(&self.model, self.policy, root, attrs)
            .and_then(|f| f.default.as_ref())
            .map(Json::from_value)
    }

    fn operand<'v>(&'v self, o: &'v Operand) -> Option<Val<'v>> {
        match o {
            Operand::Action => self.input.get("action").map(Val::Json),
            Operand::Path { root, attrs, .. } => self.path(*root, attrs),
            Operand::Literal(v) => Some(Val::Lit(v)),
        }
    }

    /// The order of two values of the comparison's type (`None`: not comparable, so false).
    fn order(&self, a: &Val<'_>, b: &Val<'_>, ty: Option<&Type>) -> Option<std::cmp::Ordering> {
        match ty.map(|t| base_in(&self.model, t)) {
            Some(Type::Named(name, Kind::Enum)) => {
                let e = self.model.enumeration(name)?;
                let position = |v: &Val<'_>| {
                    let s = v.as_str()?;
                    e.variants.iter().position(|x| x.name == s)
                };
                Some(position(a)?.cmp(&position(b)?))
            }
            Some(Type::Prim(Prim::Timestamp)) => {
                Some(literal::instant(a.as_str()?)?.cmp(&literal::instant(b.as_str()?)?))
            }
            Some(Type::Prim(Prim::Duration)) => Some(
                literal::duration_seconds(a.as_str()?)?
                    .cmp(&literal::duration_seconds(b.as_str()?)?),
            ),
            Some(Type::Prim(Prim::Date)) => Some(a.as_str()?.cmp(b.as_str()?)),
            _ => number_order(a, b),
        }
    }
}

/// The static type of an operand: a path's, or an enum literal's.
fn operand_type(o: &Operand) -> Option<&Type> {
    match o {
        Operand::Path { ty, .. } => Some(ty),
        Operand::Action | Operand::Literal(_) => None,
    }
}

/// A type with aliases resolved and refinements and `?` removed (`charter::api`'s rule).
pub fn base(model: &Model, ty: &Type) -> Type {
    base_in(&model, ty).clone()
}

/// How a walk over the model finds the fields of a record, entity or context and an alias by
/// name: the [`Model`] scans its lists; a backend that walks many paths hashes them once
/// (`charter-codegen`'s Rego lookup). Both give the first declaration of a name.
pub trait Declarations<'m> {
    /// A record's fields, else an entity's, else a context's ([`validate::fields`]).
    fn fields(&self, name: &QualName) -> Option<&'m [ir::Field]>;
    /// The alias of that name.
    fn alias(&self, name: &QualName) -> Option<&'m ir::Alias>;
}

impl<'m> Declarations<'m> for &'m Model {
    fn fields(&self, name: &QualName) -> Option<&'m [ir::Field]> {
        validate::fields(self, name)
    }

    fn alias(&self, name: &QualName) -> Option<&'m ir::Alias> {
        Model::alias(self, name)
    }
}

/// For each step of `root.attrs`, the default of the field it names (`None`: no default). The
/// subject's first step reads the first subject entity: the checker requires an attribute read
/// through several subject types to have the same default on each.
pub fn step_defaults(
    model: &Model,
    policy: &Policy,
    root: Root,
    attrs: &[crate::Name],
) -> Vec<Option<ir::Value>> {
    step_defaults_in(&model, policy, root, attrs)
}

/// [`step_defaults`], finding declarations through `decls`.
pub fn step_defaults_in<'m>(
    decls: &impl Declarations<'m>,
    policy: &'m Policy,
    root: Root,
    attrs: &[crate::Name],
) -> Vec<Option<ir::Value>> {
    (1..=attrs.len())
        .map(|n| {
            attrs
                .get(..n)
                .and_then(|steps| field_at(decls, policy, root, steps))
                .and_then(|f| f.default.clone())
        })
        .collect()
}

/// [`base`] without copying the type, finding aliases through `decls`.
pub fn base_in<'m>(decls: &impl Declarations<'m>, ty: &'m Type) -> &'m Type {
    crate::api::index::base(ty, |name| decls.alias(name))
}

/// The field the last step of `root.attrs` names, following record types.
fn field_at<'m>(
    decls: &impl Declarations<'m>,
    policy: &'m Policy,
    root: Root,
    attrs: &[crate::Name],
) -> Option<&'m ir::Field> {
    let mut name = match root {
        Root::Subject => policy.subjects.first(),
        Root::Resource => Some(&policy.resource),
        Root::Context => policy.context.as_ref(),
    }?;
    let (last, before) = attrs.split_last()?;
    for attr in before {
        let field = decls.fields(name)?.iter().find(|f| &f.name == attr)?;
        name = match base_in(decls, &field.ty) {
            Type::Named(next, _) => next,
            _ => return None,
        };
    }
    decls.fields(name)?.iter().find(|f| &f.name == last)
}

/// A model value as the JSON an input carries.
pub fn to_json(v: &ir::Value) -> Json {
    Json::from_value(v)
}

/// The JSON input of a test case.
pub fn case_input(case: &ir::TestCase) -> Json {
    let mut map = std::collections::BTreeMap::new();
    map.insert("action".to_string(), Json::String(case.action.clone()));
    map.insert("subject".to_string(), Json::from_value(&case.subject));
    map.insert("resource".to_string(), Json::from_value(&case.resource));
    map.insert("context".to_string(), Json::from_value(&case.context));
    Json::Object(map)
}
