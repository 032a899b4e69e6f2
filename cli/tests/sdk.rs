//! `charter build --target sdk-typescript` / `--target sdks` (TypeScript, Go and Python): summit and the hostile workspace
//! build; `--check` finds nothing to change after a build; `--compat` with a folder adds the
//! aliases of renamed declarations. `tsc --strict` on the output runs in tests/sdk (node).

#![expect(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

use std::path::{Path, PathBuf};

mod support;
use support::{charter, stderr};

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)
}

fn build(workspace: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "build",
        workspace.to_str().unwrap(),
        "--target",
        "sdks",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend(extra);
    charter(&args, out.parent().unwrap())
}

#[test]
fn summit_and_hostile_build_and_check_clean() {
    let dir = tempfile::tempdir().unwrap();
    for (name, path) in [
        ("summit", "examples/summit"),
        ("hostile", "tests/sdk/hostile"),
    ] {
        let out = dir.path().join(name);
        let o = build(&repo(path), &out, &[]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(out.join("sdk-typescript/package.json").is_file());
        assert!(out.join("sdk-typescript/src/runtime/client.ts").is_file());
        assert!(out.join("sdk-go/go.mod").is_file());
        assert!(out.join("sdk-go/charter/verdict.go").is_file());
        assert!(out.join("sdk-python/pyproject.toml").is_file());
        let o = build(&repo(path), &out, &["--check"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    let package =
        std::fs::read_to_string(dir.path().join("hostile/sdk-typescript/package.json")).unwrap();
    assert!(package.contains("\"name\": \"@hostile/sdk\""), "{package}");
    assert!(
        package.contains("\"version\": \"1.0.0-beta.1\""),
        "{package}"
    );
    let pyproject =
        std::fs::read_to_string(dir.path().join("hostile/sdk-python/pyproject.toml")).unwrap();
    assert!(
        pyproject.contains("name = \"hostile-sdk\"\n"),
        "{pyproject}"
    );
    assert!(
        dir.path()
            .join("hostile/sdk-python/hostile_sdk/_charter/client.py")
            .is_file()
    );
}

#[test]
fn compat_folder_keeps_renamed_names() {
    let dir = tempfile::tempdir().unwrap();
    let source = "package demo\n\nrecord Item {\n  id: int\n}\n\nservice Shop version \"1.0.0\" {\n  op get_item GET \"/items/{id}\" (id: int) -> Item\n}\n";
    for (side, text) in [
        ("old", source.replace("op get_item", "op fetch")),
        ("new", source.to_string()),
    ] {
        let root = dir.path().join(side);
        std::fs::create_dir_all(root.join("src")).unwrap();
        std::fs::write(
            root.join("charter.toml"),
            "[package]\nname = \"demo\"\nversion = \"1.0.0\"\n[build]\nsources = [\"src\"]\n",
        )
        .unwrap();
        std::fs::write(root.join("src/demo.charter"), text).unwrap();
    }
    let out = dir.path().join("out");
    let old = dir.path().join("old");
    let o = build(
        &dir.path().join("new"),
        &out,
        &["--compat", old.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let demo = std::fs::read_to_string(out.join("sdk-typescript/src/demo.ts")).unwrap();
    assert!(
        demo.contains("  fetch(...args: Parameters<ShopClient[\"getItem\"]>)"),
        "{demo}"
    );
    let python = std::fs::read_to_string(out.join("sdk-python/demo_sdk/demo/__init__.py")).unwrap();
    assert!(python.contains("    def fetch(\n"), "{python}");
    assert!(
        python.contains("        return self.get_item(id=id, headers=headers, timeout=timeout)\n"),
        "{python}"
    );
}
