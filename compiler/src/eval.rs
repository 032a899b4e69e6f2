//! The native policy evaluator: `charter eval` and `charter test`. It implements the semantics of
//! `docs/decisions.md` over the typed model; the emitted Rego implements the same, and the tests
//! replay inputs against the real OPA to prove they agree.

use serde::Serialize;
use serde_json::Value as Json;

use crate::ir::{self, CmpOp, Cond, Effect, Kind, Model, Operand, Policy, Prim, Root, Type};
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

/// The rule ids of the built-in provenance check.
pub const PROVENANCE_MISSING: &str = "provenance_missing";
pub const PROVENANCE_INVALID: &str = "provenance_invalid";

/// Decides `input` (`{action, subject, resource, context}`) with `policy`, and lists the rules
/// that matched on the way.
pub fn evaluate(model: &Model, policy: &Policy, input: &Json) -> Evaluation {
    let matched = matching(model, policy, input);
    let verdict = verdict(policy, input, &matched);
    let matched = matched
        .iter()
        .map(|r| Match {
            rule: r.name.clone(),
            effect: r.effect.as_str(),
            canary: r.canary,
        })
        .collect();
    Evaluation { verdict, matched }
}

/// Decides `input` with `policy`: the verdict alone (the fast path).
pub fn decide(model: &Model, policy: &Policy, input: &Json) -> Verdict {
    verdict(policy, input, &matching(model, policy, input))
}

