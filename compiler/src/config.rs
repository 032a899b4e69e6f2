//! `charter.toml`: the workspace manifest. Pure: text in, settings and diagnostics out.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, codes};
use crate::syntax::Span;

mod gates;

pub use gates::{DEFAULT_SUNSET_WINDOW_DAYS, GATES, Gates, Unit};

pub const MANIFEST: &str = "charter.toml";

/// The settings of one workspace, with defaults filled in.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Config {
    /// The package name, such as `summit`.
    pub name: String,
    /// The package's semantic version.
    pub version: String,
    /// Source folders relative to the workspace root.
    pub sources: Vec<String>,
    /// The output folder relative to the workspace root.
    pub out: String,
    /// `[build] attest`: `charter build` writes a build attestation per target (`--attest`).
    pub attest: bool,
    /// The shortest allowed time between a deprecation and its sunset, in days.
    pub min_deprecation_window_days: u32,
    /// Treat warnings as errors.
    pub deny_warnings: bool,
    /// Coverage gates from `[compliance] require`: each entry's text (`framework:selector`)
    /// and its span in charter.toml. Only entries that are well formed are kept.
    pub required: Vec<(String, Span)>,
    /// The `[sdk]` table: the name and version of the generated SDK packages (default: the
    /// workspace's) and the previous release to keep compatibility shims for.
    pub sdk: SdkConfig,
    /// The `[gates]` table (thresholds of `charter report`) and `[report]` settings.
    pub gates: Gates,
}

