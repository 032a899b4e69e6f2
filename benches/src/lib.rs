//! Deterministic generator of large, realistic Charter workspaces, for benchmarks and for the
//! incremental-reuse tests.
//!
//! A generated workspace is the shared package `atlas.core` (identity model, errors) and any
//! number of domain packages (`atlas.billing`, `atlas.claims`, ..., `atlas.billing2`, ...), each
//! in its own folder with the files a team would write:
//!
//! - `model.charter`: enums, the domain's entity and the actions on it;
//! - `records.charter`: API records (some `with provenance`, some deprecated), referring to the
//!   previous package's records by qualified name;
//! - `contexts.charter`: the request context;
//! - `access.charter`: the access policy (10–50 rules) and its test suite;
//! - `ingest.charter` and `ingest_test.charter`: the provenance policy and, in its own file,
//!   its test suite;
//! - `service.charter`: the HTTP API, guarded by the policies, with a deprecated operation;
//! - `controls.charter`: controls mapped to SOC 2, ISO/IEC 27001, GDPR and HIPAA, and threats.
//!
//! Every generated workspace checks clean: no errors, no warnings (see the tests below).
//! Generation is a pure function of the package count and the seed.

pub mod contracts;
pub mod evolve;
pub mod policies;

use std::fmt::Write as _;

/// The workspace size in lines a divan benchmark runs on: `CHARTER_BENCH_LINES` when set
/// (underscores allowed), else 100,000 under `cargo bench` and 3,000 under
/// `cargo test --benches` (the smoke run).
pub fn bench_lines() -> usize {
    if let Some(n) = std::env::var("CHARTER_BENCH_LINES")
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
    {
        return n;
    }
    if std::env::args().any(|a| a == "--bench") {
        100_000
    } else {
        3_000
    }
}
use std::path::Path;

use charter::config::Config;
use charter::db::{Database, Workspace};
use charter::diagnostics::Diagnostic;
use charter::workspace::{self, Input};

/// Appends one formatted line to a `String` (writing to a `String` cannot fail).
macro_rules! out {
    ($s:expr) => {
        $s.push('\n')
    };
    ($s:expr, $($arg:tt)*) => {{
        let _ = writeln!($s, $($arg)*);
    }};
}

/// The manifest every generated workspace carries.
pub fn manifest() -> String {
    "[package]\n\
     name = \"atlas\"\n\
     version = \"3.4.0\"\n\
     description = \"Atlas health and finance platform: generated benchmark workspace.\"\n\
     \n\
     [build]\n\
     sources = [\"src\"]\n\
     out = \"out\"\n\
     \n\
     [check]\n\
     min_deprecation_window_days = 180\n"
        .to_string()
}

/// The parsed manifest: settings and (no) diagnostics.
pub fn config() -> (Config, Vec<Diagnostic>) {
    workspace::manifest(&manifest())
}

/// The files as workspace inputs (paths relative to the workspace root, as `charter check`
/// names them).
pub fn inputs(files: &[(String, String)]) -> Vec<Input> {
    files
        .iter()
        .map(|(path, text)| Input {
            path: path.clone(),
            text: text.clone(),
        })
        .collect()
}

/// Creates the workspace input in `db`, exactly as `charter check` does after reading the disk.
pub fn load(db: &Database, files: &[(String, String)]) -> Workspace {
    let (config, diagnostics) = config();
    workspace::create(db, config, inputs(files), diagnostics)
}

/// Total number of lines of the files.
pub fn line_count(files: &[(String, String)]) -> usize {
    files.iter().map(|(_, text)| text.lines().count()).sum()
}

/// Writes the workspace (manifest and sources) under `dir`.
pub fn write(dir: &Path, files: &[(String, String)]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("charter.toml"), manifest())?;
    for (path, text) in files {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(target, text)?;
    }
    Ok(())
}

/// A workspace of `core` plus `packages` domain packages.
pub fn generate(packages: usize, seed: u64) -> Vec<(String, String)> {
    let mut files = core_files();
    for i in 0..packages {
        files.extend(package_files(i, seed));
    }
    files
}

/// The smallest workspace (in whole packages) with at least `lines` lines.
pub fn generate_lines(lines: usize, seed: u64) -> Vec<(String, String)> {
    let mut files = core_files();
    let mut total = line_count(&files);
    let mut i = 0;
    while total < lines {
        let package = package_files(i, seed);
        total += line_count(&package);
        files.extend(package);
        i += 1;
    }
    files
}

/// The folder of domain package `i`, such as `src/billing` or `src/claims3`.
pub fn package_dir(i: usize) -> String {
    format!("src/{}", package_name(i))
}

/// The number of domain packages of a workspace made by [`generate`] or [`generate_lines`].
pub fn package_count(files: &[(String, String)]) -> usize {
    files
        .iter()
        .filter(|(path, _)| path.ends_with("/model.charter"))
        .count()
}

/// The name of the summary record of domain package `i`, such as `InvoiceSummary`.
pub fn summary_record(i: usize) -> String {
    format!("{}Summary", domain(i).resource)
}

/// A one-character edit inside the first policy body of `text`: one letter of the first rule's
/// `because` reason changes case. No signature changes, and the file still checks clean.
pub fn edit_policy_body(text: &str) -> Option<String> {
    let policy = text.find("\npolicy ")?;
    let because = policy + text.get(policy..)?.find("because \"")? + "because \"".len();
    let c = text.get(because..)?.chars().next()?;
    let flipped = if c.is_ascii_lowercase() {
        c.to_ascii_uppercase()
    } else if c.is_ascii_uppercase() {
        c.to_ascii_lowercase()
    } else {
        return None;
    };
    let mut edited = String::with_capacity(text.len());
    edited.push_str(text.get(..because)?);
    edited.push(flipped);
    edited.push_str(text.get(because + c.len_utf8()..)?);
    Some(edited)
}