/// The rules whose condition holds, in source order.
fn matching<'p>(model: &Model, policy: &'p Policy, input: &Json) -> Vec<&'p ir::Rule> {
    let cx = Cx::new(model, input);
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
            .map(|r| r.name.clone())
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
    let bad = if !field("origin").is_some_and(Json::is_string) {
        Some("origin")
    } else if !field("actor").is_some_and(Json::is_string) {
        Some("actor")
    } else if !field("timestamp")
        .and_then(Json::as_str)
        .is_some_and(literal::is_timestamp)
    {
        Some("timestamp")
    } else if !field("confidence")
        .and_then(Json::as_f64)
        .is_some_and(|c| (0.0..=1.0).contains(&c))
    {
        Some("confidence")
    } else if !field("simulated").is_some_and(Json::is_boolean) {
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

struct Cx<'a> {
    model: &'a Model,
    input: &'a Json,
    /// `input.subject`, `input.resource`, `input.context`, looked up once per decision.
    roots: [Option<&'a Json>; 3],
}

impl<'a> Cx<'a> {
    fn new(model: &'a Model, input: &'a Json) -> Self {
        Cx {
            model,
            input,
            roots: [
                input.get("subject"),
                input.get("resource"),
                input.get("context"),
            ],
        }
    }
}

/// An operand's value, borrowed: from the input, or a literal of the model.
#[derive(Clone, Copy)]
enum Val<'a> {
    Json(&'a Json),
    Lit(&'a ir::Value),
    Str(&'a str),
}

impl<'a> Val<'a> {
    fn as_str(self) -> Option<&'a str> {
        match self {
            Val::Json(j) => j.as_str(),
            Val::Lit(ir::Value::String(s)) => Some(s),
            Val::Lit(ir::Value::Enum { variant, .. }) => Some(variant),
            Val::Str(s) => Some(s),
            Val::Lit(_) => None,
        }
    }

    fn as_number(self) -> Option<serde_json::Number> {
        match self {
            Val::Json(Json::Number(n)) => Some(n.clone()),
            Val::Lit(ir::Value::Int(i)) => Some(serde_json::Number::from(*i)),
            Val::Lit(ir::Value::Float(n)) => serde_json::Number::from_f64(n.as_f64()),
            Val::Json(_) | Val::Lit(_) | Val::Str(_) => None,
        }
    }

    /// Equality as `docs/decisions.md` defines it (numbers by value).
    fn equals(self, other: Val<'_>) -> bool {
        match (self, other) {
            (Val::Json(a), Val::Json(b)) => json_eq(a, b),
            (Val::Lit(ir::Value::List(_) | ir::Value::Object(_)), _)
            | (_, Val::Lit(ir::Value::List(_) | ir::Value::Object(_))) => {
                json_eq(&self.to_json(), &other.to_json())
            }
            (a, b) => match (a.as_number(), b.as_number()) {
                (Some(x), Some(y)) => number_cmp(&x, &y).is_some_and(std::cmp::Ordering::is_eq),
                (None, None) => match (a.as_str(), b.as_str()) {
                    (Some(x), Some(y)) => x == y,
                    (None, None) => a.to_json() == b.to_json(),
                    _ => false,
                },
                _ => false,
            },
        }
    }

    fn to_json(self) -> Json {
        match self {
            Val::Json(j) => j.clone(),
            Val::Lit(v) => to_json(v),
            Val::Str(s) => Json::String(s.to_string()),
        }
    }
}

impl Cx<'_> {
    fn cond(&self, c: &Cond) -> bool {
        match c {
            Cond::Literal(b) => *b,
            Cond::Truthy(o) => matches!(self.operand(o), Some(Val::Json(Json::Bool(true)))),
            Cond::Not(inner) => !self.cond(inner),
            Cond::And(parts) => parts.iter().all(|p| self.cond(p)),
            Cond::Or(parts) => parts.iter().any(|p| self.cond(p)),
            Cond::Has { root, attrs } => self.path(*root, attrs).is_some_and(|v| !v.is_null()),
            Cond::Compare { op, lhs, rhs } => {
                let (Some(a), Some(b)) = (self.operand(lhs), self.operand(rhs)) else {
                    return false;
                };
                match op {
                    CmpOp::Eq => a.equals(b),
                    CmpOp::Ne => !a.equals(b),
                    _ => {
                        let ty = operand_type(lhs).or_else(|| operand_type(rhs));
                        match self.order(a, b, ty) {
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
                match c {
                    Val::Json(Json::Array(items)) => items.iter().any(|i| Val::Json(i).equals(e)),
                    Val::Lit(ir::Value::List(items)) => items.iter().any(|i| Val::Lit(i).equals(e)),
                    Val::Json(Json::Object(map)) => e.as_str().is_some_and(|k| map.contains_key(k)),
                    _ => false,
                }
            }
        }
    }

    fn path(&self, root: Root, attrs: &[String]) -> Option<&Json> {
        let slot = match root {
            Root::Subject => 0,
            Root::Resource => 1,
            Root::Context => 2,
        };
        let mut value = self.roots.get(slot).copied().flatten()?;
        for attr in attrs {
            value = value.get(attr)?;
        }
        Some(value)
    }

    fn operand<'v>(&'v self, o: &'v Operand) -> Option<Val<'v>> {
        match o {
            Operand::Action => self.input.get("action").map(Val::Json),
            Operand::Path { root, attrs, .. } => self.path(*root, attrs).map(Val::Json),
            Operand::Literal(v) => Some(match v {
                ir::Value::String(s) => Val::Str(s),
                other => Val::Lit(other),
            }),
        }
    }

    /// The order of two values of the comparison's type (`None`: not comparable, so false).
    fn order(&self, a: Val<'_>, b: Val<'_>, ty: Option<&Type>) -> Option<std::cmp::Ordering> {
        let enum_literal = [a, b].into_iter().find_map(|v| match v {
            Val::Lit(ir::Value::Enum { ty, .. }) => Some(ty),
            _ => None,
        });
        let ty = ty.map(|t| self.base(t));
        let enum_name = match (ty, enum_literal) {
            (Some(Type::Named(name, Kind::Enum)), _) | (_, Some(name)) => Some(name),
            _ => None,
        };
        match (enum_name, ty) {
            (Some(name), _) => {
                let e = self.model.enumeration(name)?;
                let position = |v: Val<'_>| {
                    let s = v.as_str()?;
                    e.variants.iter().position(|x| x.name == s)
                };
                Some(position(a)?.cmp(&position(b)?))
            }
            (None, Some(Type::Prim(Prim::Timestamp))) => {
                Some(literal::timestamp_ns(a.as_str()?)?.cmp(&literal::timestamp_ns(b.as_str()?)?))
            }
            (None, Some(Type::Prim(Prim::Duration))) => Some(
                literal::duration_seconds(a.as_str()?)?
                    .cmp(&literal::duration_seconds(b.as_str()?)?),
            ),
            (None, Some(Type::Prim(Prim::Date))) => Some(a.as_str()?.cmp(b.as_str()?)),
            _ => number_cmp(&a.as_number()?, &b.as_number()?),
        }
    }

    /// Aliases resolved, refinements and `?` removed, without copying.
    fn base<'t>(&'t self, ty: &'t Type) -> &'t Type {
        let mut current = ty;
        for _ in 0..32 {
            current = match current {
                Type::Optional(inner) | Type::Refined(inner, _) => inner,
                Type::Named(name, Kind::Alias) => {
                    match self.model.aliases.iter().find(|a| &a.name == name) {
                        Some(alias) => &alias.ty,
                        None => return &Type::Error,
                    }
                }
                other => return other,
            };
        }
        &Type::Error
    }
}

/// The static type of an operand, when it has one (literals of enums carry theirs).
fn operand_type(o: &Operand) -> Option<&Type> {
    match o {
        Operand::Path { ty, .. } => Some(ty),
        Operand::Action | Operand::Literal(_) => None,
    }
}

/// Two JSON numbers compared exactly: as integers when both are, else as floats.
fn number_cmp(x: &serde_json::Number, y: &serde_json::Number) -> Option<std::cmp::Ordering> {
    match (x.as_i64(), y.as_i64(), x.as_u64(), y.as_u64()) {
        (Some(a), Some(b), _, _) => Some(a.cmp(&b)),
        (_, _, Some(a), Some(b)) => Some(a.cmp(&b)),
        (Some(_), None, _, Some(_)) => Some(std::cmp::Ordering::Less),
        (None, Some(_), Some(_), _) => Some(std::cmp::Ordering::Greater),
        _ => {
            // An integer and a float: exactly, as OPA's arbitrary-precision numbers compare.
            let exact = |n: &serde_json::Number| -> Option<i128> {
                n.as_i64()
                    .map(i128::from)
                    .or_else(|| n.as_u64().map(i128::from))
                    .or_else(|| {
                        let f = n.as_f64()?;
                        #[expect(
                            clippy::cast_possible_truncation,
                            reason = "only whole floats within i64 range"
                        )]
                        (f.fract() == 0.0 && f.abs() < 9.0e18).then_some(f as i128)
                    })
            };
            match (exact(x), exact(y)) {
                (Some(a), Some(b)) => Some(a.cmp(&b)),
                _ => x.as_f64()?.partial_cmp(&y.as_f64()?),
            }
        }
    }
}

/// JSON equality with numbers compared by value (`1 == 1.0`), integers exactly.
pub fn json_eq(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => {
            number_cmp(x, y).is_some_and(std::cmp::Ordering::is_eq)
        }
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_eq(p, q))
        }
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

