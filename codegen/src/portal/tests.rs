//! The portal target: snapshots of a small workspace's pages, and unit tests of stable names,
//! the source digest, determinism, links, and hostile text.

use super::site::{digest, slug};
use super::{Gate, Portal, PortalOptions};
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
            gates: None,
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

#[test]
fn gates_replace_the_coverage_figures() {
    let (model, mut options) = small();
    options.portal.gates = Some(vec![Gate {
        name: "coverage <b>".into(),
        passed: false,
        detail: "2 of 3".into(),
    }]);
    let files = emit(&model, &options);
    let page = text(&files, "index.html");
    assert!(
        page.contains("<th scope=\"row\">coverage &lt;b&gt;</th><td class=\"fail\">failed</td>")
    );
    assert!(!page.contains("id=\"covered-total\""));
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
    let options = Options {
        portal: PortalOptions {
            sources: files,
            ..PortalOptions::default()
        },
        ..Options::default()
    };
    let out = emit(&model, &options);
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
