//! The router (`charter eval` without `--policy`, the bundle's `data.charter.router`): which
//! policies apply to a request and the one verdict they give together, per
//! `docs/decisions.md`. Every applicable policy decides; a denial from any of them wins
//! (deny-overrides); a request no policy applies to is denied by the router itself. The router's
//! verdict is defined for every input.

use std::collections::BTreeSet;

use super::{Evaluation, Json, Verdict, evaluate, validate};
use crate::ir::{Model, Policy};

/// The `decider` of the router's own denials.
pub const ROUTER: &str = "charter.router";
/// `action`, `policy` or `resource_type` unusable (or the input not an object).
pub const ROUTER_INPUT_INVALID: &str = "charter.router.input_invalid";
/// `input.policy` names no policy that decides the action (on `input.resource_type`).
pub const POLICY_NOT_APPLICABLE: &str = "charter.router.policy_not_applicable";
/// Policies decide the action on several resource types and the input names none.
pub const RESOURCE_TYPE_REQUIRED: &str = "charter.router.resource_type_required";
/// No policy decides the action (on `input.resource_type`).
pub const NO_POLICY: &str = "charter.router.no_policy";

/// The router's decision: the verdict and every applicable policy's own evaluation, in model
/// order (empty when the router itself denied).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Routed<'m> {
    pub verdict: Verdict,
    pub decisions: Vec<(&'m Policy, Evaluation)>,
}

/// Routes `input` and decides it.
pub fn route<'m>(model: &'m Model, input: &Json) -> Routed<'m> {
    match applicable(model, input) {
        Err((rule_id, reason)) => Routed {
            verdict: Verdict {
                allow: false,
                decider: ROUTER.to_string(),
                rule_id: rule_id.to_string(),
                reason,
                policy_version: model.version.clone(),
                canary: Vec::new(),
            },
            decisions: Vec::new(),
        },
        Ok(policies) => {
            let decisions: Vec<(&Policy, Evaluation)> = policies
                .into_iter()
                .map(|p| (p, evaluate(model, p, input)))
                .collect();
            // Deny-overrides: the first denial in model order, else the first policy's allow.
            let verdict = decisions
                .iter()
                .find(|(_, e)| !e.verdict.allow)
                .or_else(|| decisions.first())
                .map(|(_, e)| e.verdict.clone())
                .unwrap_or_else(|| Verdict {
                    allow: false,
                    decider: ROUTER.to_string(),
                    rule_id: NO_POLICY.to_string(),
                    reason: "no policy applies".to_string(),
                    policy_version: model.version.clone(),
                    canary: Vec::new(),
                });
            Routed { verdict, decisions }
        }
    }
}

/// The policies that apply to `input`, in model order (never empty), or the router's denial
/// (rule id and reason).
pub fn applicable<'m>(
    model: &'m Model,
    input: &Json,
) -> Result<Vec<&'m Policy>, (&'static str, String)> {
    let invalid = |path: &str, message: String| {
        Err((
            ROUTER_INPUT_INVALID,
            format!("input invalid: {path}: {message}"),
        ))
    };
    let Json::Object(top) = input else {
        return invalid("$", validate::message::NOT_AN_OBJECT.to_string());
    };
    let mut fields = [None, None, None];
    for (slot, name) in fields.iter_mut().zip(["action", "policy", "resource_type"]) {
        match top.get(name) {
            // In path order: a missing action before a malformed `policy`.
            None if name == "action" => {
                return invalid("$.action", validate::message::MISSING.to_string());
            }
            None => {}
            Some(Json::String(s)) => *slot = Some(s.as_str()),
            Some(other) => {
                return invalid(
                    &format!("$.{name}"),
                    validate::message::expected("string", other.type_name()),
                );
            }
        }
    }
    let [Some(action), named, resource_type] = fields else {
        return invalid("$.action", validate::message::MISSING.to_string());
    };
    let on = resource_type.map_or_else(String::new, |t| format!(" on `{t}`"));
    let deciding: Vec<&Policy> = model
        .policies
        .iter()
        .filter(|p| p.actions.iter().any(|a| a == action))
        .filter(|p| resource_type.is_none_or(|t| p.resource.to_string() == t))
        .collect();
    if let Some(named) = named {
        return match deciding.iter().find(|p| p.name.to_string() == named) {
            Some(p) => Ok(vec![p]),
            None => Err((
                POLICY_NOT_APPLICABLE,
                format!("policy `{named}` does not decide `{action}`{on}"),
            )),
        };
    }
    let types: BTreeSet<String> = deciding.iter().map(|p| p.resource.to_string()).collect();
    if resource_type.is_none() && types.len() > 1 {
        let types: Vec<String> = types.into_iter().collect();
        return Err((
            RESOURCE_TYPE_REQUIRED,
            format!(
                "`{action}` is decided on several resource types ({}): name one in `resource_type`",
                types.join(", ")
            ),
        ));
    }
    if deciding.is_empty() {
        return Err((NO_POLICY, format!("no policy decides `{action}`{on}")));
    }
    Ok(deciding)
}

#[cfg(test)]
mod tests;
