//! The egress check (`charter eval --egress`, the bundle's `data.charter.router.egress`): a
//! response of an operation whose result carries provenance must fit the declared result, every
//! record `with provenance` in it with a valid envelope (docs/decisions.md, "Egress").

use super::validate::{self, Problem, Seg};
use super::{Json, Verdict};
use crate::api::{Decl, Dir, Index, Reach};
use crate::ir::{Model, Operation, Service};

/// The `decider` of every egress verdict.
pub const EGRESS: &str = "charter.egress";
/// The input is not an object, or `operation` or `service` is missing or not a string.
pub const EGRESS_INPUT_INVALID: &str = "charter.egress.input_invalid";
/// No such service, or no such operation in it.
pub const UNKNOWN_OPERATION: &str = "charter.egress.unknown_operation";
/// Allowed: the operation's result carries no provenance (nothing to check).
pub const NO_PROVENANCE: &str = "charter.egress.no_provenance";
/// Denied: the response does not fit the result (the first problem named).
pub const RESPONSE_INVALID: &str = "charter.egress.response_invalid";
/// Allowed: the response fits, every envelope valid.
pub const VALID: &str = "charter.egress.valid";
/// The verdict of the bundle's `default`, never given natively.
pub const UNDECIDED: &str = "charter.egress.undecided";
pub const UNDECIDED_REASON: &str = "the egress check could not decide";

/// Whether `op`'s result reaches a record declared `with provenance` (`charter::api::Reach`).
pub fn carries_provenance(index: &Index<'_>, op: &Operation) -> bool {
    let Some(result) = &op.result else {
        return false;
    };
    Reach::walk(index, [(result, Dir::RESPONSE)])
        .dirs
        .keys()
        .any(|name| matches!(index.get(name), Some(Decl::Record(r)) if r.with_provenance))
}

/// The operations whose result carries provenance, with their service, in model order.
pub fn checked_operations(model: &Model) -> Vec<(&Service, &Operation)> {
    let index = Index::new(model);
    model
        .services
        .iter()
        .flat_map(|s| s.ops.iter().map(move |op| (s, op)))
        .filter(|(_, op)| carries_provenance(&index, op))
        .collect()
}

/// The egress verdict on `input` (`{service, operation, response}`), and the problems of the
/// response (paths relative to the input) when it was checked.
pub fn check(model: &Model, input: &Json) -> (Verdict, Vec<Problem>) {
    let verdict = |allow: bool, rule_id: &str, reason: String| Verdict {
        allow,
        decider: EGRESS.to_string(),
        rule_id: rule_id.to_string(),
        reason,
        policy_version: model.version.clone(),
        canary: Vec::new(),
    };
    let invalid = |path: &str, message: String| {
        (
            verdict(
                false,
                EGRESS_INPUT_INVALID,
                format!("input invalid: {path}: {message}"),
            ),
            Vec::new(),
        )
    };
    let Json::Object(top) = input else {
        return invalid("$", validate::message::NOT_AN_OBJECT.to_string());
    };
    // In path order: `operation` before `service`.
    let mut fields = [None, None];
    for (slot, name) in fields.iter_mut().zip(["operation", "service"]) {
        match top.get(name) {
            None => return invalid(&format!("$.{name}"), validate::message::MISSING.to_string()),
            Some(Json::String(s)) => *slot = Some(s.as_str()),
            Some(other) => {
                return invalid(
                    &format!("$.{name}"),
                    validate::message::expected("string", other.type_name()),
                );
            }
        }
    }
    let [Some(operation), Some(service)] = fields else {
        return invalid("$", validate::message::NOT_AN_OBJECT.to_string());
    };
    let Some(s) = model
        .services
        .iter()
        .find(|s| s.name.to_string() == service)
    else {
        return (
            verdict(false, UNKNOWN_OPERATION, format!("no service `{service}`")),
            Vec::new(),
        );
    };
    let Some(op) = s.ops.iter().find(|op| op.name == operation) else {
        return (
            verdict(
                false,
                UNKNOWN_OPERATION,
                format!("no operation `{operation}` in service `{service}`"),
            ),
            Vec::new(),
        );
    };
    let index = Index::new(model);
    let (Some(result), true) = (&op.result, carries_provenance(&index, op)) else {
        return (
            verdict(
                true,
                NO_PROVENANCE,
                format!("the result of `{service}.{operation}` carries no provenance"),
            ),
            Vec::new(),
        );
    };
    let response = top.get("response").unwrap_or(&Json::Null);
    let problems: Vec<Problem> = validate::value_problems(model, result, response)
        .into_iter()
        .map(|p| Problem {
            path: std::iter::once(Seg::Key("response".to_string()))
                .chain(p.path)
                .collect(),
            message: p.message,
        })
        .collect();
    let verdict = match problems.first() {
        Some(first) => verdict(
            false,
            RESPONSE_INVALID,
            format!("response invalid: {}: {}", first.path_text(), first.message),
        ),
        None => verdict(
            true,
            VALID,
            format!(
                "the response fits `{}`, every provenance envelope valid",
                result.display()
            ),
        ),
    };
    (verdict, problems)
}

#[cfg(test)]
mod tests;
