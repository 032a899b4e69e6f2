//! Data-driven tests: fixtures are files whose text marks the cursor with `$0`.

use super::*;
use crate::db::Database;

const IDENTITY: &str = "package acme.identity

/// A person, café 𝄞 included.
entity User {
  id: string
  tenant: string
  roles: list<Role>
  manager: User?
}

enum Role { admin, steward, viewer }

entity Dataset {
  tenant: string
  owner: string
}

action read, export on Dataset by User
";

const POLICY: &str = r#"package acme.policy

use acme.identity.{User, Dataset, Role}
use std.frameworks.soc2

/// Who reads datasets (é).
policy access on Dataset by User
  default deny "no"
{
  /// Same tenant.
  allow same_tenant
    when action == read and subject.tenant == resource.tenant and Role.admin in subject.roles
    because "𝄞 same"
}

control C-1 "Control" {
  satisfies soc2."CC6.1"
  enforced by access
}

test access {
  "reads" {
    subject User { id: "u", tenant: "t", roles: [steward] }
    resource Dataset { tenant: "t", owner: "u" }
    action read
    expect allow by same_tenant
  }
}
"#;

/// Builds the workspace with `$0` removed from the one file that has it.
fn fixture(files: &[(&str, &str)]) -> (Database, Workspace, SourceFile, usize) {
    let db = Database::default();
    let mut cursor = None;
    let cleaned: Vec<(String, String)> = files
        .iter()
        .map(|(path, text)| {
            if let Some(at) = text.find("$0") {
                cursor = Some(((*path).to_string(), at));
            }
            ((*path).to_string(), text.replacen("$0", "", 1))
        })
        .collect();
    let refs: Vec<(&str, &str)> = cleaned
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let ws = crate::workspace::from_sources(&db, &refs);
    let (path, offset) = cursor.unwrap_or_default();
    let file = file_by_path(&db, ws, &path).or_else(|| ws.files(&db).last().copied());
    let Some(file) = file else {
        unreachable!("the workspace has files");
    };
    (db, ws, file, offset)
}

/// The two summit-like files with the cursor placed before the `n`th occurrence of `needle`
/// in the policy file.
fn at(needle: &str, nth: usize) -> (Database, Workspace, SourceFile, usize) {
    let mut text = POLICY.to_string();
    let pos = text.match_indices(needle).nth(nth).map(|(i, _)| i);
    assert!(pos.is_some(), "`{needle}` #{nth} not in the fixture");
    text.insert_str(pos.unwrap_or_default(), "$0");
    fixture(&[("identity.charter", IDENTITY), ("policy.charter", &text)])
}

fn text_at(db: &Database, loc: Location) -> String {
    loc.file
        .text(db)
        .get(loc.span.range())
        .unwrap_or_default()
        .to_string()
}

#[test]
fn definition_crosses_files() {
    let (db, ws, file, offset) = at("Dataset by User", 0);
    let def = definition(&db, ws, file, offset);
    let def = def.unwrap_or_else(|| unreachable!("no definition"));
    assert_eq!(def.file.path(&db), "identity.charter");
    assert_eq!(text_at(&db, def), "Dataset");
    let expected = IDENTITY.find("entity Dataset").map(|i| i + "entity ".len());
    assert_eq!(Some(def.span.start as usize), expected);
}

#[test]
fn definition_of_attributes_enum_values_actions_and_rules() {
    for (needle, nth, file, expected) in [
        ("tenant == resource", 0, "identity.charter", "tenant"),
        ("admin in", 0, "identity.charter", "admin"),
        ("read and", 0, "identity.charter", "read"),
        ("steward]", 0, "identity.charter", "steward"),
        ("same_tenant\n  }", 0, "policy.charter", "same_tenant"),
        ("owner: \"u\"", 0, "identity.charter", "owner"),
    ] {
        let (db, ws, f, offset) = at(needle, nth);
        let def = definition(&db, ws, f, offset).unwrap_or_else(|| unreachable!("{needle}"));
        assert_eq!(def.file.path(&db), file, "{needle}");
        assert_eq!(text_at(&db, def), expected, "{needle}");
    }
}

#[test]
fn definition_into_the_standard_library() {
    let (db, ws, file, offset) = at("\"CC6.1\"", 0);
    let def = definition(&db, ws, file, offset).unwrap_or_else(|| unreachable!("no def"));
    assert_eq!(def.file.path(&db), "<std>/frameworks/soc2.charter");
    assert_eq!(text_at(&db, def), "\"CC6.1\"");
}

#[test]
fn references_include_uses_in_every_file() {
    let (db, ws, file, offset) = at("User\n", 0);
    let refs = references(&db, ws, file, offset, true);
    let places: Vec<(String, String)> = refs
        .iter()
        .map(|l| (l.file.path(&db).clone(), text_at(&db, *l)))
        .collect();
    // identity: declaration, `manager: User?`, `by User`; policy: use, `by User`, `subject User`.
    assert_eq!(places.len(), 6, "{places:?}");
    assert!(places.iter().all(|(_, t)| t == "User"));
    let without = references(&db, ws, file, offset, false);
    assert_eq!(without.len(), 5);
}

