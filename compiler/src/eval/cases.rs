//! The cases `charter test` runs (the workspace's `test` declarations, then cases generated per
//! policy), what each expects, and the coverage of a policy's rules by its cases. The `rego`
//! target writes the same cases as Rego tests, so `opa test` runs exactly these.

use std::collections::BTreeMap;

use super::{Evaluation, Json, Verdict};
use crate::ir::{Effect, Model, Policy};

/// One case to run: from the source, or generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// The full name of the policy that decides the case.
    pub policy: String,
    pub name: String,
    pub generated: bool,
    pub input: Json,
    pub effect: Effect,
    /// `Some(None)`: by default; `Some(Some(rule))`: by that rule; `None`: any rule.
    pub rule: Option<Option<String>>,
}

impl Case {
    /// Whether `verdict` is what the case expects.
    pub fn passes(&self, verdict: &Verdict) -> bool {
        let effect_ok = verdict.allow == (self.effect == Effect::Allow);
        let rule_ok = match &self.rule {
            None => true,
            Some(None) => verdict.rule_id == "default",
            Some(Some(rule)) => &verdict.rule_id == rule,
        };
        effect_ok && rule_ok
    }

    /// The rule id the case expects, if it names one (`default` for a default decision).
    pub fn expected_rule(&self) -> Option<&str> {
        match &self.rule {
            None => None,
            Some(None) => Some("default"),
            Some(Some(rule)) => Some(rule),
        }
    }
}

/// Every case of the workspace, in order: the `test` declarations' cases, then per policy the
/// generated ones (a request without provenance is denied, when the policy requires it and has a
/// test; a request with empty subject, resource and context is denied, when the policy denies by
/// default).
pub fn cases(model: &Model) -> Vec<Case> {
    let mut out: Vec<Case> = model
        .tests
        .iter()
        .map(|t| Case {
            policy: t.policy.to_string(),
            name: t.name.clone(),
            generated: false,
            input: super::case_input(t),
            effect: t.expect_effect,
            rule: t.expect_rule.clone(),
        })
        .collect();
    for p in &model.policies {
        let first = model.tests.iter().find(|t| t.policy == p.name);
        if !p.requires_provenance_for.is_empty()
            && let Some(first) = first
        {
            let mut input = super::case_input(first);
            if let Json::Object(top) = &mut input
                && let Some(Json::Object(context)) = top.get_mut("context")
            {
                context.remove("provenance");
            }
            out.push(Case {
                policy: p.name.to_string(),
                name: "generated: a request without provenance is denied".into(),
                generated: true,
                input,
                effect: Effect::Deny,
                // The policy's own deny rule may give the rationale; the outcome must be a denial.
                rule: None,
            });
        }
        if p.default_effect == Effect::Deny
            && let Some(action) = p.actions.first()
        {
            let empty = || Json::Object(BTreeMap::new());
            let input = BTreeMap::from([
                ("action".to_string(), Json::String(action.clone())),
                ("subject".to_string(), empty()),
                ("resource".to_string(), empty()),
                ("context".to_string(), empty()),
            ]);
            out.push(Case {
                policy: p.name.to_string(),
                name: "generated: a request with empty subject, resource and context is denied"
                    .into(),
                generated: true,
                input: Json::Object(input),
                effect: Effect::Deny,
                rule: None,
            });
        }
    }
    out
}

/// The coverage of one policy's rules by its cases: a rule is *exercised* when its condition
/// holds for the input of at least one case (an input that fits the declared types: no rule is
/// read for one that does not). The same as OPA's coverage of the rule's heads in `opa test
/// --coverage` on the emitted Rego tests, which evaluate each case's `matches` (docs/output.md).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage<'p> {
    pub policy: &'p Policy,
    /// How many cases decide with this policy.
    pub cases: usize,
    /// Per rule of the policy, in source order: the names of the cases whose input it matched.
    pub rules: Vec<(&'p str, Vec<String>)>,
}

impl Coverage<'_> {
    /// The rules no case exercises, in source order.
    pub fn never_exercised(&self) -> impl Iterator<Item = &str> {
        self.rules
            .iter()
            .filter(|(_, by)| by.is_empty())
            .map(|(rule, _)| *rule)
    }
}

/// The coverage of every policy of `model` by the evaluated `results` (each case with its
/// evaluation), in model order.
pub fn coverage<'m>(model: &'m Model, results: &[(Case, Evaluation)]) -> Vec<Coverage<'m>> {
    model
        .policies
        .iter()
        .map(|policy| {
            let name = policy.name.to_string();
            let mine: Vec<&(Case, Evaluation)> =
                results.iter().filter(|(c, _)| c.policy == name).collect();
            let rules = policy
                .rules
                .iter()
                .map(|rule| {
                    let by = mine
                        .iter()
                        .filter(|(_, e)| e.matched.iter().any(|m| m.rule == rule.name))
                        .map(|(c, _)| c.name.clone())
                        .collect();
                    (rule.name.as_str(), by)
                })
                .collect();
            Coverage {
                policy,
                cases: mine.len(),
                rules,
            }
        })
        .collect()
}