/// A signature-changing edit: adds an optional field to `record {name} {`. The workspace still
/// checks clean.
pub fn edit_add_field(text: &str, record: &str) -> Option<String> {
    let header = format!("record {record} {{");
    let at = text.find(&header)? + header.len();
    let mut edited = String::with_capacity(text.len() + 80);
    edited.push_str(text.get(..at)?);
    edited.push_str("\n  /// A note added by the signature-edit benchmark.\n  bench_note: string?");
    edited.push_str(text.get(at..)?);
    Some(edited)
}

// ------------------------------------------------------------------------------------------
// Randomness: SplitMix64, so output is identical on every platform and Rust version.

pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64, stream: u64) -> Self {
        let mut rng = Rng(seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        rng.next();
        rng
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`0` when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        usize::try_from(self.next() % (n as u64)).unwrap_or(0)
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi.saturating_sub(lo) + 1)
    }

    /// True with probability `num / den`.
    fn chance(&mut self, num: usize, den: usize) -> bool {
        self.below(den) < num
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        let i = self.below(items.len());
        items.get(i).copied().unwrap_or_default()
    }

    /// `n` distinct items, in their original order.
    fn sample<'a>(&mut self, items: &[&'a str], n: usize) -> Vec<&'a str> {
        let mut chosen: Vec<usize> = Vec::new();
        while chosen.len() < n.min(items.len()) {
            let i = self.below(items.len());
            if !chosen.contains(&i) {
                chosen.push(i);
            }
        }
        chosen.sort_unstable();
        chosen
            .iter()
            .filter_map(|&i| items.get(i).copied())
            .collect()
    }
}

// ------------------------------------------------------------------------------------------
// Domains.

struct Domain {
    /// Package and folder word.
    word: &'static str,
    /// The governed entity, PascalCase.
    resource: &'static str,
    /// The entity in snake_case, for operation names.
    snake: &'static str,
    /// The entity in prose.
    prose: &'static str,
    /// The collection's URL segment.
    plural: &'static str,
    /// Prefix of control and threat ids.
    prefix: &'static str,
    /// The owning team.
    team: &'static str,
}

const DOMAINS: &[Domain] = &[
    Domain {
        word: "billing",
        resource: "Invoice",
        snake: "invoice",
        prose: "invoice",
        plural: "invoices",
        prefix: "BIL",
        team: "Finance Engineering",
    },
    Domain {
        word: "claims",
        resource: "Claim",
        snake: "claim",
        prose: "claim",
        plural: "claims",
        prefix: "CLM",
        team: "Claims Platform",
    },
    Domain {
        word: "ledger",
        resource: "Journal",
        snake: "journal",
        prose: "journal",
        plural: "journals",
        prefix: "LED",
        team: "Finance Engineering",
    },
    Domain {
        word: "payments",
        resource: "Payment",
        snake: "payment",
        prose: "payment",
        plural: "payments",
        prefix: "PAY",
        team: "Payments",
    },
    Domain {
        word: "catalog",
        resource: "Dataset",
        snake: "dataset",
        prose: "dataset",
        plural: "datasets",
        prefix: "CAT",
        team: "Data Platform",
    },
    Domain {
        word: "imaging",
        resource: "Study",
        snake: "study",
        prose: "imaging study",
        plural: "studies",
        prefix: "IMG",
        team: "Clinical Systems",
    },
    Domain {
        word: "pharmacy",
        resource: "Prescription",
        snake: "prescription",
        prose: "prescription",
        plural: "prescriptions",
        prefix: "RX",
        team: "Clinical Systems",
    },
    Domain {
        word: "lab",
        resource: "Specimen",
        snake: "specimen",
        prose: "specimen",
        plural: "specimens",
        prefix: "LAB",
        team: "Clinical Systems",
    },
    Domain {
        word: "consent",
        resource: "ConsentRecord",
        snake: "consent_record",
        prose: "consent record",
        plural: "consents",
        prefix: "CON",
        team: "Privacy Engineering",
    },
    Domain {
        word: "scheduling",
        resource: "Appointment",
        snake: "appointment",
        prose: "appointment",
        plural: "appointments",
        prefix: "SCH",
        team: "Patient Experience",
    },
    Domain {
        word: "inventory",
        resource: "StockItem",
        snake: "stock_item",
        prose: "stock item",
        plural: "stock-items",
        prefix: "INV",
        team: "Supply Chain",
    },
    Domain {
        word: "shipping",
        resource: "Shipment",
        snake: "shipment",
        prose: "shipment",
        plural: "shipments",
        prefix: "SHP",
        team: "Supply Chain",
    },
    Domain {
        word: "pricing",
        resource: "PriceList",
        snake: "price_list",
        prose: "price list",
        plural: "price-lists",
        prefix: "PRC",
        team: "Revenue",
    },
    Domain {
        word: "reporting",
        resource: "Report",
        snake: "report",
        prose: "report",
        plural: "reports",
        prefix: "RPT",
        team: "Analytics",
    },
    Domain {
        word: "support",
        resource: "Case",
        snake: "support_case",
        prose: "support case",
        plural: "cases",
        prefix: "SUP",
        team: "Customer Support",
    },
    Domain {
        word: "people",
        resource: "Employee",
        snake: "employee",
        prose: "employee record",
        plural: "employees",
        prefix: "HR",
        team: "People Systems",
    },
    Domain {
        word: "contracts",
        resource: "Contract",
        snake: "contract",
        prose: "contract",
        plural: "contracts",
        prefix: "CTR",
        team: "Legal Engineering",
    },
    Domain {
        word: "vendors",
        resource: "Vendor",
        snake: "vendor",
        prose: "vendor record",
        plural: "vendors",
        prefix: "VND",
        team: "Procurement",
    },
    Domain {
        word: "telemetry",
        resource: "MetricStream",
        snake: "metric_stream",
        prose: "metric stream",
        plural: "metric-streams",
        prefix: "TEL",
        team: "Observability",
    },
    Domain {
        word: "accounts",
        resource: "Account",
        snake: "account",
        prose: "account",
        plural: "accounts",
        prefix: "ACC",
        team: "Identity",
    },
];