#[test]
fn hover_shows_types_docs_and_titles() {
    let (db, ws, file, offset) = at("tenant == resource", 0);
    let (text, span) = hover(&db, ws, file, offset).unwrap_or_else(|| unreachable!("no hover"));
    assert!(text.contains("User.tenant: string"), "{text}");
    assert_eq!(file.text(&db).get(span.range()), Some("tenant"));
    let (db, ws, file, offset) = at("User\n", 0);
    let (text, _) = hover(&db, ws, file, offset).unwrap_or_else(|| unreachable!("no hover"));
    assert!(text.contains("entity acme.identity.User"), "{text}");
    assert!(text.contains("café 𝄞 included"), "{text}");
    assert!(text.contains("roles: list<Role>"), "{text}");
    let (db, ws, file, offset) = at("\"CC6.1\"", 0);
    let (text, _) = hover(&db, ws, file, offset).unwrap_or_else(|| unreachable!("no hover"));
    assert!(text.contains("soc2.\"CC6.1\""), "{text}");
    assert!(text.contains("**"), "the requirement's title: {text}");
    let (db, ws, file, offset) = at("access on", 0);
    let (text, _) = hover(&db, ws, file, offset).unwrap_or_else(|| unreachable!("no hover"));
    assert!(text.contains("Who reads datasets (é)."), "{text}");
    assert!(
        text.contains("rule_id: string"),
        "the verdict fields: {text}"
    );
}

#[test]
fn hover_shows_the_type_of_roles() {
    for (needle, expected) in [
        ("subject.tenant", "subject: User"),
        ("resource.tenant", "resource: Dataset"),
        ("subject User {", "subject: User"),
    ] {
        let (db, ws, file, offset) = at(needle, 0);
        let (text, span) = hover(&db, ws, file, offset).unwrap_or_else(|| unreachable!("{needle}"));
        assert!(text.contains(expected), "{needle}: {text}");
        assert_eq!(span.start as usize, offset);
    }
}

#[test]
fn hover_shows_deprecations() {
    let lib = "package svc\nrecord T { x: string }\nservice S {\n  op get GET \"/v2\" () -> T\n  @deprecated(since: 2026-03-01, sunset: 2027-06-30, use: get, note: \"slow\")\n  op old$0_get GET \"/v1\" () -> T\n}\n";
    let (db, ws, file, offset) = fixture(&[("s.charter", lib)]);
    let (text, _) = hover(&db, ws, file, offset).unwrap_or_else(|| unreachable!("no hover"));
    assert!(
        text.contains("since 2026-03-01, sunset 2027-06-30"),
        "{text}"
    );
    assert!(text.contains("use `get` instead"), "{text}");
    let lib2 = lib
        .replace("old$0_get", "old_get")
        .replace("use: get", "use: g$0et");
    let (db, ws, file, offset) = fixture(&[("s.charter", &lib2)]);
    let def = definition(&db, ws, file, offset).unwrap_or_else(|| unreachable!("no def"));
    assert_eq!(text_at(&db, def), "get");
}

#[test]
fn rename_renames_every_occurrence_and_refuses_the_standard_library() {
    let (db, ws, file, offset) = at("Dataset by User", 0);
    let edits = rename(&db, ws, file, offset, "Table").unwrap_or_default();
    assert_eq!(edits.len(), 5, "declaration, action, use, policy, test");
    assert!(
        edits
            .iter()
            .all(|(l, n)| n == "Table" && text_at(&db, *l) == "Dataset")
    );
    let (db, ws, file, offset) = at("soc2\n", 0);
    let refused = prepare_rename(&db, ws, file, offset);
    assert!(
        refused
            .as_ref()
            .is_err_and(|m| m.contains("standard library")),
        "{refused:?}"
    );
    let (db, ws, file, offset) = at("policy access", 0);
    let refused = prepare_rename(&db, ws, file, offset);
    assert!(
        refused.as_ref().is_err_and(|m| m.contains("keyword")),
        "{refused:?}"
    );
    let (db, ws, file, offset) = at("Dataset by User", 0);
    assert!(rename(&db, ws, file, offset, "policy").is_err());
    assert!(rename(&db, ws, file, offset, "two words").is_err());
}

fn labels(list: &[Completion]) -> Vec<&str> {
    list.iter().map(|c| c.label.as_str()).collect()
}

#[test]
fn completion_after_dots() {
    let (db, ws, file, offset) = at("tenant == resource", 0);
    let got = completions(&db, ws, file, offset);
    assert!(
        labels(&got).contains(&"roles") && labels(&got).contains(&"manager"),
        "{got:?}"
    );
    let (db, ws, file, offset) = at("admin in", 0);
    assert_eq!(
        labels(&completions(&db, ws, file, offset)),
        ["admin", "steward", "viewer"]
    );
    let (db, ws, file, offset) = at("\"CC6.1\"", 0);
    let got = completions(&db, ws, file, offset);
    let cc61 = got.iter().find(|c| c.label == "CC6.1");
    assert_eq!(cc61.and_then(|c| c.insert.as_deref()), Some("\"CC6.1\""));
    assert!(cc61.is_some_and(|c| c.kind == CompletionKind::Requirement));
    let (db, ws, file, offset) = at("identity.{", 0);
    let got = completions(&db, ws, file, offset);
    assert!(labels(&got).contains(&"identity"), "{got:?}");
}

