//! The openapi target: snapshots of the summit documents, and unit tests of the mapping, the
//! HTTP header values and the YAML emitter. `tests/opa/test_openapi.py` validates the documents
//! with `openapi-spec-validator`, reads the YAML back with PyYAML and validates payloads.

use charter::literal::Date;
use serde_json::{Value as Json, json};

use charter::api::http;

use super::{OpenApi, document, documents, yaml};
use crate::testing::{model, summit};
use crate::{Options, OutputFile, Target};

fn emit(model: &charter::ir::Model) -> Vec<OutputFile> {
    OpenApi.emit(model, &Options::default()).unwrap()
}

fn text<'a>(files: &'a [OutputFile], path: &str) -> &'a str {
    let file = files.iter().find(|f| f.path == path).unwrap_or_else(|| {
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        panic!("no {path} in {paths:?}")
    });
    std::str::from_utf8(&file.bytes).unwrap()
}

fn date(text: &str) -> Date {
    Date::parse(text).unwrap()
}

#[test]
fn summit_documents() {
    let files = emit(&summit());
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "Audit.json",
            "Audit.yaml",
            "Catalog.json",
            "Catalog.yaml",
            "Lineage.json",
            "Lineage.yaml",
            "PolicyDecision.json",
            "PolicyDecision.yaml",
        ]
    );
    for name in ["Audit", "Catalog", "Lineage", "PolicyDecision"] {
        insta::assert_snapshot!(
            format!("summit_{name}_yaml"),
            text(&files, &format!("{name}.yaml"))
        );
        // The JSON file is the same document.
        let json: Json = serde_json::from_str(text(&files, &format!("{name}.json"))).unwrap();
        assert_eq!(
            yaml::to_string(&json),
            text(&files, &format!("{name}.yaml"))
        );
    }
}

#[test]
fn output_is_deterministic_and_matches_the_library_functions() {
    let model = summit();
    let files = emit(&model);
    assert_eq!(files, emit(&model));
    // Parallel emission gives the same files.
    for threads in [2, 3, 64] {
        let options = Options {
            threads: std::num::NonZeroUsize::new(threads),
            ..Options::default()
        };
        assert_eq!(files, OpenApi.emit(&model, &options).unwrap());
    }
    for doc in documents(&model) {
        let json: Json = serde_json::from_str(text(&files, &format!("{}.json", doc.stem))).unwrap();
        assert_eq!(json, doc.value);
        assert_eq!(
            document(&model, &doc.service.to_string()),
            Some(doc.value.clone())
        );
        assert_eq!(document(&model, &doc.service.name), Some(doc.value));
    }
    assert_eq!(document(&model, "Nope"), None);
}

const DEMO: &str = "package demo\n\n\
    /// Colours. Open to more.\n\
    open enum Colour {\n\
      /// Warm.\n\
      red,\n\
      @deprecated(since: 2026-01-01, note: \"use red\")\n\
      green\n\
    }\n\
    enum Size { small, large }\n\
    /// A three-letter code.\n\
    type Code = string matching \"^[A-Z]{3}$\"\n\
    /// A thing.\n\
    record Thing {\n\
      /// Its id.\n\
      id: uuid\n\
      code: Code\n\
      colour: Colour?\n\
      size: Size = large\n\
      note: string?\n\
      @deprecated(since: 2026-01-01, note: \"unused\")\n\
      old: int?\n\
    }\n\
    record Oops { message: string }\n\
    /// Things.\n\
    ///\n\
    /// Second paragraph.\n\
    @deprecated(since: 2025-01-15, sunset: 2026-02-28, note: \"moved\")\n\
    service Things version \"3.0.0\" at \"/things\" {\n\
      /// Find things.\n\
      op find GET \"/v1/things\" (q: string = \"yes\", sizes: set<Size>?, limit: int in 1..10 = 5, code: Code?) -> list<Thing>\n\
        errors { 400: Oops, 429: Oops }\n\
      op put PUT \"/v1/things/{id}\" (id: uuid, body: Thing)\n\
      op drop DELETE \"/v1/things/{id}\" (id: uuid) -> Thing\n\
    }\n\
    service Plain { op ping GET \"/ping\" () }\n";