impl Domain {
    /// The entity's plural in prose, such as `price lists`.
    fn many(&self) -> String {
        self.plural.replace('-', " ")
    }
}

fn domain(i: usize) -> &'static Domain {
    let n = DOMAINS.len();
    DOMAINS.get(i % n).unwrap_or(&DOMAINS_FALLBACK)
}

const DOMAINS_FALLBACK: Domain = Domain {
    word: "misc",
    resource: "Item",
    snake: "item",
    prose: "item",
    plural: "items",
    prefix: "MSC",
    team: "Platform",
};

fn package_name(i: usize) -> String {
    let round = i / DOMAINS.len();
    if round == 0 {
        domain(i).word.to_string()
    } else {
        format!("{}{}", domain(i).word, round + 1)
    }
}

fn package_path(i: usize) -> String {
    format!("atlas.{}", package_name(i))
}

// ------------------------------------------------------------------------------------------
// The shared package.

fn core_files() -> Vec<(String, String)> {
    let mut identity = String::new();
    let s = &mut identity;
    out!(
        s,
        "// Atlas's shared identity model: who acts, and how sensitive what they touch is."
    );
    out!(s, "package atlas.core");
    out!(s);
    out!(s, "/// A tenant identifier, such as `t-acme`.");
    out!(
        s,
        "type TenantId = string matching \"^t-[a-z0-9-]{{3,32}}$\""
    );
    out!(s);
    out!(
        s,
        "/// Roles a person holds within their tenant. A person may hold several."
    );
    out!(s, "enum Role {{");
    for (role, doc) in [
        ("analyst", "Reads and queries data."),
        ("engineer", "Builds and operates services and pipelines."),
        ("steward", "Owns data: approves exports and deletions."),
        (
            "admin",
            "Administers a tenant: roles, keys, break-glass access.",
        ),
        ("auditor", "Reads audit logs and evidence; changes nothing."),
        (
            "support",
            "Works customer cases with read access to what the case covers.",
        ),
    ] {
        out!(s, "  /// {doc}");
        out!(s, "  {role}");
    }
    out!(s, "}}");
    out!(s);
    out!(
        s,
        "/// How sensitive data is. Ordered, so policies compare levels: `public` < `restricted`."
    );
    out!(s, "ordered enum Sensitivity {{");
    for (level, doc) in [
        ("public", "May be published."),
        ("internal", "Anyone in the tenant may see it."),
        (
            "confidential",
            "Need-to-know within the tenant; personal data lives here at the least.",
        ),
        (
            "restricted",
            "Regulated data (PHI, payment data): never leaves its tenant or region without review.",
        ),
    ] {
        out!(s, "  /// {doc}");
        out!(s, "  {level}");
    }
    out!(s, "}}");
    out!(s);
    out!(
        s,
        "/// Where a workload runs, from least to most protected."
    );
    out!(s, "ordered enum Environment {{");
    for (env, doc) in [
        ("development", "Developer sandboxes; synthetic data only."),
        (
            "staging",
            "Pre-production; mirrors production configuration.",
        ),
        ("production", "Customer data and customer traffic."),
    ] {
        out!(s, "  /// {doc}");
        out!(s, "  {env}");
    }
    out!(s, "}}");
    out!(s);
    out!(
        s,
        "/// A person signed in through the corporate identity provider."
    );
    out!(s, "entity User {{");
    for (field, ty, doc) in [
        (
            "id",
            "string",
            "Stable subject id from the identity provider.",
        ),
        ("tenant", "TenantId", "The tenant the person belongs to."),
        ("roles", "set<Role>", "Roles granted in that tenant."),
        (
            "clearance",
            "Sensitivity",
            "The most sensitive level the person is cleared for.",
        ),
        (
            "department",
            "string",
            "The person's department, such as `finance`.",
        ),
        (
            "contractor",
            "bool",
            "Whether the person is a contractor rather than an employee.",
        ),
    ] {
        out!(s, "  /// {doc}");
        out!(s, "  {field}: {ty}");
    }
    out!(s, "}}");
    out!(s);
    out!(
        s,
        "/// A workload identity: a pipeline, job or service, named by its SPIFFE id."
    );
    out!(s, "entity Workload {{");
    for (field, ty, doc) in [
        (
            "id",
            "string matching \"^spiffe://\"",
            "SPIFFE id, such as `spiffe://atlas.internal/ns/ingest/sa/loader`.",
        ),
        ("tenant", "TenantId", "The tenant the workload acts for."),
        (
            "environment",
            "Environment",
            "The environment the workload runs in.",
        ),
        (
            "attested",
            "bool",
            "Whether the workload presented a valid attestation at start-up.",
        ),
        ("team", "string", "The owning team's short name."),
    ] {
        out!(s, "  /// {doc}");
        out!(s, "  {field}: {ty}");
    }
    out!(s, "}}");

    let mut errors = String::new();
    let s = &mut errors;
    out!(s, "// Errors every Atlas API returns.");
    out!(s, "package atlas.core");
    out!(s);
    out!(
        s,
        "/// An RFC 9457 problem document, returned with every 4xx and 5xx."
    );
    out!(s, "record Problem {{");
    for (field, ty, doc) in [
        ("type", "string", "A URI identifying the problem type."),
        ("title", "string", "A short summary of the problem type."),
        ("status", "int in 400..599", "The HTTP status code."),
        ("detail", "string?", "An explanation of this occurrence."),
        (
            "rule_id",
            "string?",
            "The policy rule that denied the request, when a policy did.",
        ),
        (
            "trace_id",
            "string?",
            "The distributed-tracing id of the failed request.",
        ),
    ] {
        out!(s, "  /// {doc}");
        out!(s, "  {field}: {ty}");
    }
    out!(s, "}}");
    vec![
        ("src/core/errors.charter".to_string(), errors),
        ("src/core/identity.charter".to_string(), identity),
    ]
}

// ------------------------------------------------------------------------------------------
// One domain package.

