use super::*;

fn small() -> (Model, Cedar) {
    let model = checked(crate::generate(4, 1)).unwrap();
    let cedar = translate(&model).unwrap();
    (model, cedar)
}

/// The policy (from `@id` to its `;`) whose id ends with `.{rule}` in the policy `policy`.
fn policy_text<'a>(cedar: &'a Cedar, policy: &str, rule: &str) -> &'a str {
    let id = format!("@id(\"{policy}.{rule}\")");
    let start = cedar
        .policies
        .find(&id)
        .unwrap_or_else(|| panic!("no {id}"));
    let end = start + cedar.policies[start..].find("};").unwrap();
    &cedar.policies[start..end]
}

#[test]
fn one_cedar_policy_per_rule_with_its_effect() {
    let (model, cedar) = small();
    let rules: Vec<_> = model.policies.iter().flat_map(|p| &p.rules).collect();
    assert!(rules.len() > 40, "{}", rules.len());
    assert_eq!(cedar.policies.matches("\n@id(").count(), rules.len());
    let allows = rules.iter().filter(|r| r.effect == Effect::Allow).count();
    let canaries = rules.iter().filter(|r| r.canary).count();
    assert_eq!(cedar.policies.matches("\npermit (").count(), allows);
    assert_eq!(
        cedar.policies.matches("\nforbid (").count(),
        rules.len() - allows
    );
    assert_eq!(
        cedar.policies.matches("@canary(\"true\")").count(),
        canaries
    );
    for policy in &model.policies {
        for rule in &policy.rules {
            let text = policy_text(&cedar, &policy.name.to_string(), &rule.name);
            assert!(
                text.contains(&format!("@reason({})", string(&rule.reason))),
                "{text}"
            );
        }
    }
}

#[test]
fn the_schema_declares_every_entity_context_and_action() {
    let (model, cedar) = small();
    for entity in &model.entities {
        let space = namespace(&entity.name.package).unwrap();
        let at = cedar.schema.find(&format!("namespace {space} {{")).unwrap();
        assert!(
            cedar.schema[at..].contains(&format!("  entity {} ", entity.name.name)),
            "{}",
            entity.name
        );
    }
    for context in &model.contexts {
        assert!(
            cedar
                .schema
                .contains(&format!("  type {} = {{", context.name.name)),
            "{}",
            context.name
        );
    }
    // The provenance envelope is reached from the contexts, in its own namespace.
    assert!(cedar.schema.contains("namespace std::provenance {"));
    assert!(cedar.schema.contains("  type Provenance = {"));
    assert!(cedar.schema.contains("    confidence: __cedar::decimal"));
    assert!(
        cedar
            .schema
            .contains("    provenance?: std::provenance::Provenance")
    );
    // Ordered enums are positions, other enums strings, sets of enums sets of strings.
    assert!(cedar.schema.contains("    clearance: Long"));
    assert!(cedar.schema.contains("    roles: Set<String>"));
    let actions: usize = cedar.schema.matches("  action ").count();
    assert!(actions >= 4, "{actions}");
    for action in ["read", "update", "export", "delete", "approve", "ingest"] {
        assert!(cedar.schema.contains(&string(action)), "{action}");
    }
    assert!(
        cedar
            .schema
            .contains("context: atlas::billing::InvoiceRequest")
    );
}