#[test]
fn parameters_bodies_and_responses() {
    let model = model(DEMO);
    let doc = document(&model, "Things").unwrap();
    assert_eq!(doc["openapi"], json!("3.1.0"));
    assert_eq!(doc["info"]["title"], json!("Things"));
    assert_eq!(doc["info"]["version"], json!("3.0.0"));
    assert_eq!(doc["info"]["summary"], json!("Things."));
    assert_eq!(
        doc["info"]["description"],
        json!("Things.\n\nSecond paragraph.")
    );
    assert_eq!(doc["servers"], json!([{"url": "/things"}]));
    let find = &doc["paths"]["/v1/things"]["get"];
    assert_eq!(find["operationId"], json!("find"));
    assert_eq!(find["summary"], json!("Find things."));
    let params = find["parameters"].as_array().unwrap();
    assert_eq!(
        params[0],
        json!({"$ref": "#/components/parameters/traceparent"})
    );
    assert_eq!(
        params[1],
        json!({"name": "q", "in": "query", "required": false,
               "schema": {"type": "string", "default": "yes"}})
    );
    assert_eq!(
        params[2],
        json!({"name": "sizes", "in": "query", "required": false,
               "schema": {"type": "array", "uniqueItems": true,
                          "items": {"$ref": "#/components/schemas/Size"}}})
    );
    assert_eq!(
        params[3]["schema"],
        json!({"type": "integer", "minimum": 1, "maximum": 10, "default": 5})
    );
    // An alias is a component of its own.
    assert_eq!(
        params[4]["schema"],
        json!({"$ref": "#/components/schemas/Code"})
    );
    let ok = &find["responses"]["200"];
    assert_eq!(ok["description"], json!("OK"));
    assert_eq!(
        ok["content"]["application/json"]["schema"],
        json!({"type": "array", "items": {"$ref": "#/components/schemas/Thing"}})
    );
    for status in ["400", "429"] {
        assert_eq!(
            find["responses"][status]["content"]["application/json"]["schema"],
            json!({"$ref": "#/components/schemas/Oops"})
        );
    }
    assert_eq!(
        find["responses"]["429"]["description"],
        json!("Too Many Requests")
    );
    // No result: 204 without content.
    let put = &doc["paths"]["/v1/things/{id}"]["put"];
    assert_eq!(put["responses"]["204"]["description"], json!("No Content"));
    assert!(put["responses"]["204"].get("content").is_none());
    assert_eq!(put["requestBody"]["required"], json!(true));
    assert_eq!(
        put["parameters"][1],
        json!({"name": "id", "in": "path", "required": true,
               "schema": {"type": "string", "format": "uuid"}})
    );
    // Two methods on one path share the path item.
    assert!(doc["paths"]["/v1/things/{id}"]["delete"].is_object());
    assert!(
        doc["paths"]["/v1/things/{id}"]["delete"]
            .get("requestBody")
            .is_none()
    );
    // Nothing guarded: no verdict header component.
    assert!(doc["components"].get("headers").is_none());
}