#[test]
fn completion_of_enum_values_after_a_comparison() {
    let text = POLICY.replace(
        "Role.admin in subject.roles",
        "subject.manager.tenant == \"x\" and resource.tenant == resource.owner",
    );
    let enum_policy = text.replace("resource.tenant == resource.owner", "subject.roles == $0");
    let (db, ws, file, offset) = fixture(&[
        ("identity.charter", IDENTITY),
        ("policy.charter", &enum_policy),
    ]);
    let got = completions(&db, ws, file, offset);
    // `roles` is a list, not an enum: no values offered.
    assert!(
        !got.iter().any(|c| c.kind == CompletionKind::EnumValue),
        "{got:?}"
    );
    let identity = IDENTITY.replace(
        "  tenant: string
  roles",
        "  tenant: string
  role: Role
  roles",
    );
    let role_policy = text.replace("resource.tenant == resource.owner", "subject.role != $0");
    let (db, ws, file, offset) = fixture(&[
        ("identity.charter", &identity),
        ("policy.charter", &role_policy),
    ]);
    let got = completions(&db, ws, file, offset);
    let values: Vec<&str> = got
        .iter()
        .filter(|c| c.kind == CompletionKind::EnumValue)
        .map(|c| c.label.as_str())
        .collect();
    assert_eq!(values, ["admin", "steward", "viewer"]);
}

#[test]
fn completion_of_keywords_names_and_actions() {
    let (db, ws, file, offset) = at("action == read", 0);
    let got = completions(&db, ws, file, offset);
    let names = labels(&got);
    for expected in [
        "allow", "when", "User", "Dataset", "access", "read", "export", "string",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} missing from {names:?}"
        );
    }
    let (db, ws, file, offset) = at("control C-1", 0);
    let names: Vec<String> = completions(&db, ws, file, offset)
        .into_iter()
        .map(|c| c.label)
        .collect();
    assert!(names.contains(&"policy".to_string()) && !names.contains(&"when".to_string()));
}

#[test]
fn outline_tokens_and_folds() {
    let (db, ws, file, _) = at("package", 0);
    let symbols = document_symbols(&db, file);
    let names: Vec<&str> = symbols.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["access", "C-1", "test access"]);
    assert_eq!(symbols.first().map(|s| s.children.len()), Some(1));
    let found = workspace_symbols(&db, ws, "data", 10);
    assert_eq!(found.len(), 1);
    let tokens = semantic_tokens(&db, ws, file);
    let kind_of = |needle: &str| {
        let at = file.text(&db).find(needle).unwrap_or_default();
        tokens
            .iter()
            .find(|(s, _)| s.start as usize == at)
            .map(|(_, k)| *k)
    };
    assert_eq!(kind_of("policy access"), Some(TokenKind::Keyword));
    assert_eq!(kind_of("Role.admin"), Some(TokenKind::Enum));
    assert_eq!(kind_of("admin in"), Some(TokenKind::EnumMember));
    assert_eq!(kind_of("tenant =="), Some(TokenKind::Property));
    assert_eq!(kind_of("/// Who"), Some(TokenKind::Comment));
    let folds = folding_ranges(&db, file);
    assert!(folds.len() >= 4, "{folds:?}");
}

#[test]
fn quick_fix_inputs() {
    let text = "package acme.policy\n\nuse acme.identity.User\n\npolicy p on Dataset by User default deny {}\n";
    let (db, ws, file, _) =
        fixture(&[("identity/i.charter", IDENTITY), ("policy/p.charter", text)]);
    let diags = crate::semantics::diagnostics(&db, ws);
    let missing = diags.iter().find(|d| d.message.contains("Dataset"));
    assert!(missing.is_some_and(|d| d.suggestion.is_none()), "{diags:?}");
    assert_eq!(
        import_candidates(&db, ws, file, "Dataset"),
        ["acme.identity"]
    );
    let at = use_insertion(&db, file);
    assert_eq!(
        text.get(at..).map(|r| r.starts_with("\npolicy")),
        Some(true)
    );
    let text2 = text.replace("by User", "by Usr");
    let (db, ws, _, _) = fixture(&[
        ("identity/i.charter", IDENTITY),
        ("policy/p.charter", &text2),
    ]);
    let diags = crate::semantics::diagnostics(&db, ws);
    let typo = diags.iter().find(|d| d.message.contains("Usr"));
    assert_eq!(
        typo.and_then(|d| d.suggestion.as_deref()),
        Some("User"),
        "{diags:?}"
    );
}
