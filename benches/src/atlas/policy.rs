//! The access and ingest policies: fixed rules and generated ones.

use std::fmt::Write as _;

use super::*;

pub(crate) struct FixedRule {
    pub(crate) doc: &'static str,
    pub(crate) canary: bool,
    pub(crate) effect: &'static str,
    pub(crate) name: &'static str,
    pub(crate) condition: &'static str,
    pub(crate) reason: &'static str,
}

pub(crate) fn fixed_rules(kind: Kind) -> Vec<FixedRule> {
    let rule = |doc, canary, effect, name, condition, reason| FixedRule {
        doc,
        canary,
        effect,
        name,
        condition,
        reason,
    };
    match kind {
        Kind::Access => vec![
            rule(
                "Tenant isolation comes before everything else.",
                false,
                "deny",
                "cross_tenant",
                "subject.tenant != resource.tenant",
                "items are only reachable from their own tenant",
            ),
            rule(
                "Legal holds freeze an item.",
                false,
                "deny",
                "legal_hold",
                "action == delete and resource.legal_hold",
                "the item is under legal hold",
            ),
            rule(
                "Anyone may read what their clearance covers.",
                false,
                "allow",
                "read_within_clearance",
                "action == read and subject.clearance >= resource.sensitivity",
                "same-tenant read within clearance",
            ),
            rule(
                "Auditors read up to confidential data during an engagement, whatever their clearance.",
                false,
                "allow",
                "auditor_read",
                "action == read and Role.auditor in subject.roles\n     and resource.sensitivity <= Sensitivity.confidential",
                "auditors may read up to confidential data",
            ),
            rule(
                "Stewards change items with MFA.",
                false,
                "allow",
                "steward_update",
                "action == update and Role.steward in subject.roles and context.mfa",
                "stewards may change items with MFA",
            ),
            rule(
                "Proposed: restricted data is never exported, not even by stewards.",
                true,
                "deny",
                "restricted_export",
                "action == export and resource.sensitivity == restricted",
                "restricted data never leaves its tenant",
            ),
        ],
        Kind::Ingest => vec![
            rule(
                "No envelope, no write.",
                false,
                "deny",
                "missing_provenance",
                "not has context.provenance",
                "every write must carry a provenance envelope",
            ),
            rule(
                "Low-confidence data is quarantined upstream instead.",
                false,
                "deny",
                "low_confidence",
                "has context.provenance and context.provenance.confidence < 0.5",
                "provenance confidence below 0.5",
            ),
            rule(
                "Test fixtures and synthetic data stay out of production.",
                false,
                "deny",
                "simulated_in_production",
                "has context.provenance and context.provenance.simulated\n     and subject.environment == production",
                "simulated data never enters production",
            ),
            rule(
                "Workloads that failed attestation write nothing.",
                false,
                "deny",
                "unattested_workload",
                "not subject.attested",
                "only attested workloads may write",
            ),
            rule(
                "Workloads write only to their own tenant.",
                false,
                "deny",
                "cross_tenant_write",
                "subject.tenant != resource.tenant",
                "workloads write only to their own tenant's items",
            ),
            rule(
                "Attested workloads write from inside the mesh.",
                false,
                "allow",
                "attested_ingest",
                "action == ingest and subject.attested and has context.provenance and context.ip_trusted",
                "attested workload writing with provenance from inside the mesh",
            ),
            rule(
                "The GA bar: confidence 0.8. Canaried until partners have re-scored their feeds.",
                true,
                "deny",
                "below_ga_confidence",
                "has context.provenance and context.provenance.confidence < 0.8",
                "provenance confidence below the GA bar of 0.8",
            ),
        ],
    }
}

pub(crate) fn policy(rng: &mut Rng, d: &Domain, pkg: &str, kind: Kind) -> String {
    let r = d.resource;
    let mut s = String::new();
    let (name, subject, imports, doc) = match kind {
        Kind::Access => (
            format!("{}_access", d.word),
            "User",
            "use atlas.core.{User, Role, Sensitivity}",
            format!(
                "Who may read, change, export, approve and delete {}.",
                d.many()
            ),
        ),
        Kind::Ingest => (
            format!("{}_ingest", d.word),
            "Workload",
            "use atlas.core.Workload",
            format!(
                "Provenance enforcement: nothing enters the {} ledger without a trustworthy envelope.",
                d.prose
            ),
        ),
    };
    out!(s, "// {doc}");
    out!(s, "package {pkg}");
    out!(s);
    out!(s, "{imports}");
    out!(s);
    out!(s, "/// {doc}");
    let version = format!("{}.{}.0", 1 + rng.below(3), rng.below(10));
    out!(
        s,
        "policy {name} on {r} by {subject} with {r}Request version \"{version}\""
    );
    out!(s, "  default deny \"no rule allowed this request\"");
    out!(s, "{{");
    let fixed = fixed_rules(kind);
    let total = rng.range(10, 50);
    let mut first = true;
    for f in &fixed {
        if !first {
            out!(s);
        }
        first = false;
        out!(s, "  /// {}", f.doc);
        if f.canary {
            out!(s, "  @canary");
        }
        out!(s, "  {} {}", f.effect, f.name);
        out!(s, "    when {}", f.condition);
        out!(s, "    because \"{}\"", f.reason);
    }
    let pool = atoms(d, kind);
    let groups: Vec<&str> = {
        let mut g: Vec<&str> = Vec::new();
        for a in &pool {
            if !g.contains(&a.group) {
                g.push(a.group);
            }
        }
        g
    };
    for k in 0..total.saturating_sub(fixed.len()) {
        let n = rng.range(1, 3);
        let chosen_groups = rng.sample(&groups, n);
        let mut parts: Vec<&Atom> = Vec::new();
        for g in chosen_groups {
            let candidates: Vec<&Atom> = pool.iter().filter(|a| a.group == g).collect();
            if let Some(a) = candidates.get(rng.below(candidates.len())) {
                parts.push(a);
            }
        }
        let u = unique(k, d);
        let deny = rng.chance(3, 5);
        let canary = rng.chance(1, 8);
        let slug = parts.first().map_or("any", |a| a.slug.as_str());
        let rule_name = format!("{slug}_{}", u.slug);
        let mut phrases: Vec<&str> = parts.iter().map(|a| a.phrase.as_str()).collect();
        phrases.push(&u.phrase);
        let last = phrases.pop().unwrap_or_default();
        let described = if phrases.is_empty() {
            last.to_string()
        } else {
            format!("{} and {last}", phrases.join(", "))
        };
        out!(s);
        out!(
            s,
            "  /// {} {} when {described}.",
            if deny { "Refuse" } else { "Permit" },
            d.many(),
        );
        if canary {
            out!(s, "  @canary");
        }
        out!(s, "  {} {rule_name}", if deny { "deny" } else { "allow" });
        let mut conjuncts: Vec<&str> = parts.iter().map(|a| a.text.as_str()).collect();
        conjuncts.push(&u.text);
        let mut line = format!("    when {}", conjuncts.first().copied().unwrap_or("true"));
        for c in conjuncts.iter().skip(1) {
            if line.len() + c.len() + 5 > 100 {
                out!(s, "{line}");
                line = format!("     and {c}");
            } else {
                line.push_str(" and ");
                line.push_str(c);
            }
        }
        out!(s, "{line}");
        out!(
            s,
            "    because \"{} when {described}\"",
            if deny { "refused" } else { "permitted" }
        );
    }
    out!(s, "}}");
    if kind == Kind::Access {
        out!(s);
        access_tests(&mut s, d, &name);
    }
    s
}