#[test]
fn components_optional_open_enums_aliases_deprecation() {
    let model = model(DEMO);
    let doc = document(&model, "Things").unwrap();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let names: Vec<&str> = schemas.keys().map(String::as_str).collect();
    assert_eq!(names, ["Code", "Colour", "Oops", "Size", "Thing"]);
    let thing = &schemas["Thing"];
    // Optional fields may be absent and are never nullable.
    assert_eq!(thing["required"], json!(["id", "code"]));
    assert_eq!(thing["properties"]["note"], json!({"type": "string"}));
    assert_eq!(
        thing["properties"]["colour"],
        json!({"$ref": "#/components/schemas/Colour"})
    );
    assert_eq!(
        thing["properties"]["size"],
        json!({"$ref": "#/components/schemas/Size", "default": "large"})
    );
    assert_eq!(thing["properties"]["old"]["deprecated"], json!(true));
    assert_eq!(thing["additionalProperties"], json!(false));
    let colour = &schemas["Colour"];
    assert_eq!(colour["x-charter-open-enum"], json!(true));
    assert_eq!(
        colour["anyOf"],
        json!([{"enum": ["red", "green"]}, {"type": "string"}])
    );
    assert!(
        colour["description"]
            .as_str()
            .unwrap()
            .contains("must accept")
    );
    assert_eq!(colour["x-enum-descriptions"], json!(["Warm.", ""]));
    assert_eq!(colour["x-charter-deprecated-values"], json!(["green"]));
    assert!(schemas["Size"].get("x-enum-descriptions").is_none());
    assert_eq!(schemas["Size"]["enum"], json!(["small", "large"]));
    assert_eq!(
        schemas["Code"],
        json!({"type": "string", "pattern": "^[A-Z]{3}$",
               "title": "A three-letter code.", "description": "A three-letter code."})
    );
    for schema in schemas.values() {
        assert!(schema.get("$id").is_none() && schema.get("$schema").is_none());
    }
}

#[test]
fn a_deprecated_service_deprecates_every_operation() {
    let model = model(DEMO);
    let doc = document(&model, "Things").unwrap();
    assert_eq!(
        doc["info"]["x-charter-deprecation"],
        json!({"since": "2025-01-15", "sunset": "2026-02-28", "note": "moved"})
    );
    let deprecation = http::deprecation_value(date("2025-01-15"));
    let sunset = http::http_date(date("2026-02-28"));
    for (path, method) in [
        ("/v1/things", "get"),
        ("/v1/things/{id}", "put"),
        ("/v1/things/{id}", "delete"),
    ] {
        let op = &doc["paths"][path][method];
        assert_eq!(op["deprecated"], json!(true));
        assert_eq!(op["x-sunset"], json!("2026-02-28"));
        for response in op["responses"].as_object().unwrap().values() {
            let headers = &response["headers"];
            assert_eq!(
                headers["Deprecation"]["schema"]["const"],
                json!(deprecation)
            );
            assert_eq!(headers["Sunset"]["schema"]["const"], json!(sunset));
        }
    }
    let plain = document(&model, "Plain").unwrap();
    let ping = &plain["paths"]["/ping"]["get"];
    assert!(ping.get("deprecated").is_none());
    assert!(ping["responses"]["204"].get("headers").is_none());
    assert!(plain.get("servers").is_none());
}

#[test]
fn summit_guards_provenance_and_deprecations() {
    let model = summit();
    let lineage = document(&model, "Lineage").unwrap();
    let ingest = &lineage["paths"]["/v2/events"]["post"];
    assert_eq!(ingest["x-charter-requires-provenance"], json!(true));
    assert_eq!(
        ingest["x-charter-guard"],
        json!({"policy": "summit.policy.provenance_enforcement", "action": "write"})
    );
    assert_eq!(
        ingest["responses"]["409"]["headers"]["Charter-Verdict"],
        json!({"$ref": "#/components/headers/Charter-Verdict"})
    );
    assert_eq!(
        ingest["responses"]["409"]["headers"]["Charter-Verdict-Signature"],
        json!({"$ref": "#/components/headers/Charter-Verdict-Signature"})
    );
    let signature = &lineage["components"]["headers"]["Charter-Verdict-Signature"];
    assert_eq!(signature["required"], json!(false));
    assert!(signature["description"].as_str().unwrap().contains("ES256"));
    let event = &lineage["components"]["schemas"]["LineageEvent"];
    assert_eq!(event["required"][0], json!("provenance"));
    assert_eq!(
        event["properties"]["provenance"]["$ref"],
        json!("#/components/schemas/Provenance")
    );
    let verdict = &lineage["components"]["headers"]["Charter-Verdict"];
    let example = verdict["example"].as_str().unwrap();
    assert!(example.starts_with("allow=?1, decider=\"summit.policy.provenance_enforcement\""));
    for field in [
        "allow",
        "decider",
        "rule_id",
        "reason",
        "policy_version",
        "canary",
    ] {
        assert!(
            verdict["description"]
                .as_str()
                .unwrap()
                .contains(&format!("`{field}`"))
        );
    }
    let v1 = &lineage["paths"]["/v1/trace/{entity_id}"]["get"];
    assert_eq!(v1["deprecated"], json!(true));
    assert_eq!(v1["x-sunset"], json!("2027-06-30"));
    let headers = &v1["responses"]["200"]["headers"];
    assert_eq!(
        headers["Deprecation"]["schema"]["const"],
        json!("@1772323200")
    );
    assert_eq!(
        headers["Sunset"]["schema"]["const"],
        json!("Wed, 30 Jun 2027 00:00:00 GMT")
    );
    // Validating the PDP's requests needs no verdict header: it is not guarded.
    let pdp = document(&model, "PolicyDecision").unwrap();
    assert!(pdp["components"].get("headers").is_none());
    assert!(pdp["components"]["schemas"]["Verdict"].is_object());
}

