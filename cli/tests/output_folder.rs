//! `charter build`'s output folder (docs/output.md): only folders Charter wrote are replaced,
//! never the workspace root, a source folder or a place a link leads to; leftovers of
//! interrupted builds are removed; `--target rego,rego` builds once; warnings are shown and
//! `--deny-warnings` / `deny_warnings = true` stop the build.

#![expect(clippy::expect_used, reason = "tests fail loudly")]

use std::path::Path;

mod support;
use support::{charter, stderr};

const MANIFEST: &[u8] = b"[package]\nname = \"t\"\nversion = \"0.1.0\"\n";
const GOOD: &[u8] = b"package t\n\nentity User { id: string }\naction read on User by User\n\npolicy p on User by User default deny \"no\" {\n  allow self when subject.id == resource.id because \"self\"\n}\n";

fn workspace(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (path, bytes) in files {
        let full = dir.path().join(path);
        std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
        std::fs::write(full, bytes).expect("write");
    }
    dir
}

fn build(dir: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["build", ".", "--target", "rego"];
    args.extend_from_slice(extra);
    charter(&args, dir)
}

#[test]
fn a_folder_charter_did_not_write_is_refused_unless_forced() {
    let ws = workspace(&[
        ("charter.toml", MANIFEST),
        ("a.charter", GOOD),
        ("out/rego/authz.rego", b"package hand.written\n"),
        ("out/rego/.git/HEAD", b"ref: refs/heads/main\n"),
    ]);
    let out = build(ws.path(), &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let text = stderr(&out);
    assert!(text.contains("refusing to replace"), "{text}");
    assert!(text.contains("out/rego"), "{text}");
    assert!(text.contains("--force"), "{text}");
    assert!(ws.path().join("out/rego/authz.rego").is_file());
    assert!(ws.path().join("out/rego/.git/HEAD").is_file());
    // With --force the folder is replaced, and marked as Charter's from then on.
    let out = build(ws.path(), &["--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!ws.path().join("out/rego/authz.rego").exists());
    assert!(ws.path().join("out/.charter-output.json").is_file());
    let out = build(ws.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn charters_own_folder_is_replaced_but_not_a_file_added_to_it() {
    let ws = workspace(&[("charter.toml", MANIFEST), ("a.charter", GOOD)]);
    let out = build(ws.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = build(ws.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    std::fs::write(ws.path().join("out/rego/notes.md"), b"mine").unwrap();
    let out = build(ws.path(), &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("`notes.md`"), "{}", stderr(&out));
    assert!(ws.path().join("out/rego/notes.md").is_file());
    // A mark that is not JSON marks nothing.
    std::fs::remove_file(ws.path().join("out/rego/notes.md")).unwrap();
    std::fs::write(ws.path().join("out/.charter-output.json"), b"{").unwrap();
    let out = build(ws.path(), &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn the_workspace_root_and_source_folders_are_never_the_output() {
    let ws = workspace(&[
        (
            "charter.toml",
            b"[package]\nname = \"t\"\nversion = \"0.1.0\"\n[build]\nsources = [\"src\"]\n",
        ),
        ("src/a.charter", GOOD),
        ("src/rego/b.charter", b"package t.rego\n"),
    ]);
    for out_dir in [".", "src", "src/gen", "./src/../src"] {
        let out = build(ws.path(), &["--out", out_dir, "--force"]);
        assert_eq!(
            out.status.code(),
            Some(2),
            "--out {out_dir}: {}",
            stderr(&out)
        );
        assert!(
            stderr(&out).contains("error[E9011]: the output folder"),
            "{}",
            stderr(&out)
        );
    }
    assert!(ws.path().join("src/rego/b.charter").is_file());
    assert!(!ws.path().join("rego").exists());
    // With the default `sources = ["."]`, a target folder holding sources is never replaced,
    // even with --force.
    let ws2 = workspace(&[
        ("charter.toml", MANIFEST),
        ("a.charter", GOOD),
        ("gen/rego/b.charter", b"package t.gen.rego\n"),
    ]);
    let out = build(ws2.path(), &["--out", "gen", "--force"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("holds Charter sources"),
        "{}",
        stderr(&out)
    );
    assert!(ws2.path().join("gen/rego/b.charter").is_file());
    // A folder holding the workspace.
    let out = build(ws.path(), &["--out", "..", "--force"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("holds the workspace"),
        "{}",
        stderr(&out)
    );
}

#[cfg(unix)]
#[test]
fn an_output_folder_linked_out_of_the_workspace_is_refused() {
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(elsewhere.path().join("rego")).unwrap();
    std::fs::write(elsewhere.path().join("rego/keep.txt"), b"keep").unwrap();
    let ws = workspace(&[("charter.toml", MANIFEST), ("a.charter", GOOD)]);
    std::os::unix::fs::symlink(elsewhere.path(), ws.path().join("out")).unwrap();
    for extra in [&[][..], &["--force"][..]] {
        let out = build(ws.path(), extra);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(stderr(&out).contains("symbolic link"), "{}", stderr(&out));
    }
    assert!(elsewhere.path().join("rego/keep.txt").is_file());
    // A link to a target folder is not replaced either without --force.
    let ws = workspace(&[("charter.toml", MANIFEST), ("a.charter", GOOD)]);
    std::fs::create_dir_all(ws.path().join("out")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path().join("rego"), ws.path().join("out/rego")).unwrap();
    let out = build(ws.path(), &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(elsewhere.path().join("rego/keep.txt").is_file());
}

#[test]
fn leftovers_of_interrupted_builds_are_removed() {
    let ws = workspace(&[("charter.toml", MANIFEST), ("a.charter", GOOD)]);
    let out = build(ws.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // PIDs above Linux's maximum (2^22) never run.
    let dead = 9_999_999;
    for leftover in [
        format!("out/.rego.old-{dead}/x.rego"),
        format!("out/.rego.tmp-{dead}/y.rego"),
        format!("out/.openapi.tmp-{dead}/z.yaml"),
        format!("out/.charter-output.json.tmp-{dead}"),
        "out/.notes.tmp-1/mine.txt".to_string(),
    ] {
        let path = ws.path().join(leftover);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, b"x").unwrap();
    }
    // --check changes nothing, but names them.
    let out = build(ws.path(), &["--check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!(
            ".rego.old-{dead}` is left by an interrupted build"
        )),
        "{}",
        stderr(&out)
    );
    assert!(ws.path().join(format!("out/.rego.old-{dead}")).exists());
    let out = build(ws.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("left by an interrupted build"),
        "{}",
        stderr(&out)
    );
    for gone in [
        ".rego.old",
        ".rego.tmp",
        ".openapi.tmp",
        ".charter-output.json.tmp",
    ] {
        assert!(
            !ws.path().join(format!("out/{gone}-{dead}")).exists(),
            "{gone} was not removed"
        );
    }
    assert!(ws.path().join("out/.notes.tmp-1/mine.txt").is_file());
}

#[test]
fn a_target_named_twice_is_built_once() {
    let ws = workspace(&[("charter.toml", MANIFEST), ("a.charter", GOOD)]);
    let out = charter(&["build", ".", "--target", "rego,rego"], ws.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // The bundle once, and once its tests beside it.
    for folder in ["rego ", "rego-tests "] {
        assert_eq!(
            stderr(&out)
                .matches(&format!("{}{folder}", std::path::MAIN_SEPARATOR))
                .count(),
            1,
            "{}",
            stderr(&out)
        );
    }
    assert_eq!(
        stderr(&out).matches("wrote ").count(),
        2,
        "{}",
        stderr(&out)
    );
}

#[test]
fn build_shows_warnings_and_denies_them_when_asked() {
    let warning: &[u8] = b"package t\ncontrol C-1 \"c\" { owner \"x\" }\n";
    let ws = workspace(&[
        ("charter.toml", MANIFEST),
        ("a.charter", GOOD),
        ("b.charter", warning),
    ]);
    let out = build(ws.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("warning[W5002]"), "{}", stderr(&out));
    std::fs::remove_dir_all(ws.path().join("out")).unwrap();
    let out = build(ws.path(), &["--deny-warnings"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(!ws.path().join("out/rego").exists());
    let ws = workspace(&[
        (
            "charter.toml",
            b"[package]\nname = \"t\"\nversion = \"0.1.0\"\n[check]\ndeny_warnings = true\n",
        ),
        ("a.charter", GOOD),
        ("b.charter", warning),
    ]);
    let out = build(ws.path(), &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("nothing written"), "{}", stderr(&out));
}

/// `import --force` replaces an earlier import, but never the current folder (or one holding
/// it), a folder holding the document, or a git repository.
#[test]
fn import_force_never_replaces_the_current_folder_the_document_or_a_repository() {
    let api = "openapi: 3.1.0\ninfo: {title: Pets, version: 1.0.0}\npaths: {}\n\
               components:\n  schemas:\n    Pet:\n      type: object\n      \
               properties:\n        name: {type: string}\n";
    let dir = workspace(&[
        ("docs/api.yaml", api.as_bytes()),
        ("repo/.git/HEAD", b"ref: refs/heads/main\n"),
        ("repo/notes.md", b"mine"),
    ]);
    for (out_dir, why) in [
        (".", "holds the current folder"),
        ("docs", "holds the document being imported"),
        ("repo", "is a git repository"),
    ] {
        let out = charter(
            &[
                "import",
                "openapi",
                "docs/api.yaml",
                "--out",
                out_dir,
                "--force",
            ],
            dir.path(),
        );
        assert_eq!(out.status.code(), Some(2), "{out_dir}: {}", stderr(&out));
        assert!(stderr(&out).contains(why), "{out_dir}: {}", stderr(&out));
    }
    assert!(dir.path().join("docs/api.yaml").is_file());
    assert!(dir.path().join("repo/notes.md").is_file());
    // An earlier import is replaced with --force.
    let run = || {
        charter(
            &[
                "import",
                "openapi",
                "docs/api.yaml",
                "--out",
                "pets",
                "--force",
            ],
            dir.path(),
        )
    };
    assert_eq!(run().status.code(), Some(0));
    let again = run();
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
}

/// A rebuild writes only what changed: an unchanged target folder is left as it is (the same
/// folder, the same files), and in a changed one the files that kept their bytes are hard links
/// to the previous build's (no new inode), while a file Charter wrote that was edited since is
/// written again (docs/output.md).
#[cfg(unix)]
#[test]
fn a_rebuild_writes_only_what_changed() {
    use std::os::unix::fs::MetadataExt as _;
    let ino = |path: &Path| std::fs::symlink_metadata(path).expect("stat").ino();
    let ws = workspace(&[("charter.toml", MANIFEST), ("a.charter", GOOD)]);
    let rego = ws.path().join("out/rego");
    let data = rego.join("data.json");
    let module = rego.join("charter/t/p/policy.rego");
    let out = build(ws.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let (folder, data_ino, module_ino) = (ino(&rego), ino(&data), ino(&module));
    let before = std::fs::read(&module).expect("module");

    // Nothing changed: nothing is written.
    let out = build(ws.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("wrote"), "{}", stderr(&out));
    assert_eq!(
        (ino(&rego), ino(&data), ino(&module)),
        (folder, data_ino, module_ino)
    );

    // One policy changed: a new folder, `data.json` linked, the module written.
    let edited = String::from_utf8_lossy(GOOD).replace("\"self\"", "\"one's own\"");
    std::fs::write(ws.path().join("a.charter"), edited).expect("edit");
    let out = build(ws.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_ne!(ino(&rego), folder);
    assert_eq!(ino(&data), data_ino);
    assert_ne!(ino(&module), module_ino);
    let after = std::fs::read(&module).expect("module");
    assert_ne!(after, before);
    assert!(String::from_utf8_lossy(&after).contains("one's own"));
    assert_eq!(std::fs::symlink_metadata(&data).expect("stat").nlink(), 1);

    // A file of Charter's edited by hand (same length), and an empty folder added: both undone.
    let mut tampered = after.clone();
    if let Some(byte) = tampered.last_mut() {
        *byte = b'#';
    }
    std::fs::write(&module, &tampered).expect("tamper");
    std::fs::create_dir(rego.join("empty")).expect("mkdir");
    let out = build(ws.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(std::fs::read(&module).expect("module"), after);
    assert!(!rego.join("empty").exists());
}