fn package_files(i: usize, seed: u64) -> Vec<(String, String)> {
    let d = domain(i);
    let pkg = package_path(i);
    let dir = package_dir(i);
    let mut rng = Rng::new(seed, i as u64);
    let upstream = i.checked_sub(1);
    let linked = if i >= 2 { Some(i / 2) } else { None };
    let access = policy(&mut rng, d, &pkg, Kind::Access);
    let ingest = policy(&mut rng, d, &pkg, Kind::Ingest);
    vec![
        (format!("{dir}/access.charter"), access),
        (format!("{dir}/contexts.charter"), contexts(d, &pkg)),
        (
            format!("{dir}/controls.charter"),
            controls(&mut rng, d, &pkg),
        ),
        (format!("{dir}/ingest.charter"), ingest),
        (format!("{dir}/ingest_test.charter"), ingest_tests(d, &pkg)),
        (format!("{dir}/model.charter"), model(d, &pkg)),
        (format!("{dir}/records.charter"), records(d, &pkg, upstream)),
        (
            format!("{dir}/service.charter"),
            service(&mut rng, d, &pkg, i, linked),
        ),
    ]
}

fn model(d: &Domain, pkg: &str) -> String {
    let r = d.resource;
    let mut s = String::new();
    out!(
        s,
        "// {}: the {} model — what is governed, and who acts on it.",
        d.team,
        d.prose
    );
    out!(s, "package {pkg}");
    out!(s);
    out!(
        s,
        "use atlas.core.{{User, Workload, Sensitivity, TenantId}}"
    );
    out!(s);
    out!(s, "/// Lifecycle of a {}.", d.prose);
    out!(s, "enum {r}Status {{");
    for (v, doc) in [
        (
            "draft",
            "Being prepared; not visible outside the owning team.",
        ),
        ("active", "In use."),
        (
            "suspended",
            "Temporarily frozen while an issue is investigated.",
        ),
        ("archived", "Kept for retention only; read-only."),
    ] {
        out!(s, "  /// {doc}");
        out!(s, "  {v}");
    }
    out!(s, "}}");
    out!(s);
    out!(
        s,
        "/// Service tier of the customer a {} belongs to, from least to most protected.",
        d.prose
    );
    out!(s, "ordered enum Tier {{");
    for (v, doc) in [
        ("bronze", "Self-service customers."),
        ("silver", "Customers with a support contract."),
        ("gold", "Customers with a dedicated account team."),
        (
            "platinum",
            "Regulated customers with contractual audit rights.",
        ),
    ] {
        out!(s, "  /// {doc}");
        out!(s, "  {v}");
    }
    out!(s, "}}");
    out!(s);
    out!(s, "/// A {} as the policies see it.", d.prose);
    out!(s, "entity {r} {{");
    for (field, ty, doc) in [
        ("id", "string".to_string(), "Stable id."),
        ("tenant", "TenantId".to_string(), "The owning tenant."),
        ("owner", "string".to_string(), "The accountable person."),
        ("sensitivity", "Sensitivity".to_string(), "Classification."),
        (
            "region",
            "string".to_string(),
            "The region the data is stored in.",
        ),
        ("status", format!("{r}Status"), "Lifecycle state."),
        ("tier", "Tier".to_string(), "The customer's service tier."),
        (
            "contains_pii",
            "bool".to_string(),
            "Whether it holds personal data.",
        ),
        (
            "legal_hold",
            "bool".to_string(),
            "Whether legal has frozen it.",
        ),
        (
            "retention_days",
            "int in 0..".to_string(),
            "How long it is kept after closure.",
        ),
        (
            "risk_score",
            "int?".to_string(),
            "The fraud and abuse score, once scored.",
        ),
    ] {
        out!(s, "  /// {doc}");
        out!(s, "  {field}: {ty}");
    }
    out!(s, "}}");
    out!(s);
    out!(s, "/// What people do with {}.", d.many());
    out!(
        s,
        "action read, update, export, delete, approve on {r} by User"
    );
    out!(s);
    out!(s, "/// Pipelines append events to {}.", d.many());
    out!(s, "action ingest on {r} by Workload");
    s
}

fn contexts(d: &Domain, pkg: &str) -> String {
    let mut s = String::new();
    out!(
        s,
        "// Request context for {}: what the gateway knows besides who and what.",
        d.many()
    );
    out!(s, "package {pkg}");
    out!(s);
    out!(s, "use std.provenance.Provenance");
    out!(s, "use atlas.core.Environment");
    out!(s);
    out!(
        s,
        "/// Attributes of a request on a {}, filled in by the gateway.",
        d.prose
    );
    out!(s, "context {}Request {{", d.resource);
    for (field, ty, doc) in [
        (
            "provenance",
            "Provenance?",
            "The provenance envelope of the payload, when the request carries one.",
        ),
        (
            "mfa",
            "bool",
            "Whether the caller completed MFA in the last 12 hours.",
        ),
        (
            "ip_trusted",
            "bool",
            "Whether the request came from an allow-listed network or the mesh.",
        ),
        (
            "ticket",
            "string?",
            "The change or incident ticket the caller cites, such as `CHG-1042`.",
        ),
        (
            "environment",
            "Environment",
            "The environment the request is served in.",
        ),
        (
            "approvals",
            "int in 0..",
            "Distinct approvals on the request, excluding the requester.",
        ),
        (
            "external",
            "bool",
            "Whether data leaves the tenant's own accounts.",
        ),
        (
            "purpose",
            "string?",
            "The documented purpose, required for external recipients.",
        ),
        (
            "session_age_minutes",
            "int in 0..",
            "Minutes since the caller's session started.",
        ),
    ] {
        out!(s, "  /// {doc}");
        out!(s, "  {field}: {ty}");
    }
    out!(s, "}}");
    s
}

