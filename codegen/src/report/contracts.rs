//! The contract metrics (N-1 compatibility from `charter diff`'s report, sunsets from the
//! calendar) and drift (`charter drift`'s differences), rules in docs/report.md.

use charter::evolution::{Severity, semver};
use charter::ir::Model;
use charter::literal::Date;
use serde::Serialize;

use super::DriftInput;

/// A breaking (or other) change against N-1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContractChange {
    pub code: String,
    pub severity: String,
    pub path: String,
    pub detail: String,
    /// The `@approved_breaking` reason, when one covers it.
    pub approval: Option<String>,
}

/// A sunset: the deprecated declaration, its kind and date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sunset {
    pub kind: String,
    pub name: String,
    pub sunset: String,
    /// Days from today (negative: past).
    pub days: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contracts {
    /// The revision compared with; `None` without `--against`.
    pub against: Option<String>,
    /// `charter diff`'s verdict: no rule broken. `None` without `--against`.
    pub compatible: Option<bool>,
    pub old_version: Option<String>,
    pub required_bump: Option<String>,
    pub actual_bump: Option<String>,
    pub breaking: Vec<ContractChange>,
    /// Error diagnostics of the rules (E7101–E7104), as `CODE message`.
    pub violations: Vec<String>,
    pub sunset_window_days: u32,
    /// Sunsets within the window (today included), by date.
    pub sunsets_upcoming: Vec<Sunset>,
    /// Sunsets before today, by date.
    pub sunsets_past: Vec<Sunset>,
}

pub fn contracts(
    model: &Model,
    against: Option<(&str, &semver::Report)>,
    today: Date,
    window: u32,
) -> Contracts {
    let now = today.days_since_epoch();
    let mut upcoming = Vec::new();
    let mut past = Vec::new();
    for entry in crate::calendar::entries(model) {
        if entry.event != crate::calendar::Event::Sunset {
            continue;
        }
        let days = entry.date.days_since_epoch() - now;
        let sunset = Sunset {
            kind: entry.kind.as_str().to_string(),
            name: entry.name.clone(),
            sunset: entry.date.to_string(),
            days,
        };
        if days < 0 {
            past.push(sunset);
        } else if days <= i64::from(window) {
            upcoming.push(sunset);
        }
    }
    let mut out = Contracts {
        against: None,
        compatible: None,
        old_version: None,
        required_bump: None,
        actual_bump: None,
        breaking: Vec::new(),
        violations: Vec::new(),
        sunset_window_days: window,
        sunsets_upcoming: upcoming,
        sunsets_past: past,
    };
    if let Some((rev, report)) = against {
        out.against = Some(rev.to_string());
        out.compatible = Some(report.allowed());
        out.old_version = Some(report.old_version.clone());
        out.required_bump = Some(report.required.as_str().to_string());
        out.actual_bump = Some(report.actual.as_str().to_string());
        out.breaking = report
            .changes
            .iter()
            .filter(|c| c.severity() == Severity::Breaking)
            .map(|c| ContractChange {
                code: c.kind.id.to_string(),
                severity: "breaking".to_string(),
                path: c.path.clone(),
                detail: c.detail.clone(),
                approval: c.approval.clone(),
            })
            .collect();
        out.violations = report
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| format!("{} {}", d.code.as_str(), d.message))
            .collect();
    }
    out
}

/// One drift difference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DriftDifference {
    pub code: String,
    pub operation: Option<String>,
    pub pointer: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceDrift {
    pub service: String,
    pub document: String,
    pub differences: Vec<DriftDifference>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Drift {
    pub differences: u64,
    pub services: Vec<ServiceDrift>,
}

pub fn drift(inputs: &[DriftInput]) -> Drift {
    let services: Vec<ServiceDrift> = inputs
        .iter()
        .map(|d| ServiceDrift {
            service: d.service.clone(),
            document: d.document.clone(),
            differences: d.differences.clone(),
        })
        .collect();
    Drift {
        differences: services.iter().map(|s| s.differences.len() as u64).sum(),
        services,
    }
}
