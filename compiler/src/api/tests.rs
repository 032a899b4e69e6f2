//! The view on small workspaces: the index, alias expansion, reachability, path templates, the
//! HTTP rules and the wire table. Tables of cases where the rule is data.

use super::http;
use super::wire::{JsonType, Wire};
use super::*;
use crate::db::Database;
use crate::ir::{Kind, Model, Prim, QualName, Type};

fn model(text: &str) -> Model {
    let db = Database::default();
    let ws = crate::workspace::from_sources(&db, &[("demo.charter", text)]);
    let errors: Vec<_> = crate::semantics::diagnostics(&db, ws)
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    crate::semantics::model(&db, ws).clone()
}

fn q(name: &str) -> QualName {
    QualName::new("demo", name)
}

const DEMO: &str = r#"package demo

type Email = string matching "^[^@]+@[^@]+$"
type Contact = Email?
type Emails = list<Contact>
enum Colour { red, green }
record Address { street: string, tags: map<string, Tag> }
record Tag { label: string }
record Person { name: string, email: Contact, address: Address?, colour: Colour }
record Problem { message: string, where: Where }
record Where { line: int }
record Lonely { x: int }
record Filter { colour: Colour }
entity User { id: string, home: Address }

service People {
  op get GET "/people/{id}" (id: string) -> Person errors { 404: Problem }
  op find GET "/people" (colour: Colour?) -> list<Person>
  op put PUT "/people/{id}" (id: string, body: Filter)
}
"#;

#[test]
fn the_index_finds_every_declaration() {
    let m = model(DEMO);
    let index = Index::new(&m);
    let cases: [(&str, Option<&str>); 7] = [
        ("Email", Some("alias")),
        ("Colour", Some("enum")),
        ("Person", Some("record")),
        ("User", Some("entity")),
        ("People", Some("service")),
        ("Nope", None),
        ("get", None),
    ];
    for (name, want) in cases {
        let got = index.get(&q(name)).map(|d| match d {
            Decl::Record(_) => "record",
            Decl::Enum(_) => "enum",
            Decl::Alias(_) => "alias",
            Decl::Entity(_) => "entity",
            Decl::Context(_) => "context",
            Decl::Service(_) => "service",
        });
        assert_eq!(got, want, "{name}");
    }
    assert_eq!(index.fields(&q("User")).map(<[_]>::len), Some(2));
    assert!(index.fields(&q("Colour")).is_none());
    assert!(index.record(&q("Email")).is_none());
    assert_eq!(index.service(&q("People")).map(|s| s.ops.len()), Some(3));
}

#[test]
fn aliases_expand_and_keep_their_name() {
    let m = model(DEMO);
    let index = Index::new(&m);
    let contact = Type::Named(q("Contact"), Kind::Alias);
    let got = index.expand(&contact);
    // `Contact` is `Email?`: expansion stops at the `?`, remembering the alias.
    assert_eq!(got.alias, Some(&q("Contact")));
    assert!(matches!(got.ty, Type::Optional(_)));
    let email = Type::Named(q("Email"), Kind::Alias);
    let got = index.expand(&email);
    assert!(matches!(got.ty, Type::Refined(inner, _) if **inner == Type::Prim(Prim::String)));
    assert_eq!(got.alias, Some(&q("Email")));
    // Keeping an alias by name stops there.
    let kept = index.expand_until(&email, |n| n.name == "Email");
    assert_eq!(kept.ty, &email);
    assert_eq!(kept.alias, None);
    // The linear lookup gives the same.
    assert_eq!(index::expand(&email, |n| m.alias(n)), index.expand(&email));
    // Not an alias: unchanged.
    let int = Type::Prim(Prim::Int);
    assert_eq!(
        index.expand(&int),
        Expanded {
            ty: &int,
            alias: None
        }
    );
}

