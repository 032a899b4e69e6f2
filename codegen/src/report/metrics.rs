//! The metrics, each computed from the model (and the inputs the CLI read), rules in
//! docs/report.md.

use std::collections::{BTreeMap, BTreeSet};

use charter::api::reach::operation_types;
use charter::api::{Decl, Dir, Index, Reach};
use charter::ir::{Model, Operation, ParamLocation, Service, Type};
use serde::Serialize;

use super::EvidenceFound;

/// An operation: its service, name, method and full path (the service's base path first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpRef {
    pub service: String,
    pub operation: String,
    pub method: String,
    pub path: String,
}

impl OpRef {
    fn of(service: &Service, op: &Operation) -> OpRef {
        OpRef {
            service: service.name.to_string(),
            operation: op.name.to_string(),
            method: op.method.as_str().to_string(),
            path: format!("{}{}", service.base_path, op.path),
        }
    }
}

/// An operation declared `@public("reason")`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicOp {
    #[serde(flatten)]
    pub op: OpRef,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceVerdicts {
    pub service: String,
    pub operations: u64,
    pub guarded: u64,
    /// Declared exceptions.
    pub public: Vec<PublicOp>,
    /// Silent gaps: neither guarded nor declared public.
    pub unguarded: Vec<OpRef>,
}

/// Verdict propagation: operations guarded by a policy, per service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdicts {
    pub operations: u64,
    pub guarded: u64,
    pub public: u64,
    pub unguarded: u64,
    pub services: Vec<ServiceVerdicts>,
}

pub fn verdicts(model: &Model) -> Verdicts {
    let mut services = Vec::new();
    for service in &model.services {
        let mut s = ServiceVerdicts {
            service: service.name.to_string(),
            operations: 0,
            guarded: 0,
            public: Vec::new(),
            unguarded: Vec::new(),
        };
        for op in &service.ops {
            s.operations += 1;
            match (&op.guard, &op.public) {
                (Some(_), _) => s.guarded += 1,
                (None, Some(reason)) => s.public.push(PublicOp {
                    op: OpRef::of(service, op),
                    reason: reason.clone(),
                }),
                (None, None) => s.unguarded.push(OpRef::of(service, op)),
            }
        }
        services.push(s);
    }
    let sum = |f: fn(&ServiceVerdicts) -> u64| services.iter().map(f).sum::<u64>();
    Verdicts {
        operations: sum(|s| s.operations),
        guarded: sum(|s| s.guarded),
        public: sum(|s| s.public.len() as u64),
        unguarded: sum(|s| s.unguarded.len() as u64),
        services,
    }
}

/// An operation whose request or response reaches a record declared `with provenance`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProvenanceOp {
    #[serde(flatten)]
    pub op: OpRef,
    pub request: bool,
    pub response: bool,
    /// Declared `requires provenance`: the envelope is validated.
    pub validated: bool,
    /// The body or result records without the envelope, which `requires provenance` would
    /// need (E4004): the records that should carry it and do not.
    pub missing_envelope: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Provenance {
    /// Operations that carry provenance-bearing records.
    pub operations: u64,
    /// Of those, the ones that require provenance.
    pub validated: u64,
    pub details: Vec<ProvenanceOp>,
    /// Every record of `missing_envelope`, sorted, once.
    pub missing_envelope: Vec<String>,
}

/// The record a body or result is (through aliases, and a list's element), if it is one.
fn payload_record<'m>(index: &Index<'m>, ty: &'m Type) -> Option<&'m charter::ir::Record> {
    let alias = |n: &charter::ir::QualName| index.alias(n);
    let base = charter::api::index::base(ty, alias);
    let base = match base.unwrap_optional() {
        Type::List(inner) => charter::api::index::base(inner, alias),
        other => other,
    };
    match base.unwrap_optional() {
        Type::Named(name, _) => index.record(name),
        _ => None,
    }
}

