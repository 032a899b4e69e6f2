//! Conditions to Rego rule bodies, following `docs/decisions.md`. A condition becomes a list of
//! expressions (a conjunction); `or` and a `not` over more than one expression become helper
//! rules named after the Charter rule (`unapproved_production_or_1`).
//!
//! Every comparison is false when a side is undefined, as in Rego itself: `a == b`, `a != b` and
//! `a < b` are undefined (so the body fails) when `a` or `b` is.

use std::collections::BTreeSet;

use charter::eval::Decimal;
use charter::ir::{CmpOp, Cond, Kind, Operand, Policy, Prim, QualName, Root, Type, Value};

use super::lookup::Lookup;

use super::names::{self, Names};

/// Helper functions a module needs (see [`super::helpers`]).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Needs {
    pub timestamps: bool,
    pub durations: bool,
    pub defaults: bool,
}

/// A helper rule produced while emitting a rule's condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Helper {
    pub name: String,
    /// One body per definition (several for `or`); an empty body is `true`.
    pub bodies: Vec<Vec<String>>,
}

/// Emits the conditions of one policy module.
pub struct Emitter<'a> {
    lookup: &'a Lookup<'a>,
    policy: &'a Policy,
    pub needs: Needs,
    /// Enums whose positions the module reads from `data.charter.enums`.
    pub enums: BTreeSet<QualName>,
}

/// The state of one rule: its Rego name and the helpers made so far.
struct RuleState<'n> {
    base: String,
    names: &'n mut Names,
    ors: usize,
    nots: usize,
    helpers: Vec<Helper>,
}

impl<'a> Emitter<'a> {
    pub fn new(lookup: &'a Lookup<'a>, policy: &'a Policy) -> Self {
        Emitter {
            lookup,
            policy,
            needs: Needs::default(),
            enums: BTreeSet::new(),
        }
    }

    /// The bodies of rule `rego_name` (several when its condition is an `or`: one definition
    /// each) and the helper rules it uses.
    pub fn rule(
        &mut self,
        rego_name: &str,
        cond: &Cond,
        names: &mut Names,
    ) -> (Vec<Vec<String>>, Vec<Helper>) {
        let mut cx = RuleState {
            base: rego_name.to_string(),
            names,
            ors: 0,
            nots: 0,
            helpers: Vec::new(),
        };
        let bodies = match simplify(cond) {
            Cond::Or(parts) if parts.len() > 1 => {
                parts.iter().map(|p| self.body(p, &mut cx)).collect()
            }
            other => vec![self.body(&other, &mut cx)],
        };
        (bodies, cx.helpers)
    }

    fn body(&mut self, cond: &Cond, cx: &mut RuleState<'_>) -> Vec<String> {
        match cond {
            Cond::Literal(true) => Vec::new(),
            Cond::Literal(false) => vec!["false".to_string()],
            Cond::Truthy(operand) => vec![format!("{} == true", self.operand(operand))],
            Cond::Has { root, attrs } => vec![format!("{} != null", self.path(*root, attrs))],
            Cond::And(parts) => parts.iter().flat_map(|p| self.body(p, cx)).collect(),
            Cond::Or(parts) => match parts.as_slice() {
                [] => vec!["false".to_string()],
                [one] => self.body(one, cx),
                many => {
                    cx.ors += 1;
                    let name = cx.names.claim(&format!("{}_or_{}", cx.base, cx.ors));
                    let bodies = many.iter().map(|p| self.body(p, cx)).collect();
                    cx.helpers.push(Helper {
                        name: name.clone(),
                        bodies,
                    });
                    vec![name]
                }
            },
            Cond::Not(inner) => {
                // Always through a rule: OPA evaluates `not f(input.x)` as false when `input.x`
                // is undefined (it binds call arguments outside the negation), while
                // docs/decisions.md makes the negated comparison true.
                let body = self.body(inner, cx);
                match body.as_slice() {
                    [] => vec!["false".to_string()],
                    [one] if names::is_identifier(one) && one != "false" => {
                        vec![format!("not {one}")]
                    }
                    _ => {
                        cx.nots += 1;
                        let name = cx.names.claim(&format!("{}_not_{}", cx.base, cx.nots));
                        cx.helpers.push(Helper {
                            name: name.clone(),
                            bodies: vec![body],
                        });
                        vec![format!("not {name}")]
                    }
                }
            }
            Cond::Compare { op, lhs, rhs } => vec![self.compare(*op, lhs, rhs)],
            Cond::In { elem, collection } => self.membership(elem, collection),
        }
    }

    fn compare(&mut self, op: CmpOp, lhs: &Operand, rhs: &Operand) -> String {
        let (a, b) = (self.operand(lhs), self.operand(rhs));
        if matches!(op, CmpOp::Eq | CmpOp::Ne) {
            return line(&a, op, &b);
        }
        // The comparison's type: the first operand that has one (an enum literal carries its).
        let ty = operand_type(lhs)
            .or_else(|| operand_type(rhs))
            .map(|t| self.lookup.base(&t));
        let (a, b) = match ty {
            Some(Type::Named(name, Kind::Enum)) => {
                let table = format!("data.charter.enums[{}]", names::string(&name.to_string()));
                self.enums.insert(name);
                (
                    enum_position(&table, lhs, &a),
                    enum_position(&table, rhs, &b),
                )
            }
            Some(Type::Prim(Prim::Timestamp)) => {
                self.needs.timestamps = true;
                (format!("_instant({a})"), format!("_instant({b})"))
            }
            Some(Type::Prim(Prim::Duration)) => {
                self.needs.durations = true;
                (format!("_duration_s({a})"), format!("_duration_s({b})"))
            }
            // Dates compare as strings, numbers numerically: Rego's own order.
            _ => (a, b),
        };
        line(&a, op, &b)
    }

