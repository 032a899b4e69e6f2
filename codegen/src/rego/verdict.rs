//! The verdict of a policy module, as `docs/decisions.md` defines it: `matches` (the rules whose
//! condition holds), `decision` (an `else` chain: the first matching enforced deny, the
//! provenance check, the first matching enforced allow, the default), `canary` and `verdict`.

use std::fmt::Write as _;

use charter::eval::{INPUT_INVALID, PROVENANCE_INVALID, PROVENANCE_MISSING};
use charter::ir::{Effect, Policy, Rule};

use super::names::string;

/// The `{"allow", "rule_id", "reason"}` object of one outcome.
fn outcome(allow: bool, rule_id: &str, reason: &str) -> String {
    format!(
        "{{\"allow\": {allow}, \"rule_id\": {}, \"reason\": {}}}",
        string(rule_id),
        reason
    )
}

/// Writes the verdict documents; `rego_names` are the Rego names of `policy.rules`.
pub fn write(out: &mut String, policy: &Policy, rego_names: &[String]) {
    let rules: Vec<(&Rule, &String)> = policy.rules.iter().zip(rego_names).collect();

    if !rules.is_empty() {
        out.push_str(
            "# The rules whose condition holds, by name (none for an input that does not fit).\n",
        );
        for (i, (r, name)) in rules.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            let _ = writeln!(
                out,
                "matches contains {} if {{\n\tinput_valid\n\t{name}\n}}",
                string(&r.name)
            );
        }
        out.push('\n');
    }

    // The chain, in the order docs/decisions.md decides: enforced denies, the provenance
    // envelope, enforced allows, the default.
    let enforced = |effect: Effect| -> Vec<(String, Vec<String>)> {
        rules
            .iter()
            .filter(|(r, _)| !r.canary && r.effect == effect)
            .map(|(r, name)| {
                (
                    outcome(effect == Effect::Allow, &r.name, &string(&r.reason)),
                    vec![name.to_string()],
                )
            })
            .collect()
    };
    let mut branches = enforced(Effect::Deny);
    if !policy.requires_provenance_for.is_empty() {
        branches.push((
            outcome(
                false,
                PROVENANCE_MISSING,
                &string("provenance envelope missing"),
            ),
            vec!["not _provenance_present".to_string()],
        ));
        branches.push((
            outcome(
                false,
                PROVENANCE_INVALID,
                "concat(\"\", [\"provenance envelope invalid: \", field])",
            ),
            vec!["field := _provenance_problems[0]".to_string()],
        ));
    }
    branches.extend(enforced(Effect::Allow));
    branches.push((
        outcome(
            policy.default_effect == Effect::Allow,
            "default",
            &string(&policy.default_reason),
        ),
        Vec::new(),
    ));
    // Every branch after the first needs a valid input: should `input_problems` ever be
    // undefined, no branch decides and the `default` (a denial) does: the bundle fails closed.
    for (_, body) in &mut branches {
        body.insert(0, "input_valid".to_string());
    }
    branches.insert(
        0,
        (
            outcome(false, INPUT_INVALID, "schema.reason(input_problems)"),
            vec!["count(input_problems) > 0".to_string()],
        ),
    );
    out.push_str(if policy.requires_provenance_for.is_empty() {
        "# What decides (docs/decisions.md): an input that does not fit the declared types, then the\n\
         # first matching enforced deny in source order, then the first matching enforced allow, then\n\
         # the default. When nothing can be decided, the request is denied.\n"
    } else {
        "# What decides (docs/decisions.md): an input that does not fit the declared types, then the\n\
         # first matching enforced deny in source order, then the provenance envelope, then the first\n\
         # matching enforced allow, then the default. When nothing can be decided, the request is\n\
         # denied.\n"
    });
    let _ = writeln!(
        out,
        "default decision := {}",
        outcome(
            false,
            INPUT_INVALID,
            &string("input invalid: the input could not be checked")
        )
    );
    out.push('\n');
    write_chain(out, "decision", &branches, None);

    out.push('\n');
    write_canary(out, policy, &rules);

    out.push_str("\n# The verdict: the document OPA's clients query.\n");
    let _ = writeln!(out, "verdict := {{");
    let _ = writeln!(out, "\t\"allow\": decision.allow,");
    let _ = writeln!(out, "\t\"decider\": {},", string(&policy.name.to_string()));
    let _ = writeln!(out, "\t\"rule_id\": decision.rule_id,");
    let _ = writeln!(out, "\t\"reason\": decision.reason,");
    let _ = writeln!(out, "\t\"policy_version\": {},", string(&policy.version));
    let _ = writeln!(out, "\t\"canary\": canary,");
    out.push_str("}\n");
}

/// `name := v1 if { b1 } else := v2 if { b2 } ... [else := last]`.
fn write_chain(
    out: &mut String,
    name: &str,
    branches: &[(String, Vec<String>)],
    last: Option<&str>,
) {
    let mut first = true;
    for (value, body) in branches {
        if first {
            let _ = writeln!(out, "{name} := {value} if {{");
            first = false;
        } else {
            let _ = writeln!(out, "}} else := {value} if {{");
        }
        for line in body {
            let _ = writeln!(out, "\t{line}");
        }
    }
    match (first, last) {
        (true, Some(last)) => {
            let _ = writeln!(out, "{name} := {last}");
        }
        (false, Some(last)) => {
            let _ = writeln!(out, "}} else := {last}");
        }
        (false, None) => out.push_str("}\n"),
        (true, None) => {}
    }
}

/// `canary`: canary denies that matched when the verdict allows; canary allows that matched when
/// the default denies; otherwise none.
fn write_canary(out: &mut String, policy: &Policy, rules: &[(&Rule, &String)]) {
    let canaries = |effect: Effect| -> Vec<String> {
        rules
            .iter()
            .filter(|(r, _)| r.canary && r.effect == effect)
            .map(|(r, _)| string(&r.name))
            .collect()
    };
    let listed = |names: &[String]| {
        format!(
            "[name | some name in [{}]; name in matches]",
            names.join(", ")
        )
    };
    let (denies, allows) = (canaries(Effect::Deny), canaries(Effect::Allow));
    let mut branches: Vec<(String, Vec<String>)> = Vec::new();
    if !denies.is_empty() {
        branches.push((listed(&denies), vec!["decision.allow".to_string()]));
    }
    if !allows.is_empty() && policy.default_effect == Effect::Deny {
        branches.push((
            listed(&allows),
            vec!["decision.rule_id == \"default\"".to_string()],
        ));
    }
    out.push_str(
        "# The canary rules that matched and would have changed `allow` had they been enforced:\n\
         # canary denies when the verdict allows, canary allows when the default denies.\n",
    );
    write_chain(out, "canary", &branches, Some("[]"));
}
