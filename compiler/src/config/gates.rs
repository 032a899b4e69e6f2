//! The `[gates]` table of charter.toml: a threshold per readiness metric of `charter report`
//! (docs/report.md), and the `[report]` table's settings. A gate is a number or `false` (off);
//! `contracts` is `true` or `false`.

use std::collections::BTreeMap;

use crate::diagnostics::{Diagnostic, codes};
use crate::syntax::Span;

/// How a gate's threshold reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    /// The metric must be at least this percentage (0 to 100).
    MinPercent,
    /// The metric (a count) must be at most this number.
    MaxCount,
    /// On or off: the metric must hold.
    Holds,
}

/// Every gate: its key in `[gates]`, its unit and its default (`None`: off by default).
/// The defaults are the playbook's figures where it gives one (docs/report.md).
pub const GATES: &[(&str, Unit, Option<u32>)] = &[
    ("verdict_propagation", Unit::MinPercent, Some(100)),
    ("provenance", Unit::MinPercent, Some(95)),
    ("policy_tests", Unit::MinPercent, Some(100)),
    ("requirements", Unit::MinPercent, None),
    ("control_evidence", Unit::MinPercent, Some(100)),
    ("evidence_present", Unit::MinPercent, Some(100)),
    ("evidence_stale", Unit::MaxCount, Some(0)),
    ("threats", Unit::MinPercent, None),
    ("unmitigated_high", Unit::MaxCount, Some(0)),
    ("contracts", Unit::Holds, Some(1)),
    ("sunsets_upcoming", Unit::MaxCount, None),
    ("sunsets_past", Unit::MaxCount, Some(0)),
    ("drift", Unit::MaxCount, Some(0)),
];

/// The days ahead in which a sunset is "upcoming", unless `[report] sunset_window_days` says.
pub const DEFAULT_SUNSET_WINDOW_DAYS: u32 = 90;

/// The thresholds, by gate key; `None` is off. Every key of [`GATES`] is present.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Gates {
    pub thresholds: BTreeMap<&'static str, Option<u32>>,
    /// `[report] sunset_window_days`.
    pub sunset_window_days: u32,
}

impl Default for Gates {
    fn default() -> Self {
        Gates {
            thresholds: GATES.iter().map(|(k, _, d)| (*k, *d)).collect(),
            sunset_window_days: DEFAULT_SUNSET_WINDOW_DAYS,
        }
    }
}

impl Gates {
    /// The threshold of `key`: `None` when the gate is off (or not a gate).
    pub fn threshold(&self, key: &str) -> Option<u32> {
        self.thresholds.get(key).copied().flatten()
    }

    /// The unit of `key`.
    pub fn unit(key: &str) -> Option<Unit> {
        GATES.iter().find(|(k, _, _)| *k == key).map(|(_, u, _)| *u)
    }
}

fn invalid(path: &str, span: Span, message: String, help: String) -> Diagnostic {
    Diagnostic::error(codes::E9002, message, path, span).with_help(help)
}

/// Reads `[gates]` (raw TOML values with their spans) and `[report]`; bad values are
/// diagnosed (E9002) and keep their default.
pub(super) fn parse(
    path: &str,
    gates: BTreeMap<String, toml::Spanned<toml::Value>>,
    window: Option<toml::Spanned<i64>>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Gates {
    let mut out = Gates::default();
    for (key, value) in gates {
        let span = Span::from_range(value.span());
        let Some((name, unit, _)) = GATES.iter().find(|(k, _, _)| *k == key) else {
            let known: Vec<&str> = GATES.iter().map(|(k, _, _)| *k).collect();
            let help = match crate::diagnostics::did_you_mean(&key, known.iter().copied()) {
                Some(close) => format!("did you mean `{close}`?"),
                None => format!("the gates are: {}", known.join(", ")),
            };
            diagnostics.push(invalid(path, span, format!("unknown gate `{key}`"), help));
            continue;
        };
        let set = match (unit, value.get_ref()) {
            (_, toml::Value::Boolean(false)) => Some(None),
            (Unit::Holds, toml::Value::Boolean(true)) => Some(Some(1)),
            (Unit::MinPercent, toml::Value::Integer(n)) if (0..=100).contains(n) => {
                u32::try_from(*n).ok().map(Some)
            }
            (Unit::MaxCount, toml::Value::Integer(n)) if *n >= 0 => {
                u32::try_from(*n).ok().map(Some)
            }
            _ => None,
        };
        match set {
            Some(threshold) => {
                out.thresholds.insert(name, threshold);
            }
            None => {
                let help = match unit {
                    Unit::MinPercent => {
                        format!(
                            "write a whole percentage from 0 to 100 (`{name} = 95`), or `false` to turn the gate off"
                        )
                    }
                    Unit::MaxCount => {
                        format!(
                            "write the largest acceptable count (`{name} = 0`), or `false` to turn the gate off"
                        )
                    }
                    Unit::Holds => format!("write `{name} = true` or `{name} = false`"),
                };
                diagnostics.push(invalid(
                    path,
                    span,
                    format!("invalid value for gate `{name}`"),
                    help,
                ));
            }
        }
    }
    if let Some(days) = window {
        match u32::try_from(*days.get_ref()) {
            Ok(n) if n > 0 => out.sunset_window_days = n,
            _ => diagnostics.push(invalid(
                path,
                Span::from_range(days.span()),
                format!("invalid `sunset_window_days` `{}`", days.get_ref()),
                "write a positive number of days, such as `90`".to_string(),
            )),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::{MANIFEST, parse};
    use super::*;

    const BASE: &str = "[package]\nname = \"summit\"\nversion = \"2.1.0\"\n";

    #[test]
    fn defaults_when_absent() {
        let (config, diagnostics) = parse(MANIFEST, BASE);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(config.gates, Gates::default());
        assert_eq!(config.gates.threshold("provenance"), Some(95));
        assert_eq!(config.gates.threshold("requirements"), None);
    }

    #[test]
    fn values_and_off() {
        let text = format!(
            "{BASE}[gates]\nprovenance = 80\ndrift = false\ncontracts = false\nthreats = 50\n[report]\nsunset_window_days = 30\n"
        );
        let (config, diagnostics) = parse(MANIFEST, &text);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(config.gates.threshold("provenance"), Some(80));
        assert_eq!(config.gates.threshold("drift"), None);
        assert_eq!(config.gates.threshold("contracts"), None);
        assert_eq!(config.gates.threshold("threats"), Some(50));
        assert_eq!(config.gates.sunset_window_days, 30);
    }

    #[test]
    fn bad_values_are_diagnosed() {
        let text = format!(
            "{BASE}[gates]\nprovenance = 101\ndrift = -1\ncontracts = 3\nverdict_propogation = 100\npolicy_tests = \"all\"\n[report]\nsunset_window_days = 0\n"
        );
        let (config, diagnostics) = parse(MANIFEST, &text);
        let messages: Vec<&str> = diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "invalid value for gate `contracts`",
                "invalid value for gate `drift`",
                "invalid value for gate `policy_tests`",
                "invalid value for gate `provenance`",
                "unknown gate `verdict_propogation`",
                "invalid `sunset_window_days` `0`",
            ]
        );
        assert!(diagnostics.iter().all(|d| d.code.as_str() == "E9002"));
        assert_eq!(config.gates, Gates::default());
    }
}
