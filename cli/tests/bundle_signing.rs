//! `charter build --signing-key`, `charter bundle sign` and `charter bundle verify` as a release
//! pipeline calls them: exit 0 for a good signature, 1 naming each file that was changed,
//! removed or added, 2 for unusable keys. (`tests/opa/test_signing.py` checks the same bundles
//! with an independent JWS and hash implementation.)

#![expect(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn charter(args: &[&Path]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_charter"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run charter")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The throwaway test keys of the codegen crate (test fixtures, never used to sign anything).
fn key(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../codegen/src/bundle/testdata")
        .join(name)
}

fn p(s: &str) -> &Path {
    Path::new(s)
}

/// A signed build of the `summit` example; returns the temp dir and the bundle folder.
fn signed_build(private: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/summit");
    let output = charter(&[
        p("build"),
        &example,
        p("--target"),
        p("rego"),
        p("--out"),
        &out,
        p("--signing-key"),
        &key(private),
        p("--key-id"),
        p("ci"),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    (dir, out.join("rego"))
}

fn verify(bundle: &Path, public: &str) -> Output {
    charter(&[
        p("bundle"),
        p("verify"),
        bundle,
        p("--verification-key"),
        &key(public),
    ])
}

#[test]
fn a_signed_build_verifies_folder_and_archive() {
    for (private, public) in [
        ("rsa-pkcs1.pem", "rsa-public.pem"),
        ("ec-sec1.pem", "ec-public.pem"),
    ] {
        let (_dir, bundle) = signed_build(private);
        assert!(bundle.join(".signatures.json").is_file());
        let output = verify(&bundle, public);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let text = stderr(&output);
        assert!(text.contains("bundle.tar.gz` verifies"), "{text}");
        let output = verify(&bundle.join("bundle.tar.gz"), public);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    }
}

#[test]
fn verify_names_changed_removed_and_added_files() {
    let (_dir, bundle) = signed_build("ec-pkcs8.pem");
    std::fs::remove_file(bundle.join("bundle.tar.gz")).unwrap();
    let router = bundle.join("charter/router/router.rego");
    let mut text = std::fs::read_to_string(&router).unwrap();
    text.push_str("\n# changed\n");
    std::fs::write(&router, text).unwrap();
    std::fs::remove_file(bundle.join("data.json")).unwrap();
    std::fs::write(bundle.join("extra.rego"), "package extra\n").unwrap();
    let output = verify(&bundle, "ec-public.pem");
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    assert!(
        text.contains("file `charter/router/router.rego` does not match the signature"),
        "{text}"
    );
    assert!(
        text.contains("file `data.json` is listed in the signature but missing"),
        "{text}"
    );
    assert!(
        text.contains("file `extra.rego` is in the bundle but not included in the signature"),
        "{text}"
    );
}

#[test]
fn verify_rejects_the_wrong_key_and_algorithm() {
    let (_dir, bundle) = signed_build("rsa-pkcs8.pem");
    let output = verify(&bundle, "ec-public.pem");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("wrong algorithm"),
        "{}",
        stderr(&output)
    );
    let output = verify(&bundle, "README.md");
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn bundle_sign_writes_a_signature_verify_accepts() {
    let (_dir, bundle) = signed_build("rsa-pkcs1.pem");
    std::fs::remove_file(bundle.join(".signatures.json")).unwrap();
    std::fs::remove_file(bundle.join("bundle.tar.gz")).unwrap();
    let output = verify(&bundle, "ec-public.pem");
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("no `.signatures.json`"));
    let output = charter(&[
        p("bundle"),
        p("sign"),
        &bundle,
        p("--signing-key"),
        &key("ec-sec1.pem"),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let output = verify(&bundle, "ec-public.pem");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

/// `bundle sign` on a built folder re-packs its `bundle.tar.gz`: the folder and the archive both
/// verify, the archive is the one a signed build writes, and the next build replaces the folder.
#[test]
fn bundle_sign_keeps_the_folder_and_its_archive_one_bundle() {
    let dir = tempfile::tempdir().unwrap();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/summit");
    let build = |out: &Path, sign: bool| {
        let mut args = vec![
            p("build"),
            &example,
            p("--target"),
            p("rego"),
            p("--out"),
            out,
        ];
        let key = key("ec-sec1.pem");
        if sign {
            args.extend([p("--signing-key"), &key]);
            let output = charter(&args);
            assert!(output.status.success(), "{}", stderr(&output));
        } else {
            let output = charter(&args);
            assert!(output.status.success(), "{}", stderr(&output));
        }
    };
    let unsigned = dir.path().join("unsigned");
    build(&unsigned, false);
    let bundle = unsigned.join("rego");
    let output = charter(&[
        p("bundle"),
        p("sign"),
        &bundle,
        p("--signing-key"),
        &key("ec-sec1.pem"),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let output = verify(&bundle, "ec-public.pem");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("bundle.tar.gz` verifies"),
        "{}",
        stderr(&output)
    );
    let output = verify(&bundle.join("bundle.tar.gz"), "ec-public.pem");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let signed = dir.path().join("signed");
    build(&signed, true);
    assert_eq!(
        std::fs::read(bundle.join("bundle.tar.gz")).unwrap(),
        std::fs::read(signed.join("rego/bundle.tar.gz")).unwrap()
    );
    // The signed folder is still Charter's: the next build replaces it.
    build(&unsigned, false);
    assert!(!bundle.join(".signatures.json").exists());
}