#[test]
fn clashing_names_are_qualified() {
    let model = crate::testing::model_of(
        {
            let (mut config, _) = charter::workspace::manifest(
                "[package]\nname = \"demo\"\nversion = \"1.0.0\"\n[build]\nsources = [\"src\"]\n",
            );
            config.name = "demo".into();
            config
        },
        vec![
            (
                "src/a/a.charter".into(),
                "package demo.a\nrecord Item { id: string }\n\
                 service Shop { op get GET \"/a\" () -> Item }\n"
                    .into(),
            ),
            (
                "src/b/b.charter".into(),
                "package demo.b\nrecord Item { n: int }\n\
                 record Both { a: demo.a.Item, b: Item }\n\
                 service Shop { op get GET \"/b\" () -> Both }\n\
                 service Other { op get GET \"/o\" () -> Item }\n"
                    .into(),
            ),
        ],
    );
    let docs = documents(&model);
    let stems: Vec<&str> = docs.iter().map(|d| d.stem.as_str()).collect();
    assert_eq!(stems, ["demo.a.Shop", "demo.b.Shop", "Other"]);
    let both = &docs[1].value["components"]["schemas"];
    let names: Vec<&str> = both
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(names, ["Both", "demo.a.Item", "demo.b.Item"]);
    assert_eq!(
        both["Both"]["properties"]["a"]["$ref"],
        json!("#/components/schemas/demo.a.Item")
    );
    // Unqualified when the document uses only one `Item`.
    assert!(docs[2].value["components"]["schemas"]["Item"].is_object());
    // `Shop` is ambiguous; the qualified names find each one.
    assert_eq!(document(&model, "Shop"), None);
    assert_eq!(document(&model, "demo.b.Shop"), Some(docs[1].value.clone()));
}

