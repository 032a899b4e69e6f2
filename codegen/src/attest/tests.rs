use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

use super::*;

const RSA: &str = include_str!("../bundle/testdata/rsa-pkcs1.pem");
const RSA_PUBLIC: &str = include_str!("../bundle/testdata/rsa-public.pem");
const EC: &str = include_str!("../bundle/testdata/ec-sec1.pem");
const EC_PUBLIC: &str = include_str!("../bundle/testdata/ec-public.pem");

fn files() -> Vec<OutputFile> {
    vec![
        OutputFile::text("b/two.rego", "package two\n"),
        OutputFile::text("a.json", "{}\n"),
    ]
}

fn build<'a>(files: &'a [OutputFile], sources: &'a [Source<'a>], date: Option<i64>) -> Build<'a> {
    static TARGETS: std::sync::LazyLock<Vec<String>> =
        std::sync::LazyLock::new(|| vec!["rego".to_string(), "rego-tests".to_string()]);
    Build {
        target: "rego",
        targets: &TARGETS,
        files,
        sources,
        settings: json!({ "signed": false }),
        compiler_version: "9.9.9",
        source_date: date,
    }
}

/// A digest as the caller computed it: the statement records it as given.
const Z_SHA256: &str = "2f7d2d0b1d31b1c5f7a4e0ee2b5e8d6c4a3f8b0b7d9e7c2b1a0f6e5d4c3b2a19";

fn sources() -> Vec<Source<'static>> {
    vec![
        Source {
            path: "src/z.charter",
            sha256: Z_SHA256,
        },
        Source {
            path: "charter.toml",
            sha256: "00",
        },
    ]
}

fn hex_sha256(bytes: &[u8]) -> String {
    hex(&sha2::Sha256::digest(bytes))
}

#[test]
fn the_statement_names_every_file_with_its_digest_in_path_order() {
    let (files, sources) = (files(), sources());
    let bytes = statement(&build(&files, &sources, None)).unwrap();
    let value: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(value["_type"], STATEMENT_TYPE);
    assert_eq!(value["predicateType"], PREDICATE_TYPE);
    let subjects = value["subject"].as_array().unwrap();
    assert_eq!(subjects.len(), 2);
    assert_eq!(subjects[0]["name"], "rego/a.json");
    assert_eq!(subjects[0]["digest"]["sha256"], hex_sha256(b"{}\n"));
    assert_eq!(subjects[1]["name"], "rego/b/two.rego");
    let definition = &value["predicate"]["buildDefinition"];
    assert_eq!(definition["buildType"], BUILD_TYPE);
    assert_eq!(definition["externalParameters"]["target"], "rego");
    let deps = definition["resolvedDependencies"].as_array().unwrap();
    // Sources in path order, then the standard library and the compiler.
    assert_eq!(deps[0]["name"], "charter.toml");
    assert_eq!(deps[1]["name"], "src/z.charter");
    assert_eq!(deps[1]["digest"]["sha256"], Z_SHA256);
    assert_eq!(deps[2]["name"], "charter-stdlib");
    assert_eq!(deps[2]["annotations"]["version"], "9.9.9");
    assert_eq!(deps[3]["uri"], "pkg:generic/charter@9.9.9");
    // No clock without SOURCE_DATE_EPOCH.
    assert!(value["predicate"]["runDetails"].get("metadata").is_none());
    assert_eq!(
        value["predicate"]["runDetails"]["builder"]["id"],
        BUILDER_ID
    );
}

#[test]
fn the_source_date_is_the_only_time() {
    let (files, sources) = (files(), sources());
    let a = statement(&build(&files, &sources, Some(1_700_000_000))).unwrap();
    let b = statement(&build(&files, &sources, Some(1_700_000_000))).unwrap();
    assert_eq!(a, b);
    let value: Value = serde_json::from_slice(&a).unwrap();
    assert_eq!(
        value["predicate"]["runDetails"]["metadata"]["startedOn"],
        "2023-11-14T22:13:20Z"
    );
    assert!(statement(&build(&files, &sources, Some(-5))).is_err());
}

fn signed(pem: &str) -> OutputFile {
    let (files, sources) = (files(), sources());
    let key = SigningKey {
        pem: pem.to_string(),
        key_id: Some("k1".into()),
        scope: None,
    };
    attestation(&build(&files, &sources, None), Some(&key)).unwrap()
}