#[test]
fn conditions_keep_their_meaning() {
    let (_, cedar) = small();
    let access = "atlas.billing.billing_access";
    let ingest = "atlas.billing.billing_ingest";
    let text = policy_text(&cedar, access, "cross_tenant");
    assert!(
        text.contains("forbid (\n  principal is atlas::core::User,"),
        "{text}"
    );
    assert!(
        text.contains("resource is atlas::billing::Invoice\n)"),
        "{text}"
    );
    assert!(
        text.contains("principal.tenant != resource.tenant"),
        "{text}"
    );
    let text = policy_text(&cedar, access, "legal_hold");
    assert!(
        text.ends_with(
            "  action == atlas::billing::Action::\"delete\",\n  \
             resource is atlas::billing::Invoice\n)\nwhen { resource.legal_hold "
        ),
        "{text}"
    );
    // Sensitivity is ordered: public 0, internal 1, confidential 2, restricted 3.
    let text = policy_text(&cedar, access, "auditor_read");
    assert!(
        text.contains("principal.roles.contains(\"auditor\")"),
        "{text}"
    );
    assert!(text.contains("resource.sensitivity <= 2"), "{text}");
    let text = policy_text(&cedar, access, "read_within_clearance");
    assert!(
        text.contains("  action == atlas::billing::Action::\"read\",\n"),
        "{text}"
    );
    assert!(text.contains("permit ("), "{text}");
    assert!(
        text.contains("principal.clearance >= resource.sensitivity"),
        "{text}"
    );
    let text = policy_text(&cedar, ingest, "missing_provenance");
    assert!(
        text.ends_with("when { !(context has provenance) "),
        "{text}"
    );
    let text = policy_text(&cedar, ingest, "low_confidence");
    assert!(
        text.contains(
            "context has provenance &&\n  context has provenance && \
             context.provenance.confidence.lessThan(decimal(\"0.5\"))"
        ),
        "{text}"
    );
    let text = policy_text(&cedar, ingest, "below_ga_confidence");
    assert!(text.contains("@canary(\"true\")"), "{text}");
    assert!(
        text.contains("principal is atlas::core::Workload"),
        "{text}"
    );
    assert!(
        text.contains("action in [atlas::billing::Action::\"ingest\"]"),
        "{text}"
    );
}

#[test]
fn translation_is_deterministic() {
    let (_, a) = small();
    let (_, b) = small();
    assert_eq!(a, b);
    let other = translate(&checked(crate::generate(4, 2)).unwrap()).unwrap();
    assert_ne!(a.policies, other.policies);
}

#[test]
fn workload_size_follows_the_charter_workspace() {
    let files = crate::generate_lines(10_000, 1);
    let charter_lines = crate::line_count(&files);
    let cedar = translate(&checked(files).unwrap()).unwrap();
    let lines = cedar.schema.lines().count() + cedar.policies.lines().count();
    // No records for APIs, services, controls or tests on the Cedar side, but a Cedar policy per
    // rule with its scope spelt out: about as many lines as the Charter workspace.
    assert!(
        lines * 10 > charter_lines * 8 && lines * 10 < charter_lines * 12,
        "{lines} Cedar lines for {charter_lines} Charter lines"
    );
}

#[test]
fn strings_identifiers_and_decimals() {
    assert_eq!(string("a\"b\\c\nd\u{202e}"), "\"a\\\"b\\\\c\\nd\\u{202e}\"");
    assert!(is_identifier("legal_hold"));
    assert!(!is_identifier("in"));
    assert!(!is_identifier("9lives"));
    assert!(!is_identifier(""));
    assert_eq!(attribute("has"), "\"has\"");
    assert_eq!(namespace("atlas.billing2").unwrap(), "atlas::billing2");
    assert!(namespace("atlas.is").is_err());
    assert_eq!(expr::decimal_text("0.5").unwrap(), "0.5");
    assert_eq!(expr::decimal_text("1").unwrap(), "1.0");
    assert_eq!(expr::decimal_text("-2.25").unwrap(), "-2.25");
    assert!(expr::decimal_text("0.12345").is_err());
    assert!(expr::decimal_text("1e3").is_err());
}

#[test]
fn constructs_without_an_equivalent_are_errors() {
    let mut files = crate::generate(1, 1);
    let (path, text) = files
        .iter_mut()
        .find(|(path, _)| path.ends_with("/contexts.charter"))
        .unwrap();
    assert!(path.contains("billing"));
    // A context attribute Cedar cannot type: Cedar records have no open keys.
    *text = text.replace("  mfa: bool", "  mfa: bool\n  labels: map<string, string>?");
    let error = translate(&checked(files).unwrap()).unwrap_err();
    assert!(error.contains("map<string, string>"), "{error}");
}