#[test]
fn bases_strip_aliases_refinements_and_options() {
    let m = model(DEMO);
    let index = Index::new(&m);
    let string = Type::Prim(Prim::String);
    let cases = [
        (Type::Named(q("Contact"), Kind::Alias), string.clone()),
        (Type::Named(q("Email"), Kind::Alias), string.clone()),
        (
            Type::Optional(Box::new(Type::Named(q("Email"), Kind::Alias))),
            string.clone(),
        ),
        (Type::Named(q("Nope"), Kind::Alias), Type::Error),
        (
            Type::Named(q("Person"), Kind::Record),
            Type::Named(q("Person"), Kind::Record),
        ),
    ];
    for (ty, want) in cases {
        assert_eq!(index.base(&ty), &want, "{}", ty.display());
        // The linear lookup the evaluator uses gives the same.
        assert_eq!(index::base(&ty, |n| m.alias(n)), &want);
    }
}

#[test]
fn an_endless_alias_chain_is_an_error_type() {
    // The checker refuses cycles; the view still ends.
    let mut m = Model::default();
    m.aliases.push(crate::ir::Alias {
        name: q("A"),
        doc: None,
        ty: Type::Named(q("A"), Kind::Alias),
        deprecated: None,
        loc: crate::ir::Loc::default(),
    });
    let index = Index::new(&m);
    let a = Type::Named(q("A"), Kind::Alias);
    assert_eq!(index.expand(&a).ty, &Type::Error);
    assert_eq!(index.base(&a), &Type::Error);
    // An alias that did not resolve stays as written.
    let b = Type::Named(q("B"), Kind::Alias);
    assert_eq!(index.expand(&b).ty, &b);
}

#[test]
fn reachability_with_directions() {
    let m = model(DEMO);
    let index = Index::new(&m);
    let reach = Reach::of_model(&index);
    let cases = [
        ("Person", Dir::RESPONSE),
        ("Contact", Dir::RESPONSE),
        ("Email", Dir::RESPONSE),
        // Through a map, and through an entity (a policy input) as well as a response.
        ("Address", Dir::BOTH),
        ("Tag", Dir::BOTH),
        ("Problem", Dir::RESPONSE),
        ("Where", Dir::RESPONSE),
        ("Colour", Dir::BOTH),
        ("Filter", Dir::REQUEST),
        ("Lonely", Dir::NONE),
        ("Emails", Dir::NONE),
    ];
    for (name, want) in cases {
        assert_eq!(
            reach.dir(&q(name)),
            want,
            "{name}: {}",
            reach.dir(&q(name)).name()
        );
    }
    // A service reaches what its operations use, not the policy inputs.
    let service = index
        .service(&q("People"))
        .map(|s| Reach::of_service(&index, s));
    let names: Vec<String> = service
        .iter()
        .flat_map(|r| r.dirs.keys())
        .map(|n| n.name.to_string())
        .collect();
    assert_eq!(
        names,
        [
            "Address", "Colour", "Contact", "Email", "Filter", "Person", "Problem", "Tag", "Where"
        ]
    );
}

#[test]
fn dir_sets() {
    assert!(Dir::BOTH.contains(Dir::REQUEST) && Dir::BOTH.contains(Dir::RESPONSE));
    assert!(!Dir::REQUEST.contains(Dir::RESPONSE));
    assert_eq!(Dir::REQUEST.union(Dir::RESPONSE), Dir::BOTH);
    assert!(Dir::NONE.is_none() && Dir::NONE.contains(Dir::NONE));
    let names: Vec<&str> = [Dir::NONE, Dir::REQUEST, Dir::RESPONSE, Dir::BOTH]
        .map(Dir::name)
        .to_vec();
    assert_eq!(names, ["none", "request", "response", "both"]);
}

