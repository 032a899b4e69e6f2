//! `charter build --target portal` end to end: the summit portal's footer carries the digest of
//! the workspace's files, two builds give the same bytes, and contract pages link the OpenAPI
//! documents only when they are built together (docs/portal.md).

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