fn records(d: &Domain, pkg: &str, upstream: Option<usize>) -> String {
    let r = d.resource;
    let mut s = String::new();
    out!(s, "// The {} API's records.", d.team);
    out!(s, "package {pkg}");
    out!(s);
    out!(s, "use atlas.core.Sensitivity");
    out!(s);
    out!(s, "/// A {} as the API lists it.", d.prose);
    out!(s, "record {r}Summary {{");
    for (field, ty, doc) in [
        ("id", "string".to_string(), "Stable id."),
        ("tenant", "string".to_string(), "The owning tenant."),
        ("name", "string".to_string(), "Display name."),
        ("owner", "string".to_string(), "The accountable person."),
        ("sensitivity", "Sensitivity".to_string(), "Classification."),
        ("status", format!("{r}Status"), "Lifecycle state."),
        ("tier", "Tier".to_string(), "The customer's service tier."),
        ("region", "string".to_string(), "Storage region."),
        (
            "updated_at",
            "timestamp".to_string(),
            "When it last changed.",
        ),
        (
            "labels",
            "list<string> = []".to_string(),
            "Free-form labels.",
        ),
    ] {
        out!(s, "  /// {doc}");
        out!(s, "  {field}: {ty}");
    }
    out!(s, "  /// The id in the system this one replaced.");
    out!(
        s,
        "  @deprecated(since: 2026-03-01, sunset: 2027-06-30, note: \"ids were migrated; use id\")"
    );
    out!(s, "  legacy_id: string?");
    out!(s, "}}");
    out!(s);
    out!(s, "/// Creates a {}.", d.prose);
    out!(s, "record Create{r}Request {{");
    for (field, ty, doc) in [
        ("name", "string", "Display name."),
        ("owner", "string", "The accountable person."),
        ("sensitivity", "Sensitivity", "Classification."),
        ("region", "string", "Storage region."),
        ("tier", "Tier = bronze", "The customer's service tier."),
        (
            "retention_days",
            "int in 0.. = 365",
            "How long it is kept after closure.",
        ),
        ("labels", "list<string> = []", "Free-form labels."),
    ] {
        out!(s, "  /// {doc}");
        out!(s, "  {field}: {ty}");
    }
    out!(s, "}}");
    out!(s);
    out!(
        s,
        "/// Changes a {}; absent fields stay as they are.",
        d.prose
    );
    out!(s, "record Update{r}Request {{");
    for (field, ty, doc) in [
        ("name", "string?".to_string(), "New display name."),
        ("owner", "string?".to_string(), "New accountable person."),
        ("status", format!("{r}Status?"), "New lifecycle state."),
        ("tier", "Tier?".to_string(), "New service tier."),
    ] {
        out!(s, "  /// {doc}");
        out!(s, "  {field}: {ty}");
    }
    out!(s, "}}");
    out!(s);
    out!(s, "/// A page of {}.", d.many());
    out!(s, "record {r}Page {{");
    out!(s, "  /// The items on this page.");
    out!(s, "  items: list<{r}Summary>");
    out!(
        s,
        "  /// Pass as `cursor` to fetch the next page; absent on the last page."
    );
    out!(s, "  next_cursor: string?");
    out!(s, "  /// How many items match in total.");
    out!(s, "  total: int in 0..");
    out!(s, "}}");
    out!(s);
    out!(s, "/// What happened to a {} in one event.", d.prose);
    out!(s, "enum EventKind {{");
    for (v, doc) in [
        ("created", "It was created."),
        ("changed", "Its attributes changed."),
        ("exported", "It left Atlas."),
        ("deleted", "It was deleted."),
    ] {
        out!(s, "  /// {doc}");
        out!(s, "  {v}");
    }
    out!(s, "}}");
    out!(s);
    out!(
        s,
        "/// One change to a {}, chained to its predecessor by hash.",
        d.prose
    );
    out!(s, "record {r}Event with provenance {{");
    for (field, ty, doc) in [
        (
            "event_id",
            "uuid".to_string(),
            "Assigned by the producer; re-sending the same id is idempotent.",
        ),
        (
            &format!("{}_id", d.snake),
            "string".to_string(),
            "The affected item.",
        ),
        ("kind", "EventKind".to_string(), "What happened."),
        ("hash", "bytes".to_string(), "SHA-256 of the payload."),
        (
            "prev_hash",
            "bytes?".to_string(),
            "Hash of the previous event; absent only for the first.",
        ),
        (
            "attributes",
            "map<string, string> = {}".to_string(),
            "Producer-specific attributes, kept verbatim.",
        ),
    ] {
        out!(s, "  /// {doc}");
        out!(s, "  {field}: {ty}");
    }
    if let Some(up) = upstream {
        out!(
            s,
            "  /// The upstream item this event was derived from, if any."
        );
        out!(
            s,
            "  derived_from: {}.{}?",
            package_path(up),
            summary_record(up)
        );
    }
    out!(s, "}}");
    out!(s);
    out!(s, "/// The ledger's acknowledgement of an ingested event.");
    out!(s, "record {r}Receipt with provenance {{");
    for (field, ty, doc) in [
        ("event_id", "uuid", "The acknowledged event."),
        (
            "sequence",
            "int in 0..",
            "Position of the event in its chain.",
        ),
        (
            "chain_hash",
            "bytes",
            "Hash of the chain up to and including this event.",
        ),
        (
            "accepted_at",
            "timestamp",
            "When the ledger committed the event.",
        ),
    ] {
        out!(s, "  /// {doc}");
        out!(s, "  {field}: {ty}");
    }
    out!(s, "}}");
    out!(s);
    out!(s, "/// File formats an export can produce.");
    out!(s, "enum ExportFormat {{");
    out!(s, "  /// Apache Parquet, the default.");
    out!(s, "  parquet");
    out!(s, "  /// Comma-separated values.");
    out!(s, "  csv");
    out!(s, "  /// One JSON object per line.");
    out!(s, "  jsonl");
    out!(s, "}}");
    out!(s);
    out!(s, "/// Where and why a {} should be exported.", d.prose);
    out!(s, "record ExportRequest {{");
    for (field, ty, doc) in [
        (
            "destination",
            "string",
            "Destination URI, such as `s3://acme-analytics/exports/`.",
        ),
        ("destination_region", "string", "The destination's region."),
        (
            "external",
            "bool",
            "Whether the destination is outside the tenant's own accounts.",
        ),
        (
            "purpose",
            "string?",
            "The documented purpose; required for external destinations.",
        ),
        ("format", "ExportFormat = parquet", "The file format."),
    ] {
        out!(s, "  /// {doc}");
        out!(s, "  {field}: {ty}");
    }
    out!(s, "}}");
    out!(s);
    out!(s, "/// An accepted export request.");
    out!(s, "record ExportTicket {{");
    for (field, ty, doc) in [
        ("id", "uuid".to_string(), "Ticket id."),
        (
            &format!("{}_id", d.snake),
            "string".to_string(),
            "The exported item.",
        ),
        (
            "requested_at",
            "timestamp".to_string(),
            "When the request was accepted.",
        ),
        (
            "expires_at",
            "timestamp?".to_string(),
            "When the download link expires, once there is one.",
        ),
    ] {
        out!(s, "  /// {doc}");
        out!(s, "  {field}: {ty}");
    }
    out!(s, "}}");
    out!(s);
    out!(s, "/// A {} in the v1 format.", d.prose);
    out!(
        s,
        "@deprecated(since: 2026-02-01, sunset: 2026-12-31, note: \"returned only by get_{}_v1\")",
        d.snake
    );
    out!(s, "record Legacy{r} {{");
    out!(s, "  /// Stable id.");
    out!(s, "  id: string");
    out!(s, "  /// Display name.");
    out!(s, "  name: string");
    out!(s, "}}");
    s
}

