//! A domain package's `controls.charter`: controls mapped to frameworks, and threats.

use std::fmt::Write as _;

use super::*;

pub(crate) const SOC2: &[&str] = &[
    "CC6.1", "CC6.2", "CC6.3", "CC6.6", "CC6.7", "CC6.8", "CC7.1", "CC7.2", "CC7.3", "CC8.1",
    "CC5.2", "CC5.3", "CC2.3", "PI1.2", "PI1.3", "C1.1", "C1.2", "A1.2",
];
pub(crate) const ISO: &[&str] = &[
    "A.5.1", "A.5.3", "A.5.14", "A.5.15", "A.5.18", "A.5.21", "A.5.33", "A.8.2", "A.8.3", "A.8.5",
    "A.8.12", "A.8.15", "A.8.26", "A.8.28", "A.8.32",
];
pub(crate) const GDPR: &[&str] = &[
    "32(1)", "32(1)(a)", "32(1)(b)", "32(1)(c)", "32(1)(d)", "32(2)", "32(4)",
];
pub(crate) const HIPAA: &[&str] = &[
    "164.308(a)(1)",
    "164.308(a)(3)",
    "164.308(a)(4)",
    "164.308(a)(5)",
    "164.308(a)(6)",
    "164.308(a)(8)",
    "164.312(a)(1)",
    "164.312(b)",
    "164.312(c)(1)",
    "164.312(d)",
    "164.312(e)(1)",
];

pub(crate) fn satisfies(rng: &mut Rng) -> String {
    let mut refs = Vec::new();
    for (fw, ids, n) in [
        ("soc2", SOC2, 2),
        ("iso27001", ISO, 2),
        ("gdpr", GDPR, 1),
        ("hipaa", HIPAA, 2),
    ] {
        for id in rng.sample(ids, n) {
            refs.push(format!("{fw}.\"{id}\""));
        }
    }
    refs.join(", ")
}

pub(crate) fn controls(rng: &mut Rng, d: &Domain, pkg: &str) -> String {
    let c = d.prefix;
    let access = format!("{}_access", d.word);
    let ingest = format!("{}_ingest", d.word);
    let area = pkg.replace('.', "/");
    let mut s = String::new();
    out!(
        s,
        "// {}: controls for GA, mapped to SOC 2, ISO/IEC 27001:2022, GDPR Art. 32 and HIPAA.",
        d.team
    );
    out!(s, "package {pkg}");
    out!(s);
    out!(s, "use std.frameworks.{{soc2, iso27001, gdpr, hipaa}}");
    out!(s);
    out!(
        s,
        "/// Every {} request is decided by policy, and every decision is logged.",
        d.prose
    );
    out!(
        s,
        "control {c}-01 \"Policy decision on every {} request\" {{",
        d.prose
    );
    out!(s, "  owner \"{}/Policy\"", d.team);
    out!(s, "  satisfies {}", satisfies(rng));
    out!(s, "  enforced by {access}");
    out!(
        s,
        "  evidence \"audit/{area}/decision-logs\" retained 365d produced by {access}"
    );
    out!(
        s,
        "  evidence \"audit/{area}/policy-bundles\" retained 6y produced by \"pipeline\""
    );
    out!(s, "}}");
    out!(s);
    out!(
        s,
        "/// Every ingested {} event carries a provenance envelope with sufficient confidence.",
        d.prose
    );
    out!(
        s,
        "control {c}-02 \"Provenance on every ingested event\" {{"
    );
    out!(s, "  owner \"{}/Integrity\"", d.team);
    out!(s, "  satisfies {}", satisfies(rng));
    out!(s, "  enforced by {ingest}");
    out!(
        s,
        "  evidence \"audit/{area}/provenance-rejections\" retained 365d produced by {ingest}"
    );
    out!(s, "}}");
    out!(s);
    out!(
        s,
        "/// Access to {} is reviewed quarterly; stale grants are revoked.",
        d.many()
    );
    out!(s, "control {c}-03 \"Quarterly access review\" {{");
    out!(s, "  owner \"{}/Identity\"", d.team);
    out!(s, "  satisfies {}", satisfies(rng));
    out!(s, "  evidence \"audit/{area}/access-reviews\" retained 52w");
    out!(s, "}}");
    out!(s);
    out!(
        s,
        "/// Policy changes ship with tests; new rules run as canaries before they are enforced."
    );
    out!(
        s,
        "control {c}-04 \"Policy changes are tested and canaried\" {{"
    );
    out!(s, "  owner \"{}/Policy\"", d.team);
    out!(s, "  satisfies {}", satisfies(rng));
    out!(s, "  enforced by {access}, {ingest}");
    out!(
        s,
        "  evidence \"audit/{area}/policy-test-reports\" retained 365d produced by \"pipeline\""
    );
    out!(s, "}}");
    let threats: [(&str, &str, &str, &str, &str); 4] = [
        (
            "T01",
            "Insider exfiltrates restricted records",
            "insider",
            "01, 03",
            "exports",
        ),
        (
            "T02",
            "Partner feed poisons the event ledger",
            "third_party",
            "02",
            "ingest",
        ),
        (
            "T03",
            "Cross-tenant read through a mis-scoped query",
            "information_disclosure",
            "01",
            "api",
        ),
        (
            "T04",
            "Policy weakened without review",
            "tampering",
            "04, 03",
            "policy",
        ),
    ];
    for (id, title, category, mitigations, subsystem) in threats {
        let likelihood = rng.pick(&["low", "medium", "high"]);
        let impact = rng.pick(&["medium", "high", "critical"]);
        let mitigated: Vec<String> = mitigations
            .split(", ")
            .map(|m| format!("{c}-{m}"))
            .collect();
        out!(s);
        out!(s, "/// {title}.");
        out!(s, "threat {c}-{id} \"{title}\" {{");
        out!(s, "  subsystem \"{}-{subsystem}\"", d.word);
        out!(s, "  category {category}");
        out!(s, "  likelihood {likelihood} impact {impact}");
        out!(s, "  mitigated by {}", mitigated.join(", "));
        out!(s, "}}");
    }
    s
}