pub fn provenance(model: &Model) -> Provenance {
    let index = Index::new(model);
    let carries = |seeds: Vec<(&Type, Dir)>| {
        Reach::walk(&index, seeds)
            .dirs
            .keys()
            .any(|name| matches!(index.get(name), Some(Decl::Record(r)) if r.with_provenance))
    };
    let mut details = Vec::new();
    for service in &model.services {
        for op in &service.ops {
            let types: Vec<(&Type, Dir)> = operation_types(op).collect();
            let request = carries(
                types
                    .iter()
                    .filter(|(_, d)| d.is_request())
                    .copied()
                    .collect(),
            );
            let response = carries(
                types
                    .iter()
                    .filter(|(_, d)| d.is_response())
                    .copied()
                    .collect(),
            );
            if !request && !response {
                continue;
            }
            let mut missing = Vec::new();
            if !op.requires_provenance {
                let body = op.params.iter().find(|p| p.location == ParamLocation::Body);
                for ty in body.map(|p| &p.ty).into_iter().chain(op.result.as_ref()) {
                    if let Some(record) = payload_record(&index, ty)
                        && !record.with_provenance
                    {
                        missing.push(record.name.to_string());
                    }
                }
            }
            missing.sort();
            missing.dedup();
            details.push(ProvenanceOp {
                op: OpRef::of(service, op),
                request,
                response,
                validated: op.requires_provenance,
                missing_envelope: missing,
            });
        }
    }
    let missing_envelope: BTreeSet<String> = details
        .iter()
        .flat_map(|d| d.missing_envelope.iter().cloned())
        .collect();
    Provenance {
        operations: details.len() as u64,
        validated: details.iter().filter(|d| d.validated).count() as u64,
        details,
        missing_envelope: missing_envelope.into_iter().collect(),
    }
}

/// One policy's rules exercised by its test cases (`charter test --coverage`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyCoverage {
    pub policy: String,
    pub cases: u64,
    pub rules: u64,
    pub exercised: u64,
    /// In source order.
    pub never_exercised: Vec<String>,
}

pub fn policy_tests(model: &Model) -> Vec<PolicyCoverage> {
    let policies: BTreeMap<String, &charter::ir::Policy> = model
        .policies
        .iter()
        .map(|p| (p.name.to_string(), p))
        .collect();
    let results: Vec<_> = charter::eval::cases(model)
        .into_iter()
        .filter_map(|case| {
            let policy = policies.get(&case.policy)?;
            let evaluation = charter::eval::evaluate(model, policy, &case.input);
            Some((case, evaluation))
        })
        .collect();
    charter::eval::coverage(model, &results)
        .iter()
        .map(|c| {
            let never: Vec<String> = c.never_exercised().map(str::to_string).collect();
            PolicyCoverage {
                policy: c.policy.name.to_string(),
                cases: c.cases as u64,
                rules: c.rules.len() as u64,
                exercised: (c.rules.len() - never.len()) as u64,
                never_exercised: never,
            }
        })
        .collect()
}

/// One framework the workspace maps to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FrameworkCoverage {
    pub framework: String,
    pub title: String,
    pub covered: u64,
    pub requirements: u64,
}

/// An evidence item older than its retention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaleItem {
    pub path: String,
    pub control: String,
    pub age_days: u64,
    /// As written (`6y`).
    pub retention: String,
    pub retention_days: u64,
}

/// Evidence against the evidence folder (`--evidence-root`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvidenceCheck {
    pub present: u64,
    pub declared: u64,
    /// `path (control)`, sorted.
    pub missing: Vec<String>,
    pub stale: Vec<StaleItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Compliance {
    /// Only the frameworks some control maps to, in crosswalk order.
    pub frameworks: Vec<FrameworkCoverage>,
    pub controls: u64,
    pub controls_with_evidence: u64,
    /// Controls without evidence, by id.
    pub controls_without_evidence: Vec<String>,
    /// Evidence items declared by the controls (one per control and path).
    pub evidence_declared: u64,
    /// `None` without `--evidence-root`.
    pub evidence: Option<EvidenceCheck>,
}

