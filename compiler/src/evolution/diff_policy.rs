//! Policies (reported as more or less permissive where the rule structure shows it),
//! controls and threats.

use super::diff::{Cx, Draft, Permissive, Where, pair, rename};
use super::kinds::{self as k, KindInfo};
use crate::ir::{Cond, Effect, Operand, Policy, QualName, Rule, Value};

/// A value with enum ordinals erased: a value added before others shifts every later ordinal
/// without changing what a condition means (reordering an ordered enum is its own kind, C2011).
fn plain_value(v: &Value) -> Value {
    match v {
        Value::Enum { ty, variant, .. } => Value::Enum {
            ty: ty.clone(),
            variant: variant.clone(),
            ordinal: 0,
        },
        Value::List(items) => Value::List(items.iter().map(plain_value).collect()),
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(k, v)| (k.clone(), plain_value(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn plain_operand(o: &Operand) -> Operand {
    match o {
        Operand::Literal(v) => Operand::Literal(plain_value(v)),
        other => other.clone(),
    }
}

/// The condition with enum ordinals erased, for comparing two versions.
fn plain(c: &Cond) -> Cond {
    match c {
        Cond::Truthy(o) => Cond::Truthy(plain_operand(o)),
        Cond::Not(inner) => Cond::Not(Box::new(plain(inner))),
        Cond::And(parts) => Cond::And(parts.iter().map(plain).collect()),
        Cond::Or(parts) => Cond::Or(parts.iter().map(plain).collect()),
        Cond::Compare { op, lhs, rhs } => Cond::Compare {
            op: *op,
            lhs: plain_operand(lhs),
            rhs: plain_operand(rhs),
        },
        Cond::In { elem, collection } => Cond::In {
            elem: plain_operand(elem),
            collection: plain_operand(collection),
        },
        other => other.clone(),
    }
}

/// The `and`-ed parts of a condition (`true` has none).
fn conjuncts(c: &Cond) -> Vec<&Cond> {
    match c {
        Cond::And(parts) => parts.iter().flat_map(conjuncts).collect(),
        Cond::Literal(true) => Vec::new(),
        other => vec![other],
    }
}

/// The `or`-ed parts of a condition.
fn disjuncts(c: &Cond) -> Vec<&Cond> {
    match c {
        Cond::Or(parts) => parts.iter().flat_map(disjuncts).collect(),
        other => vec![other],
    }
}

fn subset(a: &[&Cond], b: &[&Cond]) -> bool {
    a.iter().all(|x| b.contains(x))
}

/// Whether `new` matches more requests than `old` (`Some(true)`), fewer (`Some(false)`), or
/// the structure does not say (`None`).
fn widened(old: &Cond, new: &Cond) -> Option<bool> {
    let (oc, nc) = (conjuncts(old), conjuncts(new));
    if oc.len() != nc.len() || oc.len() > 1 {
        if subset(&nc, &oc) && nc.len() < oc.len() {
            return Some(true);
        }
        if subset(&oc, &nc) && oc.len() < nc.len() {
            return Some(false);
        }
    }
    let (od, nd) = (disjuncts(old), disjuncts(new));
    if subset(&od, &nd) && od.len() < nd.len() {
        return Some(true);
    }
    if subset(&nd, &od) && nd.len() < od.len() {
        return Some(false);
    }
    None
}

/// More requests matched by a rule of `effect`: more or less permissive.
fn matching_more(effect: Effect, more: bool) -> Permissive {
    match (effect, more) {
        (Effect::Allow, true) | (Effect::Deny, false) => Permissive::More,
        _ => Permissive::Less,
    }
}

pub(super) fn policies(cx: &mut Cx<'_>) {
    let (removed, common, added) = pair(&cx.old.policies, &cx.new.policies, |p| p.name.clone());
    for p in removed {
        cx.push(
            Draft::new(
                k::POLICY_REMOVED,
                p.name.to_string(),
                &p.name.package,
                format!("policy `{}` removed", p.name.name),
            )
            .locs(Some(&p.loc), None),
        );
    }
    for p in added {
        cx.push(
            Draft::new(
                k::POLICY_ADDED,
                p.name.to_string(),
                &p.name.package,
                format!("policy `{}` added", p.name.name),
            )
            .locs(None, Some(&p.loc)),
        );
    }
    for (o, n) in common {
        if o.default_effect != n.default_effect {
            let c = cx.push(
                Draft::new(
                    k::POLICY_DEFAULT_CHANGED,
                    n.name.to_string(),
                    &n.name.package,
                    format!(
                        "default {} -> {}",
                        o.default_effect.as_str(),
                        n.default_effect.as_str()
                    ),
                )
                .locs(Some(&o.loc), Some(&n.loc)),
            );
            c.permissive = Some(if n.default_effect == Effect::Allow {
                Permissive::More
            } else {
                Permissive::Less
            });
        }
        rules(cx, o, n);
    }
}

fn rule_name(r: &Rule) -> String {
    format!(
        "{} {}{}",
        r.effect.as_str(),
        r.name,
        if r.canary { " (canary)" } else { "" }
    )
}

fn rules(cx: &mut Cx<'_>, o: &Policy, n: &Policy) {
    let (mut removed, common, mut added) = pair(&o.rules, &n.rules, |r| r.name.clone());
    let d = |kind: KindInfo,
             name: &str,
             detail: String,
             locs: (Option<&crate::ir::Loc>, Option<&crate::ir::Loc>)| {
        Draft::new(kind, format!("{}.{name}", n.name), &n.name.package, detail).locs(locs.0, locs.1)
    };
    if let Some((r, a)) = rename(&mut removed, &mut added, |r, a| {
        r.effect == a.effect && r.canary == a.canary && plain(&r.condition) == plain(&a.condition)
    }) {
        let c = cx.push(d(
            k::RULE_RENAMED,
            &r.name,
            format!("rule `{}` renamed to `{}`", r.name, a.name),
            (Some(&r.loc), Some(&a.loc)),
        ));
        c.hint = Some(format!(
            "verdicts now name `{}` instead of `{}`",
            a.name, r.name
        ));
    }
    for r in removed {
        let (kind, perm) = match (r.canary, r.effect) {
            (true, _) => (k::CANARY_RULE_REMOVED, None),
            (false, Effect::Deny) => (k::DENY_RULE_REMOVED, Some(Permissive::More)),
            (false, Effect::Allow) => (k::ALLOW_RULE_REMOVED, Some(Permissive::Less)),
        };
        let c = cx.push(d(
            kind,
            &r.name,
            format!("rule `{}` removed", rule_name(r)),
            (Some(&r.loc), Some(&n.loc)),
        ));
        c.permissive = perm;
    }
    for r in added {
        let (kind, perm) = match (r.canary, r.effect) {
            (true, _) => (k::CANARY_RULE_ADDED, None),
            (false, Effect::Deny) => (k::DENY_RULE_ADDED, Some(Permissive::Less)),
            (false, Effect::Allow) => (k::ALLOW_RULE_ADDED, Some(Permissive::More)),
        };
        let c = cx.push(d(
            kind,
            &r.name,
            format!("rule `{}` added", rule_name(r)),
            (None, Some(&r.loc)),
        ));
        c.permissive = perm;
    }
    for (or, nr) in common {
        let locs = (Some(&or.loc), Some(&nr.loc));
        if or.effect != nr.effect {
            let c = cx.push(d(
                k::RULE_EFFECT_CHANGED,
                &nr.name,
                format!(
                    "rule `{}` {} -> {}",
                    nr.name,
                    or.effect.as_str(),
                    nr.effect.as_str()
                ),
                locs,
            ));
            c.permissive = Some(if nr.effect == Effect::Allow {
                Permissive::More
            } else {
                Permissive::Less
            });
        }
        if or.canary && !nr.canary {
            let c = cx.push(d(
                k::CANARY_PROMOTED,
                &nr.name,
                format!("canary rule `{}` is now enforced", nr.name),
                locs,
            ));
            c.permissive = Some(matching_more(nr.effect, true));
        } else if !or.canary && nr.canary {
            let c = cx.push(d(
                k::RULE_MADE_CANARY,
                &nr.name,
                format!("rule `{}` is now a canary (not enforced)", nr.name),
                locs,
            ));
            c.permissive = Some(matching_more(or.effect, false));
        }
        let (oc, nc) = (plain(&or.condition), plain(&nr.condition));
        if oc != nc {
            let (kind, perm, how) = match widened(&oc, &nc) {
                Some(true) => (
                    k::RULE_WIDENED,
                    Some(matching_more(nr.effect, true)),
                    "matches more requests",
                ),
                Some(false) => (
                    k::RULE_NARROWED,
                    Some(matching_more(nr.effect, false)),
                    "matches fewer requests",
                ),
                None => (k::RULE_CONDITION_CHANGED, None, "changed"),
            };
            // A canary's condition never decides.
            let perm = if nr.canary { None } else { perm };
            let c = cx.push(d(
                kind,
                &nr.name,
                format!("the condition of `{}` {how}", nr.name),
                locs,
            ));
            c.permissive = perm;
        }
    }
}

fn names(v: &[QualName]) -> Vec<String> {
    v.iter().map(ToString::to_string).collect()
}

pub(super) fn controls(cx: &mut Cx<'_>) {
    let (removed, common, added) = pair(&cx.old.controls, &cx.new.controls, |c| c.name.clone());
    for c in removed {
        cx.push(
            Draft::new(
                k::CONTROL_REMOVED,
                c.name.to_string(),
                &c.name.package,
                format!("control `{}` removed", c.name.name),
            )
            .locs(Some(&c.loc), None),
        );
    }
    for c in added {
        cx.push(
            Draft::new(
                k::CONTROL_ADDED,
                c.name.to_string(),
                &c.name.package,
                format!("control `{}` added", c.name.name),
            )
            .locs(None, Some(&c.loc)),
        );
    }
    for (o, n) in common {
        let d = |kind: KindInfo, member: String, detail: String| {
            Draft::new(
                kind,
                format!("{}.{member}", n.name),
                &n.name.package,
                detail,
            )
            .locs(Some(&o.loc), Some(&n.loc))
            .place(Where::None)
        };
        let key = |m: &crate::ir::Mapping| format!("{}:{}", m.framework, m.requirement);
        let (gone, _, new) = pair(&o.mappings, &n.mappings, key);
        for m in gone {
            cx.push(d(
                k::CONTROL_REQUIREMENT_REMOVED,
                key(m),
                format!("no longer satisfies {}", key(m)),
            ));
        }
        for m in new {
            cx.push(d(
                k::CONTROL_REQUIREMENT_ADDED,
                key(m),
                format!("now satisfies {}", key(m)),
            ));
        }
        let (on, nn) = (names(&o.enforced_by), names(&n.enforced_by));
        let (gone, _, new) = pair(&on, &nn, Clone::clone);
        for p in gone {
            cx.push(d(
                k::CONTROL_ENFORCEMENT_REMOVED,
                p.clone(),
                format!("no longer enforced by `{p}`"),
            ));
        }
        for p in new {
            cx.push(d(
                k::CONTROL_ENFORCEMENT_ADDED,
                p.clone(),
                format!("now enforced by `{p}`"),
            ));
        }
    }
}

pub(super) fn threats(cx: &mut Cx<'_>) {
    let (removed, common, added) = pair(&cx.old.threats, &cx.new.threats, |t| t.name.clone());
    for t in removed {
        cx.push(
            Draft::new(
                k::THREAT_REMOVED,
                t.name.to_string(),
                &t.name.package,
                format!("threat `{}` removed", t.name.name),
            )
            .locs(Some(&t.loc), None),
        );
    }
    for t in added {
        cx.push(
            Draft::new(
                k::THREAT_ADDED,
                t.name.to_string(),
                &t.name.package,
                format!("threat `{}` added", t.name.name),
            )
            .locs(None, Some(&t.loc)),
        );
    }
    for (o, n) in common {
        let (on, nn) = (names(&o.mitigated_by), names(&n.mitigated_by));
        let (gone, _, new) = pair(&on, &nn, Clone::clone);
        for c in gone {
            cx.push(
                Draft::new(
                    k::THREAT_MITIGATION_REMOVED,
                    format!("{}.{c}", n.name),
                    &n.name.package,
                    format!("no longer mitigated by `{c}`"),
                )
                .locs(Some(&o.loc), Some(&n.loc)),
            );
        }
        for c in new {
            cx.push(
                Draft::new(
                    k::THREAT_MITIGATION_ADDED,
                    format!("{}.{c}", n.name),
                    &n.name.package,
                    format!("now mitigated by `{c}`"),
                )
                .locs(Some(&o.loc), Some(&n.loc)),
            );
        }
    }
}