fn service(rng: &mut Rng, d: &Domain, pkg: &str, i: usize, linked: Option<usize>) -> String {
    let r = d.resource;
    let x = d.snake;
    let p = d.plural;
    let access = format!("{}_access", d.word);
    let ingest = format!("{}_ingest", d.word);
    let mut s = String::new();
    out!(s, "// The {} API.", d.team);
    out!(s, "package {pkg}");
    out!(s);
    out!(s, "use atlas.core.Problem");
    out!(s);
    out!(
        s,
        "/// The {} API: {} lifecycle, exports and the event feed.",
        d.team,
        d.prose
    );
    let version = format!("{}.{}.{}", 1 + rng.below(3), rng.below(10), rng.below(5));
    out!(
        s,
        "service {}Api version \"{version}\" at \"/{}\" {{",
        pascal(&package_name(i)),
        package_name(i)
    );
    out!(s, "  /// One {}.", d.prose);
    out!(
        s,
        "  op get_{x} GET \"/v2/{p}/{{id}}\" (id: string) -> {r}Summary"
    );
    out!(s, "    errors {{ 403: Problem, 404: Problem }}");
    out!(s, "    guarded by {access} action read");
    out!(s, "    graphql query");
    out!(s);
    out!(
        s,
        "  /// Search {}; results are filtered to what the caller may read.",
        d.many()
    );
    out!(
        s,
        "  op list_{x}s GET \"/v2/{p}\" (q: string = \"\", status: {r}Status?, limit: int in 1..500 = 50, cursor: string?)"
    );
    out!(s, "    -> {r}Page");
    out!(s, "    errors {{ 400: Problem }}");
    out!(s, "    graphql query");
    out!(s);
    out!(s, "  /// Create a {}.", d.prose);
    out!(
        s,
        "  op create_{x} POST \"/v2/{p}\" (body: Create{r}Request) -> {r}Summary"
    );
    out!(
        s,
        "    errors {{ 400: Problem, 403: Problem, 409: Problem }}"
    );
    out!(s, "    guarded by {access} action update");
    out!(s, "    graphql mutation");
    out!(s);
    out!(s, "  /// Change a {}.", d.prose);
    out!(
        s,
        "  op update_{x} PATCH \"/v2/{p}/{{id}}\" (id: string, body: Update{r}Request) -> {r}Summary"
    );
    out!(
        s,
        "    errors {{ 400: Problem, 403: Problem, 404: Problem }}"
    );
    out!(s, "    guarded by {access} action update");
    out!(s, "    graphql mutation");
    out!(s);
    out!(s, "  /// Approve a {} for release.", d.prose);
    out!(
        s,
        "  op approve_{x} POST \"/v2/{p}/{{id}}/approval\" (id: string) -> {r}Summary"
    );
    out!(s, "    errors {{ 403: Problem, 404: Problem }}");
    out!(s, "    guarded by {access} action approve");
    out!(s);
    out!(
        s,
        "  /// Schedule a {} for deletion after the recovery period.",
        d.prose
    );
    out!(
        s,
        "  op delete_{x} DELETE \"/v2/{p}/{{id}}\" (id: string, ticket: string) -> {r}Summary"
    );
    out!(
        s,
        "    errors {{ 403: Problem, 404: Problem, 423: Problem }}"
    );
    out!(s, "    guarded by {access} action delete");
    out!(s);
    out!(
        s,
        "  /// Request an export; the export worker runs once the policies allow it."
    );
    out!(
        s,
        "  op export_{x} POST \"/v2/{p}/{{id}}/exports\" (id: string, body: ExportRequest) -> ExportTicket"
    );
    out!(
        s,
        "    errors {{ 400: Problem, 403: Problem, 404: Problem }}"
    );
    out!(s, "    guarded by {access} action export");
    out!(s, "    graphql mutation");
    out!(s);
    out!(
        s,
        "  /// Record one event. Rejected without trustworthy provenance."
    );
    out!(
        s,
        "  op ingest POST \"/v2/{p}/events\" (body: {r}Event) -> {r}Receipt"
    );
    out!(s, "    errors {{ 400: Problem, 409: Problem }}");
    out!(s, "    requires provenance");
    out!(s, "    guarded by {ingest} action ingest");
    out!(s);
    out!(s, "  /// Record a batch of events, all or nothing.");
    out!(
        s,
        "  op ingest_batch POST \"/v2/{p}/events/batch\" (body: list<{r}Event>) -> list<{r}Receipt>"
    );
    out!(s, "    errors {{ 400: Problem, 409: Problem }}");
    out!(s, "    requires provenance");
    out!(s, "    guarded by {ingest} action ingest");
    if let Some(l) = linked {
        out!(s);
        out!(
            s,
            "  /// The upstream {} items this {} was derived from.",
            package_name(l),
            d.prose
        );
        out!(
            s,
            "  op upstream_of_{x} GET \"/v2/{p}/{{id}}/upstream\" (id: string) -> list<{}.{}>",
            package_path(l),
            summary_record(l)
        );
        out!(s, "    errors {{ 403: Problem, 404: Problem }}");
        out!(s, "    guarded by {access} action read");
    }
    out!(s);
    out!(s, "  /// The v1 read: no tier, no labels.");
    out!(
        s,
        "  @deprecated(since: 2026-01-15, sunset: 2026-12-31, use: get_{x},"
    );
    out!(
        s,
        "              note: \"v1 lacks tier and labels; call get_{x}\")"
    );
    out!(
        s,
        "  op get_{x}_v1 GET \"/v1/{p}/{{id}}\" (id: string) -> Legacy{r}"
    );
    out!(s, "    errors {{ 404: Problem }}");
    out!(s, "    guarded by {access} action read");
    out!(s, "}}");
    s
}

