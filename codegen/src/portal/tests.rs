//! The portal target: snapshots of a small workspace's pages, and unit tests of stable names,
//! the source digest, determinism, links, and hostile text.

use super::site::{digest, slug};
use super::{Portal, PortalOptions, Readiness};
use crate::testing::{model_of, summit_files, text};
use crate::{Options, OutputFile, Target};

const SMALL: &str = r#"// A small workspace for the portal's snapshots.
package hello

use std.frameworks.{soc2}

/// Someone who may greet, or be greeted.
entity Person {
  /// How the person likes to be addressed.
  name: string
  /// Whether the person greets others.
  friendly: bool
}

/// One person greets another.
action greet on Person by Person

/// Who may greet whom: friendly people greet anyone; everyone else keeps quiet.
policy greetings on Person by Person version "0.1.0"
  default deny "only friendly people greet"
{
  /// A friendly person may greet anyone.
  allow friendly
    when action == greet and subject.friendly
    because "friendly people may greet anyone"

  /// Watching strangers, not enforced yet.
  @canary
  deny strangers
    when action == greet and not resource.friendly and subject.name != resource.name
    because "strangers are not greeted"
}

test greetings {
  "Ada greets Grace" {
    subject Person { name: "Ada", friendly: true }
    resource Person { name: "Grace", friendly: false }
    action greet
    expect allow by friendly
  }
}

/// A greeting.
record Greeting {
  text: string
}

/// Greets people.
service Greeter version "1.0.0" at "/greeter" {
  /// Greet someone.
  op greet POST "/v1/greet" (body: Greeting) -> Greeting
    guarded by greetings action greet

  /// The old way.
  @deprecated(since: 2026-01-01, sunset: 2026-07-01, use: greet)
  op hello GET "/v1/hello" () -> Greeting
}

/// Greetings are decided by the policy.
control GR-01 "Every greeting is decided" {
  owner "Team Hello"
  satisfies soc2."CC6.1"
  enforced by greetings
  evidence "audit/ga-evidence/greetings/decisions" retained 30d
}

threat TH-01 "Unwanted greetings" {
  subsystem "greeter"
  category spoofing
  likelihood high
  impact low
  mitigated by GR-01
}

threat TH-02 "Nobody watches the greeter" {
  subsystem "greeter"
  category repudiation
  likelihood medium
  impact critical
}
"#;

fn small() -> (charter::ir::Model, Options) {
    let (mut config, _) = charter::workspace::manifest(
        "[package]\nname = \"hello\"\nversion = \"1.2.0\"\n[build]\nsources = [\"src\"]\n",
    );
    config.name = "hello".into();
    let files = vec![("src/hello.charter".to_string(), SMALL.to_string())];
    let model = model_of(config, files.clone());
    let options = Options {
        portal: PortalOptions {
            sources: files,
            built_with: vec!["portal".into(), "openapi".into()],
            readiness: None,
        },
        ..Options::default()
    };
    (model, options)
}

fn emit(model: &charter::ir::Model, options: &Options) -> Vec<OutputFile> {
    Portal.emit(model, options).unwrap()
}

#[test]
fn small_workspace_pages() {
    let (model, options) = small();
    let files = emit(&model, &options);
    for path in [
        "index.html",
        "policies/hello.greetings.html",
        "controls/hello.gr-01.html",
        "threats/index.html",
        "contracts/index.html",
        "contracts/hello.greeter.html",
        "evidence/index.html",
        "frameworks/soc2/cc6.1.html",
        "assets/search-index.js",
    ] {
        let name = format!("small_{}", path.replace(['/', '.'], "_"));
        insta::assert_snapshot!(name, text(&files, path));
    }
}

#[test]
fn deterministic_and_complete() {
    let (model, options) = small();
    let a = emit(&model, &options);
    let b = emit(&model, &options);
    assert_eq!(a, b);
    let paths: Vec<&str> = a.iter().map(|f| f.path.as_str()).collect();
    let mut sorted = paths.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(paths, sorted, "sorted, no file twice");
    // Every requirement of every framework has its page.
    let requirements: usize = model.frameworks.iter().map(|f| f.requirements.len()).sum();
    let pages = paths.iter().filter(|p| p.matches('/').count() == 2).count();
    assert_eq!(pages, requirements);
}

