//! Rule lints: rules that can never match, and rules that can never decide.

use crate::diagnostics::{Code, codes};
use crate::ir::{CmpOp, Cond, Effect, Operand, Rule};

pub(super) struct Lint {
    pub rule: usize,
    pub other: Option<usize>,
    pub code: Code,
    pub message: String,
    pub label: String,
    pub help: String,
}

/// The conjuncts of a condition (flattened `and`s; `true` contributes none).
fn conjuncts(c: &Cond) -> Vec<&Cond> {
    match c {
        Cond::Literal(true) => Vec::new(),
        Cond::And(parts) => parts.iter().flat_map(conjuncts).collect(),
        other => vec![other],
    }
}

/// Whether a condition can never hold, judged from its conjuncts alone.
fn never(c: &Cond) -> bool {
    let parts: Vec<&Cond> = match c {
        Cond::And(parts) => parts.iter().collect(),
        other => vec![other],
    };
    if parts.iter().any(|p| matches!(p, Cond::Literal(false))) {
        return true;
    }
    // `x == a and x == b` with different literals.
    let equalities: Vec<(&Operand, &Operand)> = parts
        .iter()
        .filter_map(|p| match p {
            Cond::Compare {
                op: CmpOp::Eq,
                lhs,
                rhs: rhs @ Operand::Literal(_),
            } if !matches!(lhs, Operand::Literal(_)) => Some((lhs, rhs)),
            Cond::Compare {
                op: CmpOp::Eq,
                lhs: lhs @ Operand::Literal(_),
                rhs,
            } if !matches!(rhs, Operand::Literal(_)) => Some((rhs, lhs)),
            _ => None,
        })
        .collect();
    equalities
        .iter()
        .enumerate()
        .any(|(i, (x, a))| equalities.iter().skip(i + 1).any(|(y, b)| x == y && a != b))
}

/// `broken[i]` marks rules whose condition had errors: they are neither judged nor used to judge.
pub(super) fn rules(rules: &[Rule], broken: &[bool]) -> Vec<Lint> {
    let mut out = Vec::new();
    let sets: Vec<Vec<&Cond>> = rules.iter().map(|r| conjuncts(&r.condition)).collect();
    let is_broken = |i: usize| broken.get(i).copied().unwrap_or(true);
    // Judged once per rule (the shadowing test below asks it of every pair).
    let nevers: Vec<bool> = rules.iter().map(|r| never(&r.condition)).collect();
    let is_never = |i: usize| nevers.get(i).copied().unwrap_or(false);
    for (i, rule) in rules.iter().enumerate() {
        if is_broken(i) {
            continue;
        }
        if is_never(i) {
            out.push(Lint {
                rule: i,
                other: None,
                code: codes::W3001,
                message: format!("rule `{}` can never match", rule.name),
                label: "its condition is always false".to_string(),
                help: "remove the rule, or fix the condition (two different values for one attribute, or `false`)".to_string(),
            });
            continue;
        }
        let Some(mine) = sets.get(i) else { continue };
        // An earlier enforced rule of the same effect, or any enforced deny (for an allow), whose
        // conjuncts are a subset of this rule's: whenever this rule matches, that one decides.
        let shadows = |j: usize, other: &Rule| {
            j != i
                && !is_broken(j)
                && !other.canary
                && !is_never(j)
                && sets
                    .get(j)
                    .is_some_and(|theirs| theirs.iter().all(|c| mine.contains(c)))
        };
        // For an allow, an enforced deny decides (it wins over any allow); otherwise an earlier
        // enforced rule of the same effect decides first.
        let deny = (rule.effect == Effect::Allow)
            .then(|| {
                rules
                    .iter()
                    .enumerate()
                    .find(|(j, o)| o.effect == Effect::Deny && shadows(*j, o))
            })
            .flatten();
        let shadow = deny.or_else(|| {
            rules
                .iter()
                .enumerate()
                .find(|(j, o)| o.effect == rule.effect && *j < i && shadows(*j, o))
        });
        if let Some((j, other)) = shadow {
            out.push(Lint {
                rule: i,
                other: Some(j),
                code: codes::W3002,
                message: format!("rule `{}` is shadowed by `{}`", rule.name, other.name),
                label: format!(
                    "whenever this rule matches, `{}` matches too and decides",
                    other.name
                ),
                help: if other.effect == rule.effect {
                    "remove this rule, or make its condition cover cases the other does not"
                        .to_string()
                } else {
                    "a matching deny wins over any allow: narrow the deny or remove this allow"
                        .to_string()
                },
            });
        }
    }
    out
}
