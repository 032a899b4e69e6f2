//! Controls, threats and framework catalogues.

use std::collections::BTreeMap;

use super::Sig;
use super::check::{FileChecker, Place};
use crate::diagnostics::{codes, suggestion};
use crate::ir::{self, Kind, QualName};
use crate::syntax::{Span, ast};

pub const THREAT_CATEGORIES: &[&str] = &[
    "spoofing",
    "tampering",
    "repudiation",
    "information_disclosure",
    "denial_of_service",
    "elevation_of_privilege",
    "supply_chain",
    "insider",
    "third_party",
    "data_loss",
    "misconfiguration",
];

pub const RATINGS: &[&str] = &["low", "medium", "high", "critical"];

impl FileChecker<'_> {
    pub(super) fn control(&mut self, package: &str, c: &ast::Control) {
        let ann = self.annotations(&c.annotations, Place::Other);
        self.approve(Some(&ann), &QualName::new(package, c.id.name.clone()));
        let mut owner = None;
        let mut mappings: Vec<ir::Mapping> = Vec::new();
        let mut enforced_by = Vec::new();
        let mut evidence = Vec::new();
        let mut owner_span: Option<Span> = None;
        let mut evidence_paths: BTreeMap<String, Span> = BTreeMap::new();
        for clause in &c.clauses {
            match clause {
                ast::ControlClause::Owner(o) => {
                    if let Some(first) = owner_span {
                        let file = self.file;
                        self.error(codes::E4011, "`owner` is given twice", o.span)
                            .label("second owner")
                            .secondary(file, first, "first owner")
                            .help("a control has one owner");
                        continue;
                    }
                    owner_span = Some(o.span);
                    owner = Some(o.value.clone());
                }
                ast::ControlClause::Satisfies(refs) => {
                    for r in refs {
                        if let Some(m) = self.requirement(r)
                            && !mappings.contains(&m)
                        {
                            mappings.push(m);
                        }
                    }
                }
                ast::ControlClause::EnforcedBy(paths) => {
                    for p in paths {
                        match self.scope.resolve(p, &[Kind::Policy], self.file) {
                            super::scope::Resolved::Found(name, site)
                                if site.kind == Kind::Policy =>
                            {
                                if !enforced_by.contains(&name) {
                                    enforced_by.push(name);
                                }
                            }
                            super::scope::Resolved::Found(name, site) => {
                                self.error(
                                    codes::E5004,
                                    format!(
                                        "`{}` is {}, not a policy",
                                        name.name,
                                        site.kind.with_article()
                                    ),
                                    p.span,
                                )
                                .label("`enforced by` names policies")
                                .help("name the policy that enforces this control");
                            }
                            super::scope::Resolved::Missing(mut d) => {
                                d.code = codes::E5004;
                                d.message = format!("`enforced by` names no policy `{}`", p.text());
                                self.push(*d);
                            }
                            super::scope::Resolved::Broken => {}
                        }
                    }
                }
                ast::ControlClause::Evidence {
                    path,
                    category,
                    retained,
                    produced_by,
                    ..
                } => {
                    if let Some(first) = evidence_paths.get(&path.value) {
                        let file = self.file;
                        self.error(
                            codes::E1007,
                            format!("evidence `{}` is listed twice", path.value),
                            path.span,
                        )
                        .label("listed again")
                        .secondary(file, *first, "first listed here")
                        .help("list each evidence path once");
                        continue;
                    }
                    evidence_paths.insert(path.value.clone(), path.span);
                    self.evidence_path(&path.value, path.span);
                    let retention_days = retained.as_ref().and_then(|(text, span)| match crate::literal::duration_days(text) {
                        Some(days) if days > 0 => Some(days),
                        None if too_many_days(text) => {
                            self.error(codes::E5007, format!("retention `{text}` is too large"), *span)
                                .label("more days than a retention can hold")
                                .help(format!(
                                    "the largest retention is {} days ({}w, {}y)",
                                    u64::MAX,
                                    u64::MAX / 7,
                                    u64::MAX / 365
                                ));
                            None
                        }
                        _ => {
                            self.error(codes::E5007, format!("retention `{text}` is not a number of days, weeks or years"), *span)
                                .label("invalid retention")
                                .help("write the retention in days (`365d`), weeks (`52w`) or years (`7y`)");
                            None
                        }
                    });
                    let produced_by = produced_by.as_ref().and_then(|p| match &p.kind {
                        ast::ExprKind::Str(s) => Some(s.clone()),
                        ast::ExprKind::Path(path) => self
                            .resolve_kind(path, &[Kind::Policy])
                            .map(|n| n.to_string()),
                        _ => None,
                    });
                    let retention = retention_days
                        .and(retained.as_ref())
                        .map(|(text, _)| text.clone());
                    evidence.push(ir::Evidence {
                        path: path.value.clone(),
                        category: category.as_ref().map(|c| c.name.to_string()),
                        retention,
                        retention_days,
                        produced_by,
                        loc: self.loc(path.span),
                    });
                }
                ast::ControlClause::Error(_) => {}
            }
        }
        if evidence.is_empty() {
            let d = crate::diagnostics::Diagnostic::warning(
                codes::W5002,
                format!("control `{}` has no evidence", c.id.name),
                self.file,
                c.id.span,
            )
            .with_label("nothing proves this control operates")
            .with_help("add `evidence \"audit/ga-evidence/<category>/<item>\" retained 365d`");
            self.push(d);
        }
        self.model.controls.push(ir::Control {
            name: QualName::new(package, c.id.name.clone()),
            doc: c.doc.clone(),
            title: c
                .title
                .as_ref()
                .map(|t| t.value.clone())
                .unwrap_or_default(),
            owner,
            mappings,
            enforced_by,
            evidence,
            loc: self.loc(c.id.span),
        });
    }

    fn evidence_path(&mut self, path: &str, span: Span) {
        let problem = if path.trim().is_empty() {
            Some("an empty path")
        } else if path.starts_with('/') || path.starts_with('\\') || path.get(1..2) == Some(":") {
            Some("an absolute path")
        } else if path.split(['/', '\\']).any(|p| p == "..") {
            Some("a path that leaves the workspace")
        } else if path.contains('\\') {
            Some("a path with backslashes")
        } else if path.chars().any(char::is_control) || path.contains("//") {
            Some("not a clean relative path")
        } else {
            None
        };
        if let Some(problem) = problem {
            self.error(codes::E5006, format!("evidence path `{path}` is {problem}"), span)
                .label("invalid evidence path")
                .help("write a relative path inside the workspace with `/`, such as \"audit/ga-evidence/governance/decision-logs\"");
        }
    }

    /// Resolves `framework."id"` against the framework's catalogue.
    fn requirement(&mut self, r: &ast::RequirementRef) -> Option<ir::Mapping> {
        let framework = match self
            .scope
            .resolve(&r.framework, &[Kind::Framework], self.file)
        {
            super::scope::Resolved::Found(name, site) if site.kind == Kind::Framework => name,
            super::scope::Resolved::Found(name, site) => {
                self.error(codes::E5001, format!("`{}` is {}, not a framework", name.name, site.kind.with_article()), r.framework.span)
                    .label("not a framework")
                    .help("the frameworks are `soc2`, `iso27001`, `gdpr` and `hipaa` from `std.frameworks`");
                return None;
            }
            super::scope::Resolved::Missing(_) => {
                let text = r.framework.text();
                let known = ["soc2", "iso27001", "gdpr", "hipaa"];
                let help = if known.contains(&text.as_str()) {
                    format!("import it: `use std.frameworks.{text}`").into()
                } else {
                    suggestion(
                        &text,
                        known,
                        "the frameworks are `soc2`, `iso27001`, `gdpr` and `hipaa` from `std.frameworks`",
                    )
                };
                self.error(
                    codes::E5001,
                    format!("unknown framework `{text}`"),
                    r.framework.span,
                )
                .label("not an imported framework")
                .help(help);
                return None;
            }
            super::scope::Resolved::Broken => return None,
        };
        let sig = self.sig(&framework)?;
        let Sig::Framework { requirements } = sig.as_ref() else {
            return None;
        };
        let id = r.id.value.trim();
        if let Some(req) = requirements
            .iter()
            .find(|q| q.id == id || q.aliases.iter().any(|a| a == id))
        {
            return Some(ir::Mapping {
                framework: framework.name.to_string(),
                requirement: req.id.clone(),
            });
        }
        let help = suggestion(
            id,
            requirements.iter().map(|q| q.id.as_str()),
            "check the identifier against the framework catalogue (`std.frameworks`)",
        );
        self.error(
            codes::E5002,
            format!("`{}` has no requirement `{id}`", framework.name),
            r.id.span,
        )
        .label("not in the catalogue")
        .help(help);
        None
    }

    pub(super) fn threat(&mut self, package: &str, t: &ast::Threat) {
        let ann = self.annotations(&t.annotations, Place::Other);
        self.approve(Some(&ann), &QualName::new(package, t.id.name.clone()));
        let mut subsystem = None;
        let mut category = None;
        let mut likelihood = None;
        let mut impact = None;
        let mut mitigated_by = Vec::new();
        let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
        for clause in &t.clauses {
            let (key, span) = match clause {
                ast::ThreatClause::Subsystem(s) => ("subsystem", s.span),
                ast::ThreatClause::Category(i) => ("category", i.span),
                ast::ThreatClause::Likelihood(i) => ("likelihood", i.span),
                ast::ThreatClause::Impact(i) => ("impact", i.span),
                ast::ThreatClause::MitigatedBy(_) => ("mitigated by", Span::default()),
                ast::ThreatClause::Error(s) => ("error", *s),
            };
            if key != "mitigated by" && key != "error" {
                if let Some(first) = seen.get(key) {
                    let file = self.file;
                    self.error(codes::E4011, format!("`{key}` is given twice"), span)
                        .label("repeated clause")
                        .secondary(file, *first, "first given here")
                        .help("keep one");
                    continue;
                }
                seen.insert(key, span);
            }
            match clause {
                ast::ThreatClause::Subsystem(s) => subsystem = Some(s.value.clone()),
                ast::ThreatClause::Category(i) => {
                    category = self.one_of(i, THREAT_CATEGORIES, "threat category")
                }
                ast::ThreatClause::Likelihood(i) => {
                    likelihood = self.one_of(i, RATINGS, "likelihood")
                }
                ast::ThreatClause::Impact(i) => impact = self.one_of(i, RATINGS, "impact"),
                ast::ThreatClause::MitigatedBy(ids) => {
                    for path in ids {
                        let id = path;
                        match self.scope.resolve(path, &[Kind::Control], self.file) {
                            super::scope::Resolved::Found(name, site)
                                if site.kind == Kind::Control =>
                            {
                                if !mitigated_by.contains(&name) {
                                    mitigated_by.push(name);
                                }
                            }
                            super::scope::Resolved::Found(name, site) => {
                                self.error(
                                    codes::E5003,
                                    format!(
                                        "`{}` is {}, not a control",
                                        name.name,
                                        site.kind.with_article()
                                    ),
                                    id.span,
                                )
                                .label("`mitigated by` names controls")
                                .help("name the controls that mitigate this threat");
                            }
                            super::scope::Resolved::Missing(mut d) => {
                                d.code = codes::E5003;
                                d.message = format!("no control `{}`", id.text());
                                d.primary.message =
                                    "`mitigated by` names no such control".to_string();
                                self.push(*d);
                            }
                            super::scope::Resolved::Broken => {}
                        }
                    }
                }
                ast::ThreatClause::Error(_) => {}
            }
        }
        if mitigated_by.is_empty()
            && !t
                .clauses
                .iter()
                .any(|c| matches!(c, ast::ThreatClause::MitigatedBy(_)))
        {
            let d = crate::diagnostics::Diagnostic::warning(
                codes::W5001,
                format!("threat `{}` has no mitigation", t.id.name),
                self.file,
                t.id.span,
            )
            .with_label("no control mitigates this threat")
            .with_help("add `mitigated by CONTROL-ID`, or record why the risk is accepted");
            self.push(d);
        }
        self.model.threats.push(ir::Threat {
            name: QualName::new(package, t.id.name.clone()),
            doc: t.doc.clone(),
            title: t
                .title
                .as_ref()
                .map(|x| x.value.clone())
                .unwrap_or_default(),
            subsystem,
            category,
            likelihood,
            impact,
            mitigated_by,
            loc: self.loc(t.id.span),
        });
    }

    fn one_of(&mut self, i: &ast::Ident, allowed: &[&str], what: &str) -> Option<String> {
        if allowed.contains(&i.name.as_str()) {
            return Some(i.name.to_string());
        }
        let help = suggestion(
            &i.name,
            allowed.iter().copied(),
            &format!("use one of: {}", allowed.join(", ")),
        );
        self.error(
            codes::E5005,
            format!("`{}` is not a valid {what}", i.name),
            i.span,
        )
        .label(format!("unknown {what}"))
        .help(help);
        None
    }

    pub(super) fn framework(&mut self, package: &str, f: &ast::Framework) {
        self.annotations(&f.annotations, Place::Other);
        let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
        let mut requirements = Vec::new();
        for r in &f.requirements {
            if let Some(first) = seen.get(r.id.value.as_str()) {
                let file = self.file;
                self.error(
                    codes::E5008,
                    format!("requirement `{}` is listed twice", r.id.value),
                    r.id.span,
                )
                .label("listed again")
                .secondary(file, *first, "first listed here")
                .help("list each requirement once");
                continue;
            }
            seen.insert(&r.id.value, r.id.span);
            let mut aliases = Vec::new();
            let mut parent = None;
            let mut attributes = Vec::new();
            for (key, value) in &r.attributes {
                match (key.name.as_str(), &value.kind) {
                    ("aliases", ast::ExprKind::List(items)) => {
                        for item in items {
                            if let ast::ExprKind::Str(s) = &item.kind {
                                aliases.push(s.clone());
                            }
                        }
                    }
                    ("parent", ast::ExprKind::Str(s)) => parent = Some(s.clone()),
                    (k, ast::ExprKind::Str(s)) => attributes.push((k.to_string(), s.clone())),
                    (k, ast::ExprKind::Bool(b)) => attributes.push((k.to_string(), b.to_string())),
                    (k, ast::ExprKind::Int(n)) => attributes.push((k.to_string(), n.clone())),
                    (k, _) => {
                        self.error(
                            codes::E5008,
                            format!("catalogue attribute `{k}` must be a string, number or bool"),
                            value.span,
                        )
                        .label("unsupported value")
                        .help("catalogue attributes are plain values");
                    }
                }
            }
            attributes.sort();
            requirements.push(ir::Requirement {
                id: r.id.value.clone(),
                title: r.title.value.clone(),
                aliases,
                parent,
                attributes,
            });
        }
        for r in &requirements {
            if let Some(parent) = &r.parent
                && !requirements.iter().any(|q| &q.id == parent)
            {
                let span = f
                    .requirements
                    .iter()
                    .find(|q| q.id.value == r.id)
                    .map_or(f.name.span, |q| q.id.span);
                self.error(
                    codes::E5008,
                    format!("requirement `{}` names a missing parent `{parent}`", r.id),
                    span,
                )
                .label("unknown parent")
                .help("a parent must be another requirement of the same framework");
            }
        }
        self.model.frameworks.push(ir::Framework {
            name: QualName::new(package, f.name.name.clone()),
            title: f
                .title
                .as_ref()
                .map(|t| t.value.clone())
                .unwrap_or_default(),
            requirements,
        });
    }
}

/// True for a retention in days, weeks or years whose count of days does not fit in 64 bits.
fn too_many_days(text: &str) -> bool {
    let (count, unit) = text.split_at(text.len().saturating_sub(1));
    matches!(unit, "d" | "w" | "y")
        && !count.is_empty()
        && count.bytes().all(|b| b.is_ascii_digit())
        && crate::literal::duration_days(text).is_none()
}