/// The `[sdk]` table of charter.toml.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct SdkConfig {
    /// The package name (npm); `None`: the workspace name.
    pub name: Option<String>,
    /// The package version; `None`: the workspace version.
    pub version: Option<String>,
    /// A git revision of the previous release, for compatibility shims.
    pub compat: Option<String>,
    /// The Go SDK's module path (`go_module`); `None`: derived from the package name.
    pub go_module: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            name: "workspace".to_string(),
            version: "0.1.0".to_string(),
            sources: vec![".".to_string()],
            out: "out".to_string(),
            attest: false,
            min_deprecation_window_days: 90,
            deny_warnings: false,
            required: Vec::new(),
            sdk: SdkConfig::default(),
            gates: Gates::default(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    package: RawPackage,
    #[serde(default)]
    build: RawBuild,
    #[serde(default)]
    check: RawCheck,
    #[serde(default)]
    compliance: RawCompliance,
    #[serde(default)]
    sdk: RawSdk,
    #[serde(default)]
    gates: BTreeMap<String, toml::Spanned<toml::Value>>,
    #[serde(default)]
    report: RawReport,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawReport {
    sunset_window_days: Option<toml::Spanned<i64>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawSdk {
    name: Option<toml::Spanned<String>>,
    version: Option<toml::Spanned<String>>,
    compat: Option<String>,
    go_module: Option<toml::Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPackage {
    name: toml::Spanned<String>,
    version: toml::Spanned<String>,
    #[serde(default)]
    description: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawBuild {
    sources: Option<Vec<toml::Spanned<String>>>,
    out: Option<toml::Spanned<String>>,
    attest: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawCheck {
    min_deprecation_window_days: Option<u32>,
    deny_warnings: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawCompliance {
    require: Option<Vec<toml::Spanned<String>>>,
}

/// One `[compliance] require` entry, split: `framework:selector`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gate<'a> {
    pub framework: &'a str,
    pub selector: Selector<'a>,
}

/// Which requirements of a framework a gate selects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector<'a> {
    /// One requirement, by id or alias.
    Id(&'a str),
    /// Every requirement whose id starts with the text before the `*`.
    Prefix(&'a str),
    /// Every requirement with a catalogue attribute (or `parent`) of this value.
    Attribute(&'a str, &'a str),
}

/// Splits a gate entry; `Err` says what is wrong with it.
pub fn gate(entry: &str) -> Result<Gate<'_>, &'static str> {
    let Some((framework, selector)) = entry.split_once(':') else {
        return Err("expected `framework:selector`, such as `soc2:CC6*`");
    };
    let (framework, selector) = (framework.trim(), selector.trim());
    if framework.is_empty() {
        return Err("missing framework before `:`");
    }
    if selector.is_empty() {
        return Err("missing selector after `:`");
    }
    let selector = if let Some((key, value)) = selector.split_once('=') {
        let (key, value) = (key.trim(), value.trim());
        if key.is_empty() || value.is_empty() {
            return Err("an attribute selector is `attribute=value`");
        }
        Selector::Attribute(key, value)
    } else if let Some(prefix) = selector.strip_suffix('*') {
        if prefix.contains('*') {
            return Err("`*` may only end a selector");
        }
        Selector::Prefix(prefix)
    } else if selector.contains('*') {
        return Err("`*` may only end a selector");
    } else {
        Selector::Id(selector)
    };
    Ok(Gate {
        framework,
        selector,
    })
}

/// Parses `charter.toml`. On error the defaults are returned with the diagnostics.
pub fn parse(path: &str, text: &str) -> (Config, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let raw: Raw = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(error) => {
            let span = error.span().map_or(Span::new(0, 0), Span::from_range);
            diagnostics.push(
                Diagnostic::error(codes::E9002, "invalid charter.toml", path, span)
                    .with_label(error.message().to_string())
                    .with_help(
                        "charter.toml needs `[package]` with `name` and `version`; see the language reference",
                    ),
            );
            return (Config::default(), diagnostics);
        }
    };
    let _ = raw.package.description;
    let span = |v: &toml::Spanned<String>| Span::from_range(v.span());
    let mut config = Config {
        name: raw.package.name.get_ref().clone(),
        version: raw.package.version.get_ref().clone(),
        ..Config::default()
    };
    if !is_package_name(&config.name) {
        diagnostics.push(
            Diagnostic::error(
                codes::E9002,
                format!("invalid package name `{}`", config.name),
                path,
                span(&raw.package.name),
            )
            .with_help(
                "a package name is lowercase words separated by dots, such as `summit.lineage`",
            ),
        );
    }
    if crate::literal::Version::parse(&config.version).is_none() {
        diagnostics.push(
            Diagnostic::error(
                codes::E4009,
                format!("invalid version `{}`", config.version),
                path,
                span(&raw.package.version),
            )
            .with_help("use a semantic version such as `1.4.0`"),
        );
    }
    if let Some(sources) = raw.build.sources {
        let mut folders = Vec::new();
        for source in &sources {
            if !is_relative_inside(source.get_ref()) {
                diagnostics.push(
                    Diagnostic::error(
                        codes::E9002,
                        format!("source folder `{}` leaves the workspace", source.get_ref()),
                        path,
                        span(source),
                    )
                    .with_help("list folders relative to the workspace root, without `..`"),
                );
            } else {
                folders.push(source.get_ref().clone());
            }
        }
        config.sources = folders;
    }
    if let Some(out) = raw.build.out {
        let text = out.get_ref();
        if !is_relative_inside(text) || text.trim_matches(['.', '/']).is_empty() {
            diagnostics.push(
                Diagnostic::error(
                    codes::E9002,
                    format!("output folder `{text}` is not a folder inside the workspace"),
                    path,
                    span(&out),
                )
                .with_help("name a folder relative to the workspace root, such as `out`"),
            );
        } else {
            config.out = text.clone();
        }
    }
    if let Some(attest) = raw.build.attest {
        config.attest = attest;
    }
    if let Some(days) = raw.check.min_deprecation_window_days {
        config.min_deprecation_window_days = days;
    }
    if let Some(deny) = raw.check.deny_warnings {
        config.deny_warnings = deny;
    }
    if let Some(version) = &raw.sdk.version
        && crate::literal::Version::parse(version.get_ref()).is_none()
    {
        diagnostics.push(
            Diagnostic::error(
                codes::E4009,
                format!("invalid version `{}`", version.get_ref()),
                path,
                span(version),
            )
            .with_help("use a semantic version such as `1.4.0`"),
        );
    }
    if let Some(name) = &raw.sdk.name
        && !is_npm_name(name.get_ref())
    {
        diagnostics.push(
            Diagnostic::error(
                codes::E9002,
                format!("invalid SDK package name `{}`", name.get_ref()),
                path,
                span(name),
            )
            .with_help("use lowercase letters, digits, `-`, `_`, `.`, optionally scoped: `@acme/summit-sdk`"),
        );
    }
    if let Some(module) = &raw.sdk.go_module
        && !is_go_module_path(module.get_ref())
    {
        diagnostics.push(
            Diagnostic::error(
                codes::E9002,
                format!("invalid Go module path `{}`", module.get_ref()),
                path,
                span(module),
            )
            .with_help("use slash-separated elements of letters, digits, `-`, `.`, `_`, `~`, such as `example.com/acme/summit`"),
        );
    }
    config.sdk = SdkConfig {
        name: raw.sdk.name.map(|n| n.into_inner()),
        version: raw.sdk.version.map(|v| v.into_inner()),
        compat: raw.sdk.compat,
        go_module: raw.sdk.go_module.map(|m| m.into_inner()),
    };
    config.gates = gates::parse(
        path,
        raw.gates,
        raw.report.sunset_window_days,
        &mut diagnostics,
    );
    for entry in raw.compliance.require.unwrap_or_default() {
        match gate(entry.get_ref()) {
            Ok(_) => config
                .required
                .push((entry.get_ref().clone(), span(&entry))),
            Err(problem) => diagnostics.push(
                Diagnostic::error(
                    codes::E9002,
                    format!("invalid coverage requirement `{}`", entry.get_ref()),
                    path,
                    span(&entry),
                )
                .with_label(problem)
                .with_help(
                    "write `framework:selector`: an id (`gdpr:32(1)(b)`), an id prefix (`soc2:CC6*`) or an attribute (`iso27001:theme=Organizational`)",
                ),
            ),
        }
    }
    (config, diagnostics)
}

/// An npm package name: `name` or `@scope/name`, each of lowercase letters, digits, `-`, `_`,
/// `.`, not starting with `.` or `_`, at most 214 characters in all.
/// A Go module path (`go help importpath`, simplified): slash-separated, non-empty elements of
/// ASCII letters, digits, `-`, `.`, `_` and `~`, none starting or ending with a dot.
fn is_go_module_path(path: &str) -> bool {
    path.split('/').all(|element| {
        !element.is_empty()
            && !element.starts_with('.')
            && !element.ends_with('.')
            && element
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~'))
    })
}

fn is_npm_name(name: &str) -> bool {
    let part = |p: &str| {
        !p.is_empty()
            && !p.starts_with(['.', '_'])
            && p.bytes().all(|b| {
                b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.')
            })
    };
    let ok = match name.strip_prefix('@') {
        Some(scoped) => scoped
            .split_once('/')
            .is_some_and(|(scope, rest)| part(scope) && part(rest)),
        None => part(name),
    };
    ok && name.len() <= 214
}

fn is_package_name(name: &str) -> bool {
    !name.is_empty()
        && name.split('.').all(|part| {
            let mut chars = part.chars();
            chars.next().is_some_and(|c| c.is_ascii_lowercase())
                && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        })
}

/// A relative path that stays inside the folder it is relative to.
pub fn is_relative_inside(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.starts_with('\\')
        && !path.contains(':')
        && !path.split(['/', '\\']).any(|part| part == "..")
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "[package]\nname = \"summit\"\nversion = \"2.1.0\"\n";

    #[test]
    fn sdk_defaults_to_nothing() {
        let (config, diagnostics) = parse(MANIFEST, BASE);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(config.sdk, SdkConfig::default());
    }

    #[test]
    fn go_module_paths_are_checked() {
        assert!(is_go_module_path("example.com/acme/summit"));
        assert!(is_go_module_path("summit"));
        for bad in ["", "a//b", "/a", "a/", "a b", "a\nb", ".a", "a."] {
            assert!(!is_go_module_path(bad), "{bad:?}");
        }
    }

    #[test]
    fn sdk_table_is_read() {
        let text = format!(
            "{BASE}[sdk]\nname = \"@acme/summit-sdk\"\nversion = \"3.0.0-rc.1\"\ncompat = \"v2.0.0\"\ngo_module = \"example.com/acme/summit\"\n"
        );
        let (config, diagnostics) = parse(MANIFEST, &text);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(
            config.sdk.go_module.as_deref(),
            Some("example.com/acme/summit")
        );
        let bad = format!("{BASE}[sdk]\ngo_module = \"acme summit\"\n");
        let (_, diagnostics) = parse(MANIFEST, &bad);
        assert!(
            diagnostics
                .iter()
                .any(|d| d.message.contains("invalid Go module path")),
            "{diagnostics:?}"
        );
        assert_eq!(config.sdk.name.as_deref(), Some("@acme/summit-sdk"));
        assert_eq!(config.sdk.version.as_deref(), Some("3.0.0-rc.1"));
        assert_eq!(config.sdk.compat.as_deref(), Some("v2.0.0"));
    }

    #[test]
    fn sdk_name_and_version_are_checked() {
        let text = format!("{BASE}[sdk]\nname = \"Acme SDK\"\nversion = \"three\"\n");
        let (_, diagnostics) = parse(MANIFEST, &text);
        let codes: Vec<&str> = diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["E4009", "E9002"], "{diagnostics:?}");
        let (_, unknown) = parse(MANIFEST, &format!("{BASE}[sdk]\nlanguage = \"ts\"\n"));
        assert_eq!(unknown.len(), 1);
    }

    #[test]
    fn npm_names() {
        for good in ["summit", "@acme/summit", "summit.sdk", "a-b_c"] {
            assert!(is_npm_name(good), "{good}");
        }
        for bad in ["", "Summit", "@acme", "_x", ".x", "a b", "@/x"] {
            assert!(!is_npm_name(bad), "{bad}");
        }
    }
}