#[test]
fn header_values() {
    assert_eq!(http::deprecation_value(date("1970-01-01")), "@0");
    assert_eq!(http::deprecation_value(date("1969-12-31")), "@-86400");
    assert_eq!(http::deprecation_value(date("2026-03-01")), "@1772323200");
    assert_eq!(
        http::http_date(date("2000-02-29")),
        "Tue, 29 Feb 2000 00:00:00 GMT"
    );
    assert_eq!(
        http::http_date(date("2027-06-30")),
        "Wed, 30 Jun 2027 00:00:00 GMT"
    );
    assert_eq!(
        http::http_date(date("1970-01-01")),
        "Thu, 01 Jan 1970 00:00:00 GMT"
    );
    assert_eq!(http::sf_string("say \"hi\" \\o/"), r#""say \"hi\" \\o/""#);
    assert_eq!(http::sf_string("café 100%"), r#"%"caf%c3%a9 100%25""#);
}

#[test]
fn yaml_scalars() {
    let value = json!({
        "plain": "Bad Request",
        "reserved": ["yes", "No", "on", "OFF", "y", "null", "true"],
        "numbers_as_strings": ["1", "1.0", "2026-03-01", ".inf", "0x1F", "-3", "+1"],
        "indicators": ["#/x", "- a", "a: b", "a #b", "end:", "[x]", "{y}", "*a", "&a", "!t",
                        "|", ">", "'q'", "\"q\"", "%x", "@x", "`x`", " lead", "trail ", ""],
        "escapes": ["tab\there", "bell\u{7}", "nel\u{85}", "ls\u{2028}", "bom\u{feff}", "back\\slash"],
        "multi": "line one\nline two: with colon # and hash\n\nafter blank",
        "multi_final": "a\nb\n",
        "multi_two_final": "a\n\n",
        "multi_trailing_space": "a \nb",
        "multi_in_lists": ["p\nq", {"a": "x\ny", "b": ["z\n"]}],
        "numbers": [0, -7, 0.5, 1e20, 1.5e-7, 12345678901234_i64],
        "bools": [true, false, null],
        "empty": {"map": {}, "list": [], "string": ""},
        "nested": [[1, [2, 3]], {"a": {"b": [{}]}}],
        "200": "status key",
    });
    let text = yaml::to_string(&value);
    insta::assert_snapshot!("yaml_scalars", text);
}

#[test]
fn wire_names_nullable_members_and_the_success_status() {
    let src = "package w\n\
        enum Sign { @wire(\"+1\") plus, minus }\n\
        record Item {\n  \
          @wire(\"item.id\") item_id: string\n  \
          @nullable note: string\n  \
          @nullable sign: Sign = none\n  \
          @nullable @wire(\"Tags\") tags: list<string>?\n  \
          signs: list<Sign> = [plus]\n\
        }\n\
        service S {\n  \
          @status(201)\n  \
          op create POST \"/items\" (body: Item, @wire(\"StartTime>\") start: string?, sign: Sign = plus) -> Item\n  \
          @status(202)\n  \
          op queue POST \"/queue\" (body: Item)\n  \
          op get GET \"/items/{id}\" (id: string) -> Item\n\
        }\n";
    let model = crate::testing::model(src);
    let files = emit(&model);
    let doc: Json = serde_json::from_str(text(&files, "S.json")).unwrap();
    let item = &doc["components"]["schemas"]["Item"];
    assert_eq!(item["required"], json!(["item.id", "note"]), "{item:#}");
    assert_eq!(item["properties"]["item.id"]["type"], json!("string"));
    assert_eq!(
        item["properties"]["note"]["type"],
        json!(["string", "null"])
    );
    assert_eq!(
        item["properties"]["sign"],
        json!({ "anyOf": [{ "$ref": "#/components/schemas/Sign" }, { "type": "null" }], "default": null })
    );
    assert_eq!(item["properties"]["Tags"]["type"], json!(["array", "null"]));
    assert_eq!(item["properties"]["signs"]["default"], json!(["+1"]));
    assert_eq!(
        doc["components"]["schemas"]["Sign"]["enum"],
        json!(["+1", "minus"])
    );
    let create = &doc["paths"]["/items"]["post"];
    let responses: Vec<&String> = create["responses"].as_object().unwrap().keys().collect();
    assert_eq!(responses, ["201"]);
    assert_eq!(create["responses"]["201"]["description"], json!("Created"));
    let names: Vec<&Json> = create["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p.get("name"))
        .collect();
    assert_eq!(names, [&json!("StartTime>"), &json!("sign")]);
    assert_eq!(create["parameters"][2]["schema"]["default"], json!("+1"));
    let queue = &doc["paths"]["/queue"]["post"]["responses"];
    assert_eq!(
        queue.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["202"]
    );
    let get = &doc["paths"]["/items/{id}"]["get"]["responses"];
    assert_eq!(get.as_object().unwrap().keys().collect::<Vec<_>>(), ["200"]);
}
