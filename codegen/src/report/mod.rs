//! `charter report`: the readiness briefing, computed from the typed model and what the CLI
//! read for it (the evidence folder, the previous revision's contract report, the documents
//! implementations serve). No IO: the CLI (and the auditor portal) pass every input in
//! [`Inputs`] and get a [`Report`], a typed value rendered as Markdown ([`markdown`]) or as
//! versioned JSON ([`json`], `docs/report.md`).
//!
//! Every metric has a gate (`[gates]` in charter.toml, [`charter::config::Gates`]); a gate whose
//! input was not given (no `--evidence-root`, `--against` or `--openapi`) is `not_measured`,
//! a gate set to `false` is `off`; neither fails.

mod contracts;
mod gates;
mod markdown;
mod metrics;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use charter::config::Gates;
use charter::evolution::semver;
use charter::ir::Model;
use charter::literal::Date;
use serde::Serialize;

pub use contracts::{ContractChange, Contracts, Drift, DriftDifference, ServiceDrift, Sunset};
pub use gates::{GateResult, GateStatus, Measure, metric};
pub use markdown::markdown;
pub use metrics::{
    Compliance, EvidenceCheck, FrameworkCoverage, OpRef, PolicyCoverage, Provenance, ProvenanceOp,
    PublicOp, ServiceVerdicts, StaleItem, ThreatRef, Threats, Verdicts,
};

/// The version of the JSON document; it changes only when a field changes meaning or goes away.
pub const FORMAT_VERSION: u32 = 1;

/// What an evidence path holds, as the CLI found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceFound {
    pub exists: bool,
    /// Days since the newest file under the path was modified (`None` when unknown).
    pub age_days: Option<u64>,
}

/// One service's drift, as `charter drift` computes it: the service's qualified name, the
/// document compared and each difference (code, operation, JSON pointer, message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DriftInput {
    pub service: String,
    pub document: String,
    pub differences: Vec<DriftDifference>,
}

/// Everything the report reads besides the model.
#[derive(Debug, Clone)]
pub struct Inputs<'a> {
    /// The day sunsets and evidence ages are measured from.
    pub today: Date,
    pub gates: &'a Gates,
    /// By declared evidence path (`--evidence-root`); `None`: not checked.
    pub evidence: Option<&'a BTreeMap<String, EvidenceFound>>,
    /// The revision compared with (`--against`) and `charter diff`'s report against it.
    pub contracts: Option<(&'a str, &'a semver::Report)>,
    /// Per `--openapi SERVICE=FILE`; `None`: drift not measured.
    pub drift: Option<&'a [DriftInput]>,
}

/// The readiness report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// [`FORMAT_VERSION`].
    pub format_version: u32,
    pub package: String,
    pub version: String,
    pub today: String,
    /// `true` when no gate fails.
    pub passed: bool,
    /// Every gate, in the order of `charter::config::GATES`.
    pub gates: Vec<GateResult>,
    pub verdicts: Verdicts,
    pub provenance: Provenance,
    pub policy_tests: Vec<PolicyCoverage>,
    pub compliance: Compliance,
    pub threats: Threats,
    pub contracts: Contracts,
    /// `None` without `--openapi`.
    pub drift: Option<Drift>,
}

impl Report {
    /// The gates that fail, in order.
    pub fn failed(&self) -> impl Iterator<Item = &GateResult> {
        self.gates.iter().filter(|g| g.status == GateStatus::Fail)
    }
}

/// Computes the report.
pub fn build(model: &Model, inputs: &Inputs<'_>) -> Report {
    // Evaluating every test case is the longest part: it runs beside the rest.
    let (policy_tests, verdicts, provenance) = std::thread::scope(|scope| {
        let tests = scope.spawn(|| metrics::policy_tests(model));
        let verdicts = metrics::verdicts(model);
        let provenance = metrics::provenance(model);
        let tests = tests
            .join()
            .unwrap_or_else(|_| metrics::policy_tests(model));
        (tests, verdicts, provenance)
    });
    let compliance = metrics::compliance(model, inputs.evidence);
    let threats = metrics::threats(model);
    let contracts = contracts::contracts(
        model,
        inputs.contracts,
        inputs.today,
        inputs.gates.sunset_window_days,
    );
    let drift = inputs.drift.map(contracts::drift);
    let mut report = Report {
        format_version: FORMAT_VERSION,
        package: model.package.clone(),
        version: model.version.clone(),
        today: inputs.today.to_string(),
        passed: true,
        gates: Vec::new(),
        verdicts,
        provenance,
        policy_tests,
        compliance,
        threats,
        contracts,
        drift,
    };
    report.gates = gates::evaluate(&report, inputs.gates);
    let passed = report.failed().next().is_none();
    report.passed = passed;
    report
}

/// The report as JSON (`docs/report.md`), pretty-printed, with a final newline.
pub fn json(report: &Report) -> String {
    let mut text = serde_json::to_string_pretty(report).unwrap_or_default();
    text.push('\n');
    text
}