/// Every relative link of every page leads to a file of the portal (or, for the OpenAPI
/// documents built beside it, out of the portal's folder).
#[test]
fn links_resolve() {
    let (model, options) = small();
    let files = emit(&model, &options);
    let paths: std::collections::BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let mut checked = 0;
    for f in files.iter().filter(|f| f.path.ends_with(".html")) {
        let page = std::str::from_utf8(&f.bytes).unwrap();
        let dir: Vec<&str> = f.path.split('/').collect();
        let dir = &dir[..dir.len() - 1];
        for part in page.split(" href=\"").skip(1) {
            let href = &part[..part.find('"').unwrap()];
            let href = href.split('#').next().unwrap().split('?').next().unwrap();
            if href.is_empty() {
                continue;
            }
            let mut at: Vec<&str> = dir.to_vec();
            let mut outside = false;
            for seg in href.split('/') {
                if seg == ".." {
                    outside |= at.pop().is_none();
                } else {
                    at.push(seg);
                }
            }
            let target = at.join("/");
            if outside {
                assert!(target.starts_with("openapi/"), "{}: {href}", f.path);
            } else {
                assert!(
                    paths.contains(target.as_str()),
                    "{}: {href} -> {target}",
                    f.path
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 500, "{checked}");
}

#[test]
fn conditions_print_as_formatted_and_tests_run() {
    let (model, options) = small();
    let files = emit(&model, &options);
    let page = text(&files, "policies/hello.greetings.html");
    assert!(page.contains("<code>when action == greet and subject.friendly</code>"));
    assert!(page.contains("class=\"rule canary\""));
    assert!(
        page.contains(
            "<strong data-count=\"passed\">2</strong> of <strong data-count=\"cases\">2</strong>"
        ),
        "{page}"
    );
}

/// The small workspace's readiness report for a day: `charter report`'s computation, with the
/// default gates and no evidence folder.
fn readiness(model: &charter::ir::Model, today: &str) -> Readiness {
    let gates = charter::config::Gates::default();
    let inputs = crate::report::Inputs {
        today: charter::literal::Date::parse(today).unwrap(),
        gates: &gates,
        evidence: None,
        contracts: None,
        drift: None,
    };
    Readiness {
        report: crate::report::build(model, &inputs),
        day_from: "SOURCE_DATE_EPOCH",
    }
}

#[test]
fn small_workspace_overview_with_gates() {
    let (model, mut options) = small();
    // After the old operation's sunset: `sunsets_past` fails.
    options.portal.readiness = Some(readiness(&model, "2026-08-01"));
    let files = emit(&model, &options);
    insta::assert_snapshot!("small_index_html_gates", text(&files, "index.html"));
}

#[test]
fn gates_show_each_status_and_the_day() {
    let (model, mut options) = small();
    let without = text(&emit(&model, &options), "index.html").to_string();
    assert!(without.contains("data-gates=\"none\""));
    assert!(!without.contains("data-gate=\""));
    for (today, past) in [("2026-06-01", "pass"), ("2026-08-01", "fail")] {
        let ready = readiness(&model, today);
        let report = ready.report.clone();
        options.portal.readiness = Some(ready);
        let files = emit(&model, &options);
        let page = text(&files, "index.html");
        assert!(page.contains(&format!(
            "<time datetime=\"{today}\" data-today>{today}</time>"
        )));
        assert!(page.contains(&format!(
            "data-gate=\"sunsets_past\" data-status=\"{past}\""
        )));
        // One row per gate of the report, in its order, with the report's status.
        let gates: Vec<&str> = report.gates.iter().map(|g| g.gate).collect();
        assert_eq!(keys(page, "<tr data-gate=\""), gates);
        for g in &report.gates {
            let status = serde_json::to_value(g.status).unwrap();
            let row = format!(
                "data-gate=\"{}\" data-status=\"{}\"",
                g.gate,
                status.as_str().unwrap()
            );
            assert!(page.contains(&row), "{row}");
        }
        // Not measured in a build: contracts and drift, each saying why.
        assert!(page.contains("data-gate=\"contracts\" data-status=\"not_measured\""));
        assert!(page.contains("<code>charter report --against REV</code>"));
        // The coverage figures are still there.
        assert!(page.contains("id=\"covered-total\""));
    }
}

#[test]
fn hostile_text_is_text() {
    let hostile = "</style><script>alert(1)</script>\\\"><img src=x onerror=alert(2)> [a](javascript:alert(3))";
    let (config, files) = summit_files(|path, text| {
        if path.ends_with("governance.charter") {
            text.replacen(
                "\"Policy decision on every data-plane request\"",
                &format!("\"{hostile}\""),
                1,
            )
        } else {
            text
        }
    });
    let model = model_of(config, files.clone());
    let out = emit(&model, &with_sources(files));
    let mut shown = 0;
    for f in out.iter().filter(|f| f.path.ends_with(".html")) {
        let page = std::str::from_utf8(&f.bytes).unwrap();
        for raw in ["<script>", "<img", "</style>", "href=\"javascript"] {
            assert!(!page.contains(raw), "{} carries {raw}", f.path);
        }
        shown += page
            .matches("&lt;/style&gt;&lt;script&gt;alert(1)&lt;/script&gt;\"&gt;&lt;img src=x")
            .count();
    }
    assert!(shown > 3, "the title is shown, escaped ({shown} times)");
}

/// A workspace of `n` controls, each with a policy and an evidence item of its own.
fn long_lists(n: usize) -> (charter::ir::Model, Options) {
    let mut text = String::from(
        "package long\n\nentity Person {\n  friendly: bool\n}\n\naction greet on Person by Person\n",
    );
    for i in 1..=n {
        text.push_str(&format!(
            "\npolicy greet_{i:04} on Person by Person version \"1.0.0\"\n  default deny \"no\"\n{{\n  \
             allow friendly\n    when action == greet and subject.friendly\n    because \"yes\"\n}}\n\
             \ncontrol C-{i:04} \"Control {i}\" {{\n  enforced by greet_{i:04}\n  evidence \
             \"audit/long/c-{i:04}\" retained 30d\n}}\n"
        ));
    }
    let (mut config, _) = charter::workspace::manifest(
        "[package]\nname = \"long\"\nversion = \"1.0.0\"\n[build]\nsources = [\"src\"]\n",
    );
    config.name = "long".into();
    let files = vec![("src/long.charter".to_string(), text)];
    let model = model_of(config, files.clone());
    (model, with_sources(files))
}

/// The options of a portal built from `sources` alone.
fn with_sources(sources: Vec<(String, String)>) -> Options {
    Options {
        portal: PortalOptions {
            sources,
            ..PortalOptions::default()
        },
        ..Options::default()
    }
}

/// The rows of `marker` (`data-control="`) on a page, by their key.
fn keys<'a>(page: &'a str, marker: &str) -> Vec<&'a str> {
    page.split(marker)
        .skip(1)
        .map(|rest| rest.split_once('"').unwrap().0)
        .collect()
}

#[test]
fn long_lists_are_paged() {
    let n = super::page::PAGE_ROWS * 2 + 1;
    let (model, options) = long_lists(n);
    assert_eq!(model.controls.len(), n);
    let files = emit(&model, &options);
    for (folder, marker) in [
        ("controls", "<tr data-control=\""),
        ("policies", "<tr data-policy=\""),
        ("evidence", " data-path=\""),
    ] {
        let mut all = Vec::new();
        for (k, rows) in [(1, 500), (2, 500), (3, 1)] {
            let path = if k == 1 {
                format!("{folder}/index.html")
            } else {
                format!("{folder}/page-{k}.html")
            };
            let page = text(&files, &path);
            let here = keys(page, marker);
            assert_eq!(here.len(), rows, "{path}");
            all.extend(here);
            assert!(page.contains(&format!("page {k} of 3.")), "{path}");
            assert_eq!(page.contains("rel=\"prev\""), k > 1, "{path}");
            assert_eq!(page.contains("rel=\"next\""), k < 3, "{path}");
        }
        let unique: std::collections::BTreeSet<&str> = all.iter().copied().collect();
        assert_eq!(
            (all.len(), unique.len()),
            (n, n),
            "{folder}: every row once"
        );
        assert!(
            !files
                .iter()
                .any(|f| f.path == format!("{folder}/page-4.html")),
            "{folder}: no empty page"
        );
    }
    // A short list has no pager.
    let (model, options) = small();
    let files = emit(&model, &options);
    assert!(!text(&files, "controls/index.html").contains("class=\"pager\""));
}

#[test]
fn page_links_resolve_on_long_lists() {
    let (model, options) = long_lists(super::page::PAGE_ROWS + 1);
    let files = emit(&model, &options);
    let paths: std::collections::BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for f in files
        .iter()
        .filter(|f| f.path.contains("page-") || f.path.ends_with("index.html"))
    {
        let page = std::str::from_utf8(&f.bytes).unwrap();
        let dir = f.path.rsplit_once('/').map_or("", |(d, _)| d);
        for part in page.split("<nav class=\"pager\"").skip(1) {
            let nav = part.split("</nav>").next().unwrap();
            for href in nav.split(" href=\"").skip(1) {
                let href = href.split_once('"').unwrap().0;
                assert!(
                    paths.contains(format!("{dir}/{href}").as_str()),
                    "{}: {href}",
                    f.path
                );
            }
        }
    }
}

#[test]
fn stable_names() {
    assert_eq!(slug("32(1)(b)"), "32-1--b");
    assert_eq!(slug("CC6.1"), "cc6.1");
    assert_eq!(slug("164.312(a)(1)"), "164.312-a--1");
    assert_eq!(slug("../../etc"), "etc");
    assert_eq!(slug("<>"), "page");
    // Two requirements whose names meet in one file name get `_2`.
    let (model, options) = small();
    let site = super::site::Site::new(&model, &options);
    let files: std::collections::BTreeSet<&String> = site.requirement_pages.values().collect();
    assert_eq!(files.len(), site.requirement_pages.len());
}

#[test]
fn digest_covers_paths_and_texts() {
    let a = digest(&[("a".into(), "x".into()), ("b".into(), "y".into())]);
    assert_eq!(
        a,
        digest(&[("b".into(), "y".into()), ("a".into(), "x".into())])
    );
    assert_ne!(
        a,
        digest(&[("a".into(), "xb".into()), ("".into(), "y".into())])
    );
    assert_ne!(
        a,
        digest(&[("a".into(), "x".into()), ("c".into(), "y".into())])
    );
    assert_eq!(a.len(), 64);
}