#[test]
fn an_envelope_carries_the_statement_and_a_signature_over_the_pae() {
    for (private, public) in [(RSA, RSA_PUBLIC), (EC, EC_PUBLIC)] {
        let file = signed(private);
        assert_eq!(file.path, "rego.intoto.jsonl");
        let text = std::str::from_utf8(&file.bytes).unwrap();
        assert_eq!(text.matches('\n').count(), 1, "one line");
        let envelope: Value = serde_json::from_str(text).unwrap();
        assert_eq!(envelope["payloadType"], PAYLOAD_TYPE);
        assert_eq!(envelope["signatures"][0]["keyid"], "k1");
        let payload = STANDARD
            .decode(envelope["payload"].as_str().unwrap())
            .unwrap();
        let (files, sources) = (files(), sources());
        assert_eq!(payload, statement(&build(&files, &sources, None)).unwrap());
        let attested = read(&file.path, &file.bytes, Some(public)).unwrap();
        assert_eq!(attested.signature, Signature::Verified);
        assert_eq!(attested.subjects.len(), 2);
        // The other key does not verify it.
        let other = if public == RSA_PUBLIC {
            EC_PUBLIC
        } else {
            RSA_PUBLIC
        };
        assert_eq!(
            read(&file.path, &file.bytes, Some(other)).unwrap_err(),
            Problem::BadSignature
        );
    }
}

#[test]
fn digests_are_lowercase_hex_sha256() {
    // FIPS 180-2's example "abc".
    assert_eq!(
        sha256(b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

#[test]
fn the_pae_is_the_spec_s() {
    // The DSSE protocol's worked example.
    assert_eq!(
        pae("http://example.com/HelloWorld", b"hello world"),
        b"DSSEv1 29 http://example.com/HelloWorld 11 hello world".to_vec()
    );
    assert_eq!(pae("", b""), b"DSSEv1 0  0 ".to_vec());
}

#[test]
fn a_changed_payload_or_type_is_refused() {
    let file = signed(EC);
    let mut envelope: Value = serde_json::from_slice(&file.bytes).unwrap();
    let payload = STANDARD
        .decode(envelope["payload"].as_str().unwrap())
        .unwrap();
    let changed = String::from_utf8(payload)
        .unwrap()
        .replace("rego/a.json", "rego/c.json");
    envelope["payload"] = Value::from(STANDARD.encode(changed));
    let bytes = serde_json::to_vec(&envelope).unwrap();
    assert_eq!(
        read(&file.path, &bytes, Some(EC_PUBLIC)).unwrap_err(),
        Problem::BadSignature
    );
    // Without a key it reads, unchecked.
    assert_eq!(
        read(&file.path, &bytes, None).unwrap().signature,
        Signature::NotChecked
    );
    envelope["payloadType"] = Value::from("application/json");
    let bytes = serde_json::to_vec(&envelope).unwrap();
    assert!(matches!(
        read(&file.path, &bytes, Some(EC_PUBLIC)),
        Err(Problem::Malformed(_))
    ));
}

#[test]
fn changed_missing_and_extra_files_are_each_named() {
    let (files, sources) = (files(), sources());
    let file = attestation(&build(&files, &sources, None), None).unwrap();
    assert_eq!(file.path, "rego.intoto.json");
    let attested = read(&file.path, &file.bytes, None).unwrap();
    assert_eq!(attested.signature, Signature::Unsigned);
    let on_disk = vec![
        OutputFile::text("rego/a.json", "{\"x\": 1}\n"),
        OutputFile::text("rego/extra.rego", "package extra\n"),
    ];
    let problems = check(&attested, &on_disk);
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert!(
        matches!(&problems[0], Problem::Changed { path, .. } if path == "rego/a.json"),
        "{problems:?}"
    );
    assert_eq!(
        problems[1],
        Problem::Missing {
            path: "rego/b/two.rego".into()
        }
    );
    assert_eq!(
        problems[2],
        Problem::Extra {
            path: "rego/extra.rego".into()
        }
    );
    let intact: Vec<OutputFile> = files
        .iter()
        .map(|f| OutputFile {
            path: subject_name("rego", &f.path),
            bytes: f.bytes.clone(),
        })
        .collect();
    assert!(check(&attested, &intact).is_empty());
    // An unsigned statement refused when a key is expected.
    assert_eq!(
        read(&file.path, &file.bytes, Some(EC_PUBLIC)).unwrap_err(),
        Problem::Unsigned
    );
}

#[test]
fn a_statement_about_another_target_is_refused() {
    let (files, sources) = (files(), sources());
    let file = attestation(&build(&files, &sources, None), None).unwrap();
    assert!(matches!(
        read("openapi.intoto.json", &file.bytes, None),
        Err(Problem::Malformed(_))
    ));
    assert_eq!(target_of("rego-tests.intoto.jsonl"), Some("rego-tests"));
    assert_eq!(target_of("notes.txt"), None);
}