/// A model value as the JSON an input carries.
pub fn to_json(v: &ir::Value) -> Json {
    match v {
        ir::Value::Null => Json::Null,
        ir::Value::Bool(b) => Json::Bool(*b),
        ir::Value::Int(i) => Json::from(*i),
        ir::Value::Float(n) => {
            serde_json::Number::from_f64(n.as_f64()).map_or(Json::Null, Json::Number)
        }
        ir::Value::String(s) => Json::String(s.clone()),
        ir::Value::Enum { variant, .. } => Json::String(variant.clone()),
        ir::Value::List(items) => Json::Array(items.iter().map(to_json).collect()),
        ir::Value::Object(fields) => Json::Object(
            fields
                .iter()
                .map(|(k, v)| (k.clone(), to_json(v)))
                .collect(),
        ),
    }
}

/// The JSON input of a test case.
pub fn case_input(case: &ir::TestCase) -> Json {
    serde_json::json!({
        "action": case.action,
        "subject": to_json(&case.subject),
        "resource": to_json(&case.resource),
        "context": to_json(&case.context),
    })
}

/// A place where an input does not fit the declared types.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputError {
    /// A JSON path such as `$.subject.roles[1]`.
    pub path: String,
    pub message: String,
}

/// Checks an input against the policy's declared subject, resource and context types and its
/// actions. Every problem is reported with its JSON path.
pub fn validate(model: &Model, policy: &Policy, input: &Json) -> Vec<InputError> {
    let mut errors = Vec::new();
    let Some(object) = input.as_object() else {
        errors.push(InputError {
            path: "$".into(),
            message:
                "the input must be an object with `action`, `subject`, `resource` and `context`"
                    .into(),
        });
        return errors;
    };
    for key in object.keys() {
        if !matches!(
            key.as_str(),
            "action" | "subject" | "resource" | "context" | "resource_type" | "policy"
        ) {
            errors.push(InputError {
                path: format!("$.{key}"),
                message:
                    "unknown input field; expected `action`, `subject`, `resource` or `context`"
                        .into(),
            });
        }
    }
    match object.get("action").and_then(Json::as_str) {
        Some(action) if policy.actions.iter().any(|a| a == action) => {}
        Some(action) => errors.push(InputError {
            path: "$.action".into(),
            message: format!(
                "`{}` does not decide `{action}`; it decides: {}",
                policy.name,
                policy.actions.join(", ")
            ),
        }),
        None => errors.push(InputError {
            path: "$.action".into(),
            message: "missing or not a string".into(),
        }),
    }
    let checker = Validator { model };
    // A subject must fit one of the policy's subject entities.
    let subject = object.get("subject").unwrap_or(&Json::Null);
    let mut best: Option<Vec<InputError>> = None;
    for s in &policy.subjects {
        let mut found = Vec::new();
        checker.value(
            subject,
            &Type::Named(s.clone(), Kind::Entity),
            "$.subject",
            &mut found,
        );
        if found.is_empty() {
            best = Some(Vec::new());
            break;
        }
        if best.as_ref().is_none_or(|b| found.len() < b.len()) {
            best = Some(found);
        }
    }
    errors.extend(best.unwrap_or_default());
    checker.value(
        object.get("resource").unwrap_or(&Json::Null),
        &Type::Named(policy.resource.clone(), Kind::Entity),
        "$.resource",
        &mut errors,
    );
    match &policy.context {
        Some(context) => checker.value(
            object
                .get("context")
                .unwrap_or(&Json::Object(serde_json::Map::new())),
            &Type::Named(context.clone(), Kind::Context),
            "$.context",
            &mut errors,
        ),
        None => {
            if object
                .get("context")
                .is_some_and(|c| c.as_object().is_none_or(|m| !m.is_empty()))
            {
                errors.push(InputError {
                    path: "$.context".into(),
                    message: format!("`{}` takes no context", policy.name),
                });
            }
        }
    }
    errors
}

