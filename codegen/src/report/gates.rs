//! Each gate of `[gates]` against its metric.

use charter::config::{GATES, Gates, Unit};
use serde::Serialize;

use super::Report;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GateStatus {
    Pass,
    Fail,
    /// Set to `false` in `[gates]` (or off by default).
    Off,
    /// Its input was not given (`--evidence-root`, `--against`, `--openapi`).
    NotMeasured,
}

impl GateStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            GateStatus::Pass => "pass",
            GateStatus::Fail => "fail",
            GateStatus::Off => "off",
            GateStatus::NotMeasured => "not measured",
        }
    }
}

/// A metric's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Measure {
    /// `numerator / denominator`; an empty denominator counts as 100%.
    Ratio {
        numerator: u64,
        denominator: u64,
    },
    Count {
        count: u64,
    },
    Holds {
        holds: bool,
    },
}

impl Measure {
    /// Whether the measure meets `threshold` read in `unit`.
    fn meets(self, unit: Unit, threshold: u32) -> bool {
        match (self, unit) {
            (
                Measure::Ratio {
                    numerator,
                    denominator,
                },
                _,
            ) => {
                denominator == 0
                    || u128::from(numerator) * 100
                        >= u128::from(threshold) * u128::from(denominator)
            }
            (Measure::Count { count }, _) => count <= u64::from(threshold),
            (Measure::Holds { holds }, _) => holds || threshold == 0,
        }
    }

    /// For people: `12/13 (92.3%)`, `3`, `yes`.
    pub fn text(self) -> String {
        match self {
            Measure::Ratio {
                numerator,
                denominator,
            } => format!(
                "{numerator}/{denominator} ({})",
                percent(numerator, denominator)
            ),
            Measure::Count { count } => count.to_string(),
            Measure::Holds { holds } => if holds { "yes" } else { "no" }.to_string(),
        }
    }
}

/// `92.3%`, rounded down to one decimal (so 99.96% never shows as 100.0%); `100%` when empty.
pub fn percent(numerator: u64, denominator: u64) -> String {
    if denominator == 0 {
        return "100%".to_string();
    }
    let tenths = u128::from(numerator) * 1000 / u128::from(denominator);
    format!("{}.{}%", tenths / 10, tenths % 10)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GateResult {
    /// The key in `[gates]`.
    pub gate: &'static str,
    /// `min_percent`, `max_count` or `holds`.
    pub unit: &'static str,
    /// `None` when off.
    pub threshold: Option<u32>,
    /// `None` when not measured.
    pub value: Option<Measure>,
    pub status: GateStatus,
}

impl GateResult {
    /// The threshold for people: `≥ 95%`, `≤ 0`, `required`, `off`.
    pub fn threshold_text(&self) -> String {
        match (self.threshold, Gates::unit(self.gate)) {
            (None, _) => "off".to_string(),
            (Some(t), Some(Unit::MinPercent)) => format!("≥ {t}%"),
            (Some(t), Some(Unit::MaxCount)) => format!("≤ {t}"),
            (Some(_), _) => "required".to_string(),
        }
    }
}

/// What each gate measures, for people (Markdown: code in backticks); the summary table of
/// the report and the auditor portal's overview.
pub fn metric(gate: &str) -> &'static str {
    match gate {
        "verdict_propagation" => "operations guarded by a policy or declared `@public`",
        "provenance" => "operations carrying provenance that require it",
        "policy_tests" => "policy rules exercised by a test case",
        "requirements" => "requirements covered (lowest mapped framework)",
        "control_evidence" => "controls with evidence",
        "evidence_present" => "evidence items present (`--evidence-root`)",
        "evidence_stale" => "evidence items older than their retention",
        "threats" => "threats mitigated, weighted by risk",
        "unmitigated_high" => "unmitigated high and critical threats",
        "contracts" => "compatible with N-1 (`--against`)",
        "sunsets_upcoming" => "sunsets within the window",
        "sunsets_past" => "sunsets already past",
        "drift" => "differences from served documents (`--openapi`)",
        _ => "",
    }
}

fn unit_name(unit: Unit) -> &'static str {
    match unit {
        Unit::MinPercent => "min_percent",
        Unit::MaxCount => "max_count",
        Unit::Holds => "holds",
    }
}

fn ratio(numerator: u64, denominator: u64) -> Option<Measure> {
    Some(Measure::Ratio {
        numerator,
        denominator,
    })
}

fn count(count: usize) -> Option<Measure> {
    Some(Measure::Count {
        count: count as u64,
    })
}

/// The measure of gate `key`; `None` when not measured.
fn measure(report: &Report, key: &str) -> Option<Measure> {
    let v = &report.verdicts;
    let c = &report.compliance;
    match key {
        "verdict_propagation" => ratio(v.guarded + v.public, v.operations),
        "provenance" => ratio(report.provenance.validated, report.provenance.operations),
        "policy_tests" => ratio(
            report.policy_tests.iter().map(|p| p.exercised).sum(),
            report.policy_tests.iter().map(|p| p.rules).sum(),
        ),
        // The framework with the lowest coverage (exact comparison of fractions).
        "requirements" => c
            .frameworks
            .iter()
            .min_by(|a, b| {
                (u128::from(a.covered) * u128::from(b.requirements))
                    .cmp(&(u128::from(b.covered) * u128::from(a.requirements)))
            })
            .map_or(ratio(0, 0), |f| ratio(f.covered, f.requirements)),
        "control_evidence" => ratio(c.controls_with_evidence, c.controls),
        "evidence_present" => c
            .evidence
            .as_ref()
            .and_then(|e| ratio(e.present, e.declared)),
        "evidence_stale" => c.evidence.as_ref().and_then(|e| count(e.stale.len())),
        "threats" => ratio(report.threats.mitigated_weight, report.threats.weight),
        "unmitigated_high" => count(report.threats.unmitigated_high.len()),
        "contracts" => report
            .contracts
            .compatible
            .map(|holds| Measure::Holds { holds }),
        "sunsets_upcoming" => count(report.contracts.sunsets_upcoming.len()),
        "sunsets_past" => count(report.contracts.sunsets_past.len()),
        "drift" => report.drift.as_ref().map(|d| Measure::Count {
            count: d.differences,
        }),
        _ => None,
    }
}

pub fn evaluate(report: &Report, gates: &Gates) -> Vec<GateResult> {
    GATES
        .iter()
        .map(|(key, unit, _)| {
            let threshold = gates.threshold(key);
            let value = measure(report, key);
            let status = match (threshold, value) {
                (None, _) => GateStatus::Off,
                (Some(_), None) => GateStatus::NotMeasured,
                (Some(t), Some(v)) if v.meets(*unit, t) => GateStatus::Pass,
                (Some(_), Some(_)) => GateStatus::Fail,
            };
            GateResult {
                gate: key,
                unit: unit_name(*unit),
                threshold,
                value,
                status,
            }
        })
        .collect()
}