    fn membership(&mut self, elem: &Operand, collection: &Operand) -> Vec<String> {
        let e = self.operand(elem);
        let c = self.operand(collection);
        let is_map = match collection {
            Operand::Path { ty, .. } => matches!(self.lookup.base(ty), Type::Map(_)),
            _ => false,
        };
        if is_map {
            // The keys of a map: `in` over an object would test its values.
            vec![
                format!("is_object({c})"),
                format!("{e} in object.keys({c})"),
            ]
        } else {
            vec![format!("{} in {c}", line_start(&e))]
        }
    }

    fn operand(&mut self, operand: &Operand) -> String {
        match operand {
            Operand::Path { root, attrs, .. } => self.path(*root, attrs),
            Operand::Action => "input.action".to_string(),
            Operand::Literal(value) => term(value),
        }
    }

    /// `input.<root>.<attrs...>`; a step whose field has a default reads it through
    /// `_default(object, key, default)` (docs/decisions.md), and every step after one through
    /// `_step(value, key)`.
    fn path(&mut self, root: Root, attrs: &[charter::Name]) -> String {
        let defaults = self.lookup.step_defaults(self.policy, root, attrs);
        let mut out = format!("input.{}", root.as_str());
        let mut called = false;
        for (attr, default) in attrs.iter().zip(defaults) {
            out = match default {
                Some(value) => {
                    called = true;
                    self.needs.defaults = true;
                    format!("_default({out}, {}, {})", names::string(attr), term(&value))
                }
                None if called => format!("_step({out}, {})", names::string(attr)),
                None => names::dot(&out, attr),
            };
        }
        out
    }
}

/// `a op b` as a line of a rule body. A line must not start with `-`: OPA reads it as continuing
/// the line above (`x == 5` then `-1 < y` is `(x == 5 - 1) < y`), and `opa fmt` removes the
/// parentheses that would prevent it. So a negative left side is swapped to the right (`y > -1`),
/// or, should both sides be negative (the checker refuses a comparison of two constants), read
/// from a one-element array (`[-1][0] < -2`).
fn line(a: &str, op: CmpOp, b: &str) -> String {
    if a.starts_with('-') && !b.starts_with('-') {
        let mirrored = match op {
            CmpOp::Lt => CmpOp::Gt,
            CmpOp::Le => CmpOp::Ge,
            CmpOp::Gt => CmpOp::Lt,
            CmpOp::Ge => CmpOp::Le,
            same @ (CmpOp::Eq | CmpOp::Ne) => same,
        };
        return format!("{b} {} {a}", mirrored.as_str());
    }
    format!("{} {} {b}", line_start(a), op.as_str())
}

/// A term that starts a line of a rule body: `[t][0]` when it starts with `-` (see [`line`]).
fn line_start(term: &str) -> String {
    if term.starts_with('-') {
        format!("[{term}][0]")
    } else {
        term.to_string()
    }
}

/// A model value as a Rego term.
pub fn term(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(n) => Decimal::parse_literal(n.as_str())
            .map_or_else(|| names::number(n.as_str()), |d| d.to_string()),
        Value::String(s) => names::string(s),
        Value::Enum { variant, .. } => names::string(variant),
        Value::List(items) => {
            let items: Vec<String> = items.iter().map(term).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(fields) => {
            let fields: Vec<String> = fields
                .iter()
                .map(|(k, v)| format!("{}: {}", names::string(k), term(v)))
                .collect();
            format!("{{{}}}", fields.join(", "))
        }
    }
}

/// The position of an enum operand: a literal's by its value's name, a path's by lookup.
fn enum_position(table: &str, operand: &Operand, rendered: &str) -> String {
    match operand {
        Operand::Literal(Value::Enum { variant, .. }) => names::dot(table, variant),
        _ => format!("{table}[{rendered}]"),
    }
}

/// The static type of an operand, as the native evaluator reads it.
fn operand_type(operand: &Operand) -> Option<Type> {
    match operand {
        Operand::Path { ty, .. } => Some(ty.clone()),
        Operand::Literal(Value::Enum { ty, .. }) => Some(Type::Named(ty.clone(), Kind::Enum)),
        Operand::Action | Operand::Literal(_) => None,
    }
}

/// Removes double negations and negated literals (conditions are always true or false).
fn simplify(cond: &Cond) -> Cond {
    match cond {
        Cond::Not(inner) => match simplify(inner) {
            Cond::Not(twice) => *twice,
            Cond::Literal(b) => Cond::Literal(!b),
            other => Cond::Not(Box::new(other)),
        },
        Cond::And(parts) | Cond::Or(parts) if parts.len() == 1 => {
            parts.first().map_or(Cond::Literal(true), simplify)
        }
        Cond::And(parts) => Cond::And(parts.iter().map(simplify).collect()),
        Cond::Or(parts) => Cond::Or(parts.iter().map(simplify).collect()),
        other => other.clone(),
    }
}