pub fn compliance(model: &Model, found: Option<&BTreeMap<String, EvidenceFound>>) -> Compliance {
    let cw = crate::crosswalk::view::mapped(model);
    let frameworks = cw
        .frameworks
        .iter()
        .map(|f| FrameworkCoverage {
            framework: f.name().to_string(),
            title: f.framework.title.clone(),
            covered: f.covered() as u64,
            requirements: f.total() as u64,
        })
        .collect();
    let mut without: Vec<String> = model
        .controls
        .iter()
        .filter(|c| c.evidence.is_empty())
        .map(|c| c.name.name.to_string())
        .collect();
    without.sort();
    let declared = model.controls.iter().map(|c| c.evidence.len() as u64).sum();
    let evidence = found.map(|found| {
        let mut check = EvidenceCheck {
            present: 0,
            declared,
            missing: Vec::new(),
            stale: Vec::new(),
        };
        for control in &model.controls {
            for e in &control.evidence {
                match found.get(&e.path) {
                    Some(f) if f.exists => {
                        check.present += 1;
                        if let (Some(age), Some(days)) = (f.age_days, e.retention_days)
                            && age > days
                        {
                            check.stale.push(StaleItem {
                                path: e.path.clone(),
                                control: control.name.name.to_string(),
                                age_days: age,
                                retention: e.retention.clone().unwrap_or_default(),
                                retention_days: days,
                            });
                        }
                    }
                    _ => check
                        .missing
                        .push(format!("{} ({})", e.path, control.name.name)),
                }
            }
        }
        check.missing.sort();
        check
            .stale
            .sort_by(|a, b| (&a.path, &a.control).cmp(&(&b.path, &b.control)));
        check
    });
    Compliance {
        frameworks,
        controls: model.controls.len() as u64,
        controls_with_evidence: (model.controls.len() - without.len()) as u64,
        controls_without_evidence: without,
        evidence_declared: declared,
        evidence,
    }
}

/// A threat in the report's lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ThreatRef {
    pub threat: String,
    pub title: String,
    pub likelihood: Option<String>,
    pub impact: Option<String>,
    /// Likelihood × impact (1–16); `None` when a rating is missing.
    pub risk: Option<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Threats {
    pub threats: u64,
    pub mitigated: u64,
    /// The sum of every threat's weight (its risk, 1 when unrated).
    pub weight: u64,
    pub mitigated_weight: u64,
    /// Unmitigated threats whose impact is high or critical, by risk (highest first), then id.
    pub unmitigated_high: Vec<ThreatRef>,
    /// Every other unmitigated threat, in the same order.
    pub unmitigated_other: Vec<ThreatRef>,
}

pub fn threats(model: &Model) -> Threats {
    let entries = crate::threats::entries(model);
    let mut out = Threats {
        threats: entries.len() as u64,
        mitigated: 0,
        weight: 0,
        mitigated_weight: 0,
        unmitigated_high: Vec::new(),
        unmitigated_other: Vec::new(),
    };
    let mut unmitigated = Vec::new();
    for e in &entries {
        let weight = u64::from(e.risk.unwrap_or(1));
        out.weight += weight;
        if e.is_unmitigated() {
            unmitigated.push(e);
        } else {
            out.mitigated += 1;
            out.mitigated_weight += weight;
        }
    }
    unmitigated.sort_by(|a, b| {
        b.risk
            .cmp(&a.risk)
            .then_with(|| a.threat.name.cmp(&b.threat.name))
    });
    for e in unmitigated {
        let t = ThreatRef {
            threat: e.threat.name.name.to_string(),
            title: e.threat.title.clone(),
            likelihood: e.threat.likelihood.clone(),
            impact: e.threat.impact.clone(),
            risk: e.risk,
        };
        if matches!(e.threat.impact.as_deref(), Some("high" | "critical")) {
            out.unmitigated_high.push(t);
        } else {
            out.unmitigated_other.push(t);
        }
    }
    out
}
