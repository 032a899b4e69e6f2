//! The conjuncts generated rules are made of.

use super::*;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Access,
    Ingest,
}

/// One conjunct a generated rule can use. Atoms of one group are never combined, so a rule
/// never compares one attribute with two constants.
pub(crate) struct Atom {
    pub(crate) group: &'static str,
    pub(crate) text: String,
    pub(crate) phrase: String,
    pub(crate) slug: String,
}

pub(crate) fn atom(
    group: &'static str,
    text: impl Into<String>,
    phrase: impl Into<String>,
    slug: impl Into<String>,
) -> Atom {
    Atom {
        group,
        text: text.into(),
        phrase: phrase.into(),
        slug: slug.into(),
    }
}

/// The atoms of generated rules. None of them is a conjunct of a fixed enforced rule that
/// could make it shadow a generated one (W3002): `subject.tenant != resource.tenant`,
/// `resource.legal_hold`, `subject.clearance >= resource.sensitivity`, the steward and auditor
/// roles, `not has context.provenance`, `not subject.attested`, `subject.attested`.
pub(crate) fn atoms(d: &Domain, kind: Kind) -> Vec<Atom> {
    let r = d.resource;
    let mut v = vec![
        atom(
            "status",
            format!("resource.status == {r}Status.archived"),
            format!("the {} is archived", d.prose),
            "archived",
        ),
        atom(
            "status",
            "resource.status != active",
            format!("the {} is not active", d.prose),
            "inactive",
        ),
        atom(
            "status",
            "resource.status == suspended",
            format!("the {} is suspended", d.prose),
            "suspended",
        ),
        atom(
            "tier",
            "resource.tier >= Tier.gold",
            "the customer is gold or platinum",
            "premium",
        ),
        atom(
            "tier",
            "resource.tier < Tier.silver",
            "the customer is self-service",
            "self_service",
        ),
        atom(
            "network",
            "context.ip_trusted",
            "the request comes from a trusted network",
            "trusted_net",
        ),
        atom(
            "network",
            "not context.ip_trusted",
            "the request comes from outside trusted networks",
            "untrusted_net",
        ),
        atom(
            "ticket",
            "has context.ticket",
            "a ticket is cited",
            "ticketed",
        ),
        atom(
            "ticket",
            "not has context.ticket",
            "no ticket is cited",
            "unticketed",
        ),
        atom(
            "pii",
            "resource.contains_pii",
            "personal data is involved",
            "pii",
        ),
        atom(
            "pii",
            "not resource.contains_pii",
            "no personal data is involved",
            "non_pii",
        ),
        atom(
            "hold",
            "not resource.legal_hold",
            "there is no legal hold",
            "unheld",
        ),
        atom(
            "region",
            "resource.region != \"eu-west-1\"",
            "the data is stored outside eu-west-1",
            "non_eu",
        ),
        atom(
            "region",
            "resource.region == \"us-east-1\"",
            "the data is stored in us-east-1",
            "us_east",
        ),
        atom(
            "approvals",
            "context.approvals >= 2",
            "two approvals are on file",
            "approved",
        ),
        atom(
            "approvals",
            "context.approvals < 2",
            "fewer than two approvals are on file",
            "unapproved",
        ),
        atom(
            "review",
            "(context.approvals < 1 or not has context.ticket)",
            "the request is unreviewed or untracked",
            "unreviewed",
        ),
        atom(
            "env",
            "context.environment == production",
            "it happens in production",
            "production",
        ),
        atom(
            "env",
            "context.environment != development",
            "it happens outside development",
            "non_dev",
        ),
    ];
    match kind {
        Kind::Access => {
            for a in ["read", "update", "export", "delete", "approve"] {
                v.push(atom(
                    "action",
                    format!("action == {a}"),
                    format!("the action is {a}"),
                    a,
                ));
            }
            v.push(atom(
                "action",
                "(action == export or action == delete)",
                "the action exports or deletes",
                "export_delete",
            ));
            for (role, who) in [
                ("admin", "an administrator"),
                ("engineer", "an engineer"),
                ("support", "support staff"),
                ("analyst", "an analyst"),
            ] {
                v.push(atom(
                    "role",
                    format!("Role.{role} in subject.roles"),
                    format!("the caller is {who}"),
                    role,
                ));
            }
            v.push(atom(
                "role",
                "not Role.admin in subject.roles",
                "the caller is not an administrator",
                "non_admin",
            ));
            v.extend([
                atom(
                    "sensitivity",
                    "resource.sensitivity >= Sensitivity.confidential",
                    "the data is confidential or above",
                    "confidential",
                ),
                atom(
                    "sensitivity",
                    "resource.sensitivity == restricted",
                    "the data is restricted",
                    "restricted",
                ),
                atom(
                    "sensitivity",
                    "subject.clearance < resource.sensitivity",
                    "the data is above the caller's clearance",
                    "above_clearance",
                ),
                atom(
                    "sensitivity",
                    "resource.sensitivity == public",
                    "the data is public",
                    "public",
                ),
                atom("mfa", "context.mfa", "the caller completed MFA", "mfa"),
                atom("mfa", "not context.mfa", "the caller skipped MFA", "no_mfa"),
                atom(
                    "dept",
                    "subject.department == \"finance\"",
                    "the caller works in finance",
                    "finance",
                ),
                atom(
                    "dept",
                    format!("subject.department != \"{}\"", d.word),
                    format!("the caller is outside the {} team", d.word),
                    "other_dept",
                ),
                atom(
                    "contractor",
                    "subject.contractor",
                    "the caller is a contractor",
                    "contractor",
                ),
                atom(
                    "contractor",
                    "not subject.contractor",
                    "the caller is an employee",
                    "employee",
                ),
                atom(
                    "external",
                    "context.external",
                    "the data leaves the tenant",
                    "external",
                ),
                atom(
                    "external",
                    "not context.external",
                    "the data stays in the tenant",
                    "internal",
                ),
                atom(
                    "purpose",
                    "has context.purpose",
                    "a purpose is documented",
                    "documented",
                ),
            ]);
        }
        Kind::Ingest => {
            v.extend([
                atom(
                    "action",
                    "action == ingest",
                    "the action is ingest",
                    "ingest",
                ),
                atom(
                    "wenv",
                    "subject.environment == staging",
                    "the workload runs in staging",
                    "staging",
                ),
                atom(
                    "wenv",
                    "subject.environment == context.environment",
                    "the workload writes to its own environment",
                    "same_env",
                ),
                atom(
                    "wenv",
                    "subject.environment != context.environment",
                    "the workload writes across environments",
                    "cross_env",
                ),
                atom(
                    "prov",
                    "has context.provenance and context.provenance.confidence < 0.7",
                    "provenance confidence is below 0.7",
                    "low_conf",
                ),
                atom(
                    "prov",
                    "has context.provenance and context.provenance.confidence >= 0.95",
                    "provenance confidence is at least 0.95",
                    "high_conf",
                ),
                atom(
                    "prov",
                    "has context.provenance and context.provenance.origin == \"manual-upload\"",
                    "the data was uploaded by hand",
                    "manual",
                ),
                atom(
                    "team",
                    format!("subject.team == \"{}\"", d.word),
                    format!("the workload belongs to the {} team", d.word),
                    "own_team",
                ),
                atom(
                    "team",
                    format!("subject.team != \"{}\"", d.word),
                    format!("the workload belongs to another team than {}", d.word),
                    "foreign_team",
                ),
                atom(
                    "sensitivity",
                    "resource.sensitivity == restricted",
                    "the data is restricted",
                    "restricted",
                ),
                atom(
                    "sensitivity",
                    "resource.sensitivity != public",
                    "the data is not public",
                    "non_public",
                ),
            ]);
        }
    }
    v
}

/// The conjunct that makes generated rule `k` unique: no other rule has it, so no rule's
/// conjuncts are a subset of another's. It is false for every test case input (retention 30
/// days, no risk score, a 5-minute session), so the suites' expectations hold.
pub(crate) fn unique(k: usize, d: &Domain) -> Atom {
    match k % 3 {
        0 => {
            let days = 30 * (k + 1);
            atom(
                "unique",
                format!("resource.retention_days > {days}"),
                format!("the {} is kept longer than {days} days", d.prose),
                format!("kept_{days}d"),
            )
        }
        1 => {
            let score = 10 + 2 * k;
            atom(
                "unique",
                format!("has resource.risk_score and resource.risk_score >= {score}"),
                format!("its risk score is at least {score}"),
                format!("risk_{score}"),
            )
        }
        _ => {
            let minutes = 15 * (k + 1);
            atom(
                "unique",
                format!("context.session_age_minutes > {minutes}"),
                format!("the session is older than {minutes} minutes"),
                format!("session_{minutes}m"),
            )
        }
    }
}