#[test]
fn path_templates() {
    use Segment::{Literal as L, Param as P};
    let cases: [(&str, Option<Vec<Segment>>, &str); 7] = [
        ("/", Some(vec![L("/".into())]), "/"),
        ("", Some(vec![]), ""),
        (
            "/v2/events/{id}",
            Some(vec![L("/v2/events/".into()), P("id".into())]),
            "/v2/events/{}",
        ),
        (
            "/a/{x}/b/{y}.json",
            Some(vec![
                L("/a/".into()),
                P("x".into()),
                L("/b/".into()),
                P("y".into()),
                L(".json".into()),
            ]),
            "/a/{}/b/{}.json",
        ),
        (
            "/{a}{b}",
            Some(vec![L("/".into()), P("a".into()), P("b".into())]),
            "/{}{}",
        ),
        ("/a/{id", None, ""),
        ("/a/{x}/{", None, ""),
    ];
    for (text, want, erased) in cases {
        let got = PathTemplate::parse(text);
        match want {
            Some(segments) => {
                let Ok(t) = got else {
                    panic!("{text} did not parse");
                };
                assert_eq!(t.segments(), segments.as_slice(), "{text}");
                assert_eq!(t.as_str(), text);
                assert_eq!(t.to_string(), text);
                assert_eq!(t.erased(), erased, "{text}");
            }
            None => assert!(got.is_err(), "{text}"),
        }
    }
    let t = PathTemplate::parse("/x/{a}/y/{b}").unwrap_or_default();
    assert_eq!(t.params().collect::<Vec<_>>(), ["a", "b"]);
    // An unclosed `{` keeps the parameters before it.
    let Err(broken) = PathTemplate::parse("/a/{x}/{y") else {
        panic!("parsed");
    };
    let salvaged = broken.salvaged();
    assert_eq!(salvaged.params().collect::<Vec<_>>(), ["x"]);
    assert_eq!(salvaged.as_str(), "/a/{x}/{y");
}

#[test]
fn http_rules() {
    let m = model(DEMO);
    let index = Index::new(&m);
    let Some(people) = index.service(&q("People")) else {
        panic!("no service");
    };
    let statuses: Vec<u16> = people.ops.iter().map(http::success_status).collect();
    assert_eq!(statuses, [200, 200, 204]);
    assert!(people.ops.iter().all(|op| !http::sends_verdict(op)));
    let date = |t: &str| crate::literal::Date::parse(t).unwrap_or_else(|| panic!("{t}"));
    let cases = [
        ("1970-01-01", "@0", "Thu, 01 Jan 1970 00:00:00 GMT"),
        ("2026-03-01", "@1772323200", "Sun, 01 Mar 2026 00:00:00 GMT"),
        ("2027-06-30", "@1814313600", "Wed, 30 Jun 2027 00:00:00 GMT"),
    ];
    for (day, deprecation, sunset) in cases {
        assert_eq!(http::deprecation_value(date(day)), deprecation);
        assert_eq!(http::http_date(date(day)), sunset);
    }
    let strings = [
        ("plain", "\"plain\""),
        ("a \"q\" \\", "\"a \\\"q\\\" \\\\\""),
        ("café 100%", "%\"caf%c3%a9 100%25\""),
    ];
    for (text, want) in strings {
        assert_eq!(http::sf_string(text), want);
    }
    let reasons = [
        (200, "OK"),
        (204, "No Content"),
        (418, "Client Error"),
        (599, "Server Error"),
    ];
    for (status, want) in reasons {
        assert_eq!(http::reason(status), want);
    }
}

/// A primitive, its JSON type, format, pattern and content encoding.
type WireCase = (
    Prim,
    JsonType,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
);

#[test]
fn one_wire_format_per_primitive() {
    let cases: [WireCase; 10] = [
        (Prim::Bool, JsonType::Boolean, None, None, None),
        (Prim::Int, JsonType::Integer, None, None, None),
        (Prim::Float, JsonType::Number, None, None, None),
        (Prim::Decimal, JsonType::Number, None, None, None),
        (Prim::String, JsonType::String, None, None, None),
        (Prim::Bytes, JsonType::String, None, None, Some("base64")),
        (
            Prim::Timestamp,
            JsonType::String,
            Some("date-time"),
            None,
            None,
        ),
        (Prim::Date, JsonType::String, Some("date"), None, None),
        (
            Prim::Duration,
            JsonType::String,
            None,
            Some(wire::DURATION_PATTERN),
            None,
        ),
        (Prim::Uuid, JsonType::String, Some("uuid"), None, None),
    ];
    for (p, json, format, pattern, encoding) in cases {
        let w = Wire::of(p);
        assert_eq!(
            (w.json, w.format, w.pattern, w.content_encoding),
            (json, format, pattern, encoding),
            "{}",
            p.name()
        );
    }
}