struct Validator<'a> {
    model: &'a Model,
}

impl Validator<'_> {
    fn value(&self, v: &Json, ty: &Type, path: &str, errors: &mut Vec<InputError>) {
        let mut fail = |message: String| {
            errors.push(InputError {
                path: path.to_string(),
                message,
            })
        };
        match ty {
            Type::Error => {}
            Type::Optional(inner) => {
                if !v.is_null() {
                    self.value(v, inner, path, errors);
                }
            }
            Type::Refined(inner, constraint) => {
                let before = errors.len();
                self.value(v, inner, path, errors);
                if errors.len() > before {
                    return;
                }
                match constraint {
                    ir::Constraint::Range { min, max } => {
                        if let Some(n) = v.as_f64()
                            && (min.as_ref().is_some_and(|m| n < m.as_f64())
                                || max.as_ref().is_some_and(|m| n > m.as_f64()))
                        {
                            errors.push(InputError {
                                path: path.to_string(),
                                message: format!("{n} is outside {}", ty.display()),
                            });
                        }
                    }
                    ir::Constraint::Pattern(p) => {
                        if let (Some(s), Ok(re)) = (v.as_str(), regex::Regex::new(p))
                            && !re.is_match(s)
                        {
                            errors.push(InputError {
                                path: path.to_string(),
                                message: format!("{s:?} does not match {p:?}"),
                            });
                        }
                    }
                }
            }
            Type::Prim(p) => {
                let ok = match p {
                    Prim::Bool => v.is_boolean(),
                    Prim::Int => {
                        v.as_i64().is_some() || v.as_f64().is_some_and(|f| f.fract() == 0.0)
                    }
                    Prim::Float | Prim::Decimal => v.is_number(),
                    Prim::String | Prim::Bytes | Prim::Uuid => v.is_string(),
                    Prim::Timestamp => v.as_str().is_some_and(literal::is_timestamp),
                    Prim::Date => v.as_str().and_then(literal::Date::parse).is_some(),
                    Prim::Duration => v.as_str().and_then(literal::duration_seconds).is_some(),
                };
                if !ok {
                    fail(format!("expected {}, found {}", p.name(), describe(v)));
                }
            }
            Type::List(inner) | Type::Set(inner) => match v.as_array() {
                Some(items) => {
                    for (i, item) in items.iter().enumerate() {
                        self.value(item, inner, &format!("{path}[{i}]"), errors);
                    }
                }
                None => fail(format!("expected {}, found {}", ty.display(), describe(v))),
            },
            Type::Map(inner) => match v.as_object() {
                Some(map) => {
                    for (k, item) in map {
                        self.value(item, inner, &format!("{path}.{k}"), errors);
                    }
                }
                None => fail(format!("expected {}, found {}", ty.display(), describe(v))),
            },
            Type::Named(name, Kind::Alias) => {
                if let Some(alias) = self.model.aliases.iter().find(|a| &a.name == name) {
                    self.value(v, &alias.ty, path, errors);
                }
            }
            Type::Named(name, Kind::Enum) => {
                let Some(e) = self.model.enumeration(name) else {
                    return;
                };
                match v.as_str() {
                    Some(s) if e.variants.iter().any(|x| x.name == s) || e.open => {}
                    Some(s) => fail(format!(
                        "`{s}` is not a value of `{}` ({})",
                        name.name,
                        e.variants
                            .iter()
                            .map(|x| x.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                    None => fail(format!(
                        "expected a `{}` value (a string), found {}",
                        name.name,
                        describe(v)
                    )),
                }
            }
            Type::Named(name, _) => {
                let fields = self
                    .model
                    .record(name)
                    .map(|r| &r.fields)
                    .or_else(|| self.model.entity(name).map(|e| &e.fields))
                    .or_else(|| self.model.context(name).map(|c| &c.fields));
                let Some(fields) = fields else { return };
                let Some(map) = v.as_object() else {
                    fail(format!(
                        "expected a `{}` object, found {}",
                        name.name,
                        describe(v)
                    ));
                    return;
                };
                for (k, item) in map {
                    match fields.iter().find(|f| &f.name == k) {
                        Some(f) => self.value(item, &f.ty, &format!("{path}.{k}"), errors),
                        None => errors.push(InputError {
                            path: format!("{path}.{k}"),
                            message: format!("`{}` has no attribute `{k}`", name.name),
                        }),
                    }
                }
                for f in fields {
                    if !f.ty.is_optional() && f.default.is_none() && !map.contains_key(&f.name) {
                        errors.push(InputError {
                            path: format!("{path}.{}", f.name),
                            message: format!("missing required attribute of `{}`", name.name),
                        });
                    }
                }
            }
        }
    }
}

fn describe(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}