fn pascal(word: &str) -> String {
    let mut out = String::new();
    let mut upper = true;
    for c in word.chars() {
        if c == '_' || c == '-' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

const SOC2: &[&str] = &[
    "CC6.1", "CC6.2", "CC6.3", "CC6.6", "CC6.7", "CC6.8", "CC7.1", "CC7.2", "CC7.3", "CC8.1",
    "CC5.2", "CC5.3", "CC2.3", "PI1.2", "PI1.3", "C1.1", "C1.2", "A1.2",
];
const ISO: &[&str] = &[
    "A.5.1", "A.5.3", "A.5.14", "A.5.15", "A.5.18", "A.5.21", "A.5.33", "A.8.2", "A.8.3", "A.8.5",
    "A.8.12", "A.8.15", "A.8.26", "A.8.28", "A.8.32",
];
const GDPR: &[&str] = &[
    "32(1)", "32(1)(a)", "32(1)(b)", "32(1)(c)", "32(1)(d)", "32(2)", "32(4)",
];
const HIPAA: &[&str] = &[
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

fn satisfies(rng: &mut Rng) -> String {
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

fn controls(rng: &mut Rng, d: &Domain, pkg: &str) -> String {
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

// ------------------------------------------------------------------------------------------
// Policies.

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Access,
    Ingest,
}

/// One conjunct a generated rule can use. Atoms of one group are never combined, so a rule
/// never compares one attribute with two constants.
struct Atom {
    group: &'static str,
    text: String,
    phrase: String,
    slug: String,
}

fn atom(
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
fn atoms(d: &Domain, kind: Kind) -> Vec<Atom> {
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
fn unique(k: usize, d: &Domain) -> Atom {
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

struct FixedRule {
    doc: &'static str,
    canary: bool,
    effect: &'static str,
    name: &'static str,
    condition: &'static str,
    reason: &'static str,
}

fn fixed_rules(kind: Kind) -> Vec<FixedRule> {
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

fn policy(rng: &mut Rng, d: &Domain, pkg: &str, kind: Kind) -> String {
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

fn user(id: &str, tenant: &str, roles: &str, clearance: &str, d: &Domain) -> String {
    format!(
        "subject User {{ id: \"{id}\", tenant: \"{tenant}\", roles: [{roles}], clearance: {clearance},\n                   department: \"{}\", contractor: false }}",
        d.word
    )
}

fn item(d: &Domain, sensitivity: &str, legal_hold: bool) -> String {
    format!(
        "resource {} {{ id: \"{}-1042\", tenant: \"t-acme\", owner: \"u-stew\", sensitivity: {sensitivity},\n                 region: \"eu-west-1\", status: active, tier: silver, contains_pii: false,\n                 legal_hold: {legal_hold}, retention_days: 30 }}",
        d.resource, d.snake
    )
}

const CONTEXT: &str =
    "environment: production, approvals: 0, external: false, session_age_minutes: 5";

fn access_tests(s: &mut String, d: &Domain, policy: &str) {
    let cases: [(&str, String, String, &str, String, &str); 6] = [
        (
            "member reads within clearance",
            user("u-ana", "t-acme", "analyst", "confidential", d),
            item(d, "internal", false),
            "read",
            format!("context {{ mfa: false, ip_trusted: true, {CONTEXT} }}"),
            "allow by read_within_clearance",
        ),
        (
            "reader above clearance falls to the default",
            user("u-ana", "t-acme", "analyst", "internal", d),
            item(d, "restricted", false),
            "read",
            format!("context {{ mfa: true, ip_trusted: true, {CONTEXT} }}"),
            "deny by default",
        ),
        (
            "a user of another tenant is denied",
            user("u-eve", "t-globex", "analyst, steward", "restricted", d),
            item(d, "internal", false),
            "read",
            format!("context {{ mfa: true, ip_trusted: true, {CONTEXT} }}"),
            "deny by cross_tenant",
        ),
        (
            "auditor reads confidential data",
            user("u-aud", "t-acme", "auditor", "internal", d),
            item(d, "confidential", false),
            "read",
            format!("context {{ mfa: true, ip_trusted: true, {CONTEXT} }}"),
            "allow by auditor_read",
        ),
        (
            "steward changes with MFA",
            user("u-stew", "t-acme", "steward", "restricted", d),
            item(d, "confidential", false),
            "update",
            format!("context {{ mfa: true, ip_trusted: true, ticket: \"CHG-2001\", {CONTEXT} }}"),
            "allow by steward_update",
        ),
        (
            "deletion under legal hold",
            user("u-stew", "t-acme", "steward", "restricted", d),
            item(d, "internal", true),
            "delete",
            format!("context {{ mfa: true, ip_trusted: true, ticket: \"CHG-2002\", {CONTEXT} }}"),
            "deny by legal_hold",
        ),
    ];
    out!(s, "/// Pins the decisions of `{policy}` for GA.");
    out!(s, "test {policy} {{");
    let mut first = true;
    for (name, subject, resource, action, context, expect) in cases {
        if !first {
            out!(s);
        }
        first = false;
        out!(s, "  \"{name}\" {{");
        out!(s, "    {subject}");
        out!(s, "    {resource}");
        out!(s, "    action {action}");
        out!(s, "    {context}");
        out!(s, "    expect {expect}");
        out!(s, "  }}");
    }
    out!(s, "}}");
}

fn ingest_tests(d: &Domain, pkg: &str) -> String {
    let policy = format!("{}_ingest", d.word);
    let workload = |attested: bool| {
        format!(
            "subject Workload {{ id: \"spiffe://atlas.internal/ns/{}/sa/loader\", tenant: \"t-acme\",\n                       environment: production, attested: {attested}, team: \"{}\" }}",
            d.word, d.word
        )
    };
    let provenance = |confidence: &str| {
        format!(
            ",\n              provenance: {{ origin: \"sftp://partner.example/{}\", actor: \"svc-loader\",\n                            timestamp: \"2026-01-01T00:00:00Z\", confidence: {confidence}, simulated: false }}",
            d.plural
        )
    };
    let cases: [(&str, String, String, &str); 5] = [
        (
            "attested loader ingests with provenance",
            workload(true),
            format!("ip_trusted: true{}", provenance("0.9")),
            "allow by attested_ingest",
        ),
        (
            "ingest without provenance",
            workload(true),
            "ip_trusted: true".to_string(),
            "deny by missing_provenance",
        ),
        (
            "low-confidence provenance",
            workload(true),
            format!("ip_trusted: true{}", provenance("0.3")),
            "deny by low_confidence",
        ),
        (
            "unattested workload",
            workload(false),
            format!("ip_trusted: true{}", provenance("0.9")),
            "deny by unattested_workload",
        ),
        (
            "write from outside the mesh",
            workload(true),
            format!("ip_trusted: false{}", provenance("0.9")),
            "deny by default",
        ),
    ];
    let mut s = String::new();
    out!(s, "// Pins the decisions of `{policy}` for GA.");
    out!(s, "package {pkg}");
    out!(s);
    out!(s, "use atlas.core.Workload");
    out!(s);
    out!(s, "/// Pins the decisions of `{policy}` for GA.");
    out!(s, "test {policy} {{");
    let mut first = true;
    for (name, subject, context, expect) in cases {
        if !first {
            out!(s);
        }
        first = false;
        out!(s, "  \"{name}\" {{");
        out!(s, "    {subject}");
        out!(s, "    {}", item(d, "internal", false));
        out!(s, "    action ingest");
        out!(s, "    context {{ mfa: false, {CONTEXT}, {context} }}");
        out!(s, "    expect {expect}");
        out!(s, "  }}");
    }
    out!(s, "}}");
    s
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic,
        reason = "tests"
    )]

    use super::*;

    fn check(files: &[(String, String)]) -> Vec<Diagnostic> {
        let db = Database::default();
        let ws = load(&db, files);
        charter::semantics::diagnostics(&db, ws).clone()
    }

    fn show(diags: &[Diagnostic]) -> String {
        diags
            .iter()
            .take(20)
            .map(|d| format!("{}: {:?} {}\n", d.code.as_str(), d.primary, d.message))
            .collect()
    }

    #[test]
    fn small_workspace_checks_clean() {
        let files = generate(24, 1);
        let diags = check(&files);
        assert!(
            diags.is_empty(),
            "{} diagnostics:\n{}",
            diags.len(),
            show(&diags)
        );
    }

    #[test]
    fn other_seeds_check_clean() {
        for seed in [2, 3, 99] {
            let files = generate(6, seed);
            let diags = check(&files);
            assert!(
                diags.is_empty(),
                "seed {seed}: {} diagnostics:\n{}",
                diags.len(),
                show(&diags)
            );
        }
    }

    #[test]
    fn generation_is_deterministic() {
        assert_eq!(generate(5, 7), generate(5, 7));
        assert_ne!(generate(5, 7), generate(5, 8));
        // A prefix of packages does not depend on how many follow.
        let small = generate(3, 7);
        let big = generate(5, 7);
        assert!(small.iter().all(|f| big.contains(f)));
    }

    #[test]
    fn policies_have_10_to_50_rules() {
        for (path, text) in generate(20, 1) {
            if let Some(start) = text.find("\npolicy ") {
                let body = &text[start..text[start..].find("\n}").unwrap() + start];
                let rules = body
                    .lines()
                    .filter(|l| l.starts_with("  allow ") || l.starts_with("  deny "))
                    .count();
                assert!((10..=50).contains(&rules), "{path}: {rules} rules");
            }
        }
    }

    #[test]
    fn line_target_is_met() {
        let files = generate_lines(5_000, 1);
        let lines = line_count(&files);
        assert!((5_000..6_500).contains(&lines), "{lines}");
    }

    #[test]
    fn edits_keep_the_workspace_clean() {
        let mut files = generate(4, 1);
        let access = format!("{}/access.charter", package_dir(2));
        let records = format!("{}/records.charter", package_dir(1));
        for (path, text) in &mut files {
            if *path == access {
                let edited = edit_policy_body(text).unwrap();
                assert_eq!(edited.len(), text.len());
                assert_eq!(
                    edited
                        .chars()
                        .zip(text.chars())
                        .filter(|(a, b)| a != b)
                        .count(),
                    1
                );
                *text = edited;
            } else if *path == records {
                *text = edit_add_field(text, &summary_record(1)).unwrap();
            }
        }
        let diags = check(&files);
        assert!(diags.is_empty(), "{}", show(&diags));
    }
}
