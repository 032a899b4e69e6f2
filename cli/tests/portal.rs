//! `charter build --target portal` end to end: the summit portal's footer carries the digest of
//! the workspace's files, two builds give the same bytes, and contract pages link the OpenAPI
//! documents only when they are built together, and the overview's readiness gates are
//! `charter report`'s for the day given (`--today`, else `SOURCE_DATE_EPOCH`; none without a
//! day) (docs/portal.md).

#![expect(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

mod support;
use support::{charter, stderr};

fn summit() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/summit")
}

/// The files of a folder, relative, sorted.
fn files(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(root, &path, out);
        } else {
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, std::fs::read(&path).unwrap()));
        }
    }
    out.sort();
}

fn build(targets: &str, out: &Path) -> Vec<(String, Vec<u8>)> {
    let o = charter(
        &[
            "build",
            summit().to_str().unwrap(),
            "--target",
            targets,
            "--out",
            out.to_str().unwrap(),
        ],
        Path::new("."),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let mut found = Vec::new();
    files(&out.join("portal"), &out.join("portal"), &mut found);
    found
}

#[test]
fn footer_digest_and_determinism() {
    let dir = tempfile::tempdir().unwrap();
    let a = build("portal", &dir.path().join("a"));
    let b = build("portal", &dir.path().join("b"));
    assert_eq!(a, b, "two builds, the same bytes");
    // The digest rule of docs/portal.md, over the workspace's sources and charter.toml.
    let mut sources = Vec::new();
    files(&summit(), &summit().join("src"), &mut sources);
    sources.push((
        "charter.toml".to_string(),
        std::fs::read(summit().join("charter.toml")).unwrap(),
    ));
    sources.sort();
    let mut hasher = Sha256::new();
    for (path, text) in &sources {
        hasher.update(path.as_bytes());
        hasher.update(format!("\n{}\n", text.len()).as_bytes());
        hasher.update(text);
    }
    let digest: String = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let html: Vec<&(String, Vec<u8>)> = a.iter().filter(|(p, _)| p.ends_with(".html")).collect();
    assert!(html.len() > 100);
    for (path, bytes) in html {
        let text = std::str::from_utf8(bytes).unwrap();
        assert!(text.contains(&format!("sha256:{digest}</code>")), "{path}");
        assert!(
            text.contains("<code>2.1.0</code>"),
            "{path}: the workspace version"
        );
    }
}

#[test]
fn openapi_links_only_when_built_together() {
    let dir = tempfile::tempdir().unwrap();
    let page = |files: &[(String, Vec<u8>)]| {
        let (_, bytes) = files
            .iter()
            .find(|(p, _)| p == "contracts/index.html")
            .unwrap();
        String::from_utf8(bytes.clone()).unwrap()
    };
    let alone = page(&build("portal", &dir.path().join("a")));
    assert!(!alone.contains("openapi/"));
    let out = dir.path().join("b");
    let together = page(&build("portal,openapi", &out));
    let href = "../../openapi/Catalog.yaml";
    assert!(together.contains(&format!("href=\"{href}\"")), "{together}");
    assert!(out.join("portal/contracts").join(href).is_file());
}

/// `charter build --target portal` of summit into `out` with extra arguments and
/// `SOURCE_DATE_EPOCH` set or not.
fn build_portal(out: &Path, extra: &[&str], epoch: Option<&str>) -> std::process::Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_charter"));
    command
        .args(["build", summit().to_str().unwrap(), "--target", "portal"])
        .args(["--out", out.to_str().unwrap()])
        .args(extra)
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH");
    if let Some(epoch) = epoch {
        command.env("SOURCE_DATE_EPOCH", epoch);
    }
    command.output().unwrap()
}

/// [`build_portal`]'s overview.
fn overview(out: &Path, extra: &[&str], epoch: Option<&str>) -> String {
    let o = build_portal(out, extra, epoch);
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::read_to_string(out.join("portal/index.html")).unwrap()
}

/// The `(gate, status)` rows of an overview.
fn gate_rows(page: &str) -> Vec<(String, String)> {
    page.split("<tr data-gate=\"")
        .skip(1)
        .map(|row| {
            let (gate, rest) = row.split_once('"').unwrap();
            let status = rest
                .strip_prefix(" data-status=\"")
                .and_then(|r| r.split_once('"'))
                .unwrap()
                .0;
            (gate.to_string(), status.to_string())
        })
        .collect()
}

#[test]
fn the_gates_are_charter_reports_for_the_day_given() {
    let dir = tempfile::tempdir().unwrap();
    // No day: no gates, and the page says how to get them.
    let none = overview(&dir.path().join("none"), &[], None);
    assert!(none.contains("data-gates=\"none\""), "{none}");
    assert!(gate_rows(&none).is_empty());
    // 2027-01-15 13:30 UTC: the day is the UTC day of SOURCE_DATE_EPOCH.
    let epoch = overview(&dir.path().join("epoch"), &[], Some("1800019800"));
    assert!(epoch.contains("<time datetime=\"2027-01-15\" data-today>2027-01-15</time>"));
    assert!(epoch.contains("<code>SOURCE_DATE_EPOCH</code>"));
    // --today says the same day the same way, but for where it came from.
    let today = overview(&dir.path().join("today"), &["--today", "2027-01-15"], None);
    assert_eq!(
        today.replace("<code>--today</code>", "<code>SOURCE_DATE_EPOCH</code>"),
        epoch
    );
    // ... and wins over SOURCE_DATE_EPOCH.
    let both = overview(
        &dir.path().join("both"),
        &["--today", "2027-01-15"],
        Some("0"),
    );
    assert_eq!(both, today);
    // Row by row, `charter report --format json` for the same day.
    let report = charter(
        &[
            "report",
            summit().to_str().unwrap(),
            "--format",
            "json",
            "--today",
            "2027-01-15",
        ],
        Path::new("."),
    );
    let json: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
    let expected: Vec<(String, String)> = json["gates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["gate"].as_str().unwrap().to_string(),
                g["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(gate_rows(&today), expected);
    assert!(expected.iter().any(|(_, s)| s == "fail"), "{expected:?}");
    assert!(expected.iter().any(|(_, s)| s == "pass"), "{expected:?}");
    // Another day, another result: 2026-06-01 is before every sunset.
    let before = overview(&dir.path().join("before"), &["--today", "2026-06-01"], None);
    let past = |page: &str| {
        gate_rows(page)
            .into_iter()
            .find(|(g, _)| g == "sunsets_past")
            .unwrap()
            .1
    };
    assert_eq!(
        (past(&before).as_str(), past(&today).as_str()),
        ("pass", "fail")
    );
}

#[test]
fn a_bad_day_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    for (extra, epoch, code) in [
        (&["--today", "2027-02-30"][..], None, "error[E9009]"),
        (&[][..], Some("yesterday"), "error[E9030]"),
    ] {
        let o = build_portal(&out, extra, epoch);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains(code), "{}", stderr(&o));
        assert!(!out.exists());
    }
}
