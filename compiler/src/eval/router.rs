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
/// Nothing could decide (an applicable policy gave no verdict): never reached by construction,
/// the bundle's `default` and so the router fails closed.
pub const UNDECIDED: &str = "charter.router.undecided";
pub const UNDECIDED_REASON: &str = "the router could not decide";

/// The router's decision: the verdict, the applicable policies in model order (empty when none
/// is), and each one's own evaluation (empty when the router itself denied).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Routed<'m> {
    pub verdict: Verdict,
    pub policies: Vec<&'m Policy>,
    pub decisions: Vec<(&'m Policy, Evaluation)>,
}

/// Routes `input` and decides it.
pub fn route<'m>(model: &'m Model, input: &Json) -> Routed<'m> {
    match applicable(model, input) {
        Err((rule_id, reason)) => Routed {
            verdict: denial(model, rule_id, reason),
            policies: Vec::new(),
            decisions: Vec::new(),
        },
        Ok(policies) => {
            if let Some(key) = unknown_context_attribute(model, &policies, input) {
                return Routed {
                    verdict: denial(
                        model,
                        ROUTER_INPUT_INVALID,
                        format!("input invalid: $.context.{key}: {NOT_IN_ANY_CONTEXT}"),
                    ),
                    policies,
                    decisions: Vec::new(),
                };
            }
            let several = policies.len() > 1;
            let decisions: Vec<(&Policy, Evaluation)> = policies
                .iter()
                .map(|p| {
                    let evaluation = match several.then(|| own_context(model, p, input)).flatten() {
                        Some(narrowed) => evaluate(model, p, &narrowed),
                        None => evaluate(model, p, input),
                    };
                    (*p, evaluation)
                })
                .collect();
            // Deny-overrides: the first denial in model order, else the first policy's allow.
            let verdict = decisions
                .iter()
                .find(|(_, e)| !e.verdict.allow)
                .or_else(|| decisions.first())
                .map_or_else(
                    || denial(model, UNDECIDED, UNDECIDED_REASON.to_string()),
                    |(_, e)| e.verdict.clone(),
                );
            Routed {
                verdict,
                policies,
                decisions,
            }
        }
    }
}

/// The message of a context attribute no applicable policy declares.
pub const NOT_IN_ANY_CONTEXT: &str = "not an attribute of any applicable policy's context";

fn denial(model: &Model, rule_id: &str, reason: String) -> Verdict {
    Verdict {
        allow: false,
        decider: ROUTER.to_string(),
        rule_id: rule_id.to_string(),
        reason,
        policy_version: model.version.clone(),
        canary: Vec::new(),
    }
}

/// The attributes a policy's context declares (none without a context).
fn context_fields<'m>(model: &'m Model, policy: &Policy) -> Vec<&'m str> {
    policy
        .context
        .as_ref()
        .and_then(|c| model.context(c))
        .map(|c| c.fields.iter().map(|f| f.name.as_str()).collect())
        .unwrap_or_default()
}

/// When several policies apply and `input.context` is an object: its first attribute (in key
/// order) that none of their contexts declares.
fn unknown_context_attribute(model: &Model, policies: &[&Policy], input: &Json) -> Option<String> {
    if policies.len() < 2 {
        return None;
    }
    let Some(Json::Object(context)) = input.get("context") else {
        return None;
    };
    let declared: BTreeSet<&str> = policies
        .iter()
        .flat_map(|p| context_fields(model, p))
        .collect();
    context
        .keys()
        .find(|k| !declared.contains(k.as_str()))
        .cloned()
}

/// The input as one of several applicable policies reads it: `context` narrowed to the
/// attributes its own context declares. `None` when `input.context` is not an object.
fn own_context(model: &Model, policy: &Policy, input: &Json) -> Option<Json> {
    let (Json::Object(top), Some(Json::Object(context))) = (input, input.get("context")) else {
        return None;
    };
    let fields = context_fields(model, policy);
    let narrowed = context
        .iter()
        .filter(|(k, _)| fields.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let mut top = top.clone();
    top.insert("context".to_string(), Json::Object(narrowed));
    Some(Json::Object(top))
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
