//! Policy test suites: each case's input is checked against the policy's declared types.

use super::Sig;
use super::check::{FileChecker, Place};
use super::policy::effect;
use super::values::Purpose;
use crate::diagnostics::{codes, suggestion};
use crate::ir::{self, Kind, QualName, Type, Value};
use crate::syntax::{Span, ast};

/// What a test case needs to know of its policy.
#[derive(Clone, Copy)]
struct PolicyView<'a> {
    policy: &'a QualName,
    resource: &'a QualName,
    subjects: &'a [QualName],
    context: Option<&'a QualName>,
    rules: &'a [(String, ir::Effect)],
    canary: &'a [String],
    decided: &'a [String],
    actions_known: bool,
    default_effect: Option<ir::Effect>,
}

impl FileChecker<'_> {
    pub(super) fn test_suite(&mut self, t: &ast::TestSuite) {
        self.annotations(&t.annotations, Place::Other);
        let Some(policy) = self.resolve_kind(&t.policy, &[Kind::Policy]) else {
            return;
        };
        let Some(sig) = self.sig(&policy) else { return };
        let Sig::Policy {
            resource: Some(resource),
            subjects,
            context,
            rules,
            default,
            complete: true,
            canary,
        } = sig.as_ref()
        else {
            // The policy's header did not resolve: its error is reported there.
            return;
        };
        let decided = super::decided_actions(self.db, self.ws, resource, subjects);
        let actions_known = super::actions_complete(self.db, self.ws);
        let default_effect = Some(*default);
        let mut seen: std::collections::BTreeMap<&str, Span> = std::collections::BTreeMap::new();
        for case in &t.cases {
            if let Some(first) = seen.get(case.name.value.as_str()) {
                let file = self.file;
                self.error(
                    codes::E1007,
                    format!("duplicate test case `{}`", case.name.value),
                    case.name.span,
                )
                .label("case named again")
                .secondary(file, *first, "first named here")
                .help("give every case its own name");
                continue;
            }
            seen.insert(&case.name.value, case.name.span);
            let view = PolicyView {
                policy: &policy,
                resource,
                subjects,
                context: context.as_ref(),
                rules,
                canary,
                decided: &decided,
                actions_known,
                default_effect,
            };
            if let Some(tc) = self.case(case, &view) {
                self.model.tests.push(tc);
            }
        }
    }

    fn case(&mut self, case: &ast::TestCase, view: &PolicyView<'_>) -> Option<ir::TestCase> {
        let PolicyView {
            policy,
            resource,
            subjects,
            context,
            rules,
            canary,
            decided,
            actions_known,
            default_effect,
        } = *view;
        let mut subject: Option<(Value, QualName)> = None;
        let mut resource_value: Option<Value> = None;
        let mut context_value: Option<Value> = None;
        let mut action: Option<String> = None;
        let mut expect: Option<(ir::Effect, Option<Option<String>>)> = None;
        let mut ok = true;
        let mut given = std::collections::BTreeMap::new();
        for item in &case.items {
            let (key, span) = match item {
                ast::CaseItem::Value { role, span, .. } => (role.as_str(), *span),
                ast::CaseItem::Action(_, span) => ("action", *span),
                ast::CaseItem::Expect { span, .. } => ("expect", *span),
                ast::CaseItem::Error(span) => ("error", *span),
            };
            if let Some(first) = given.insert(key, span) {
                let file = self.file;
                self.error(
                    codes::E4011,
                    format!("`{key}` is given twice in this case"),
                    span,
                )
                .label("repeated")
                .secondary(file, first, "first given here")
                .help("give each part of a case once");
                ok = false;
                continue;
            }
            match item {
                ast::CaseItem::Value {
                    role, ty, value, ..
                } => {
                    let expected: Option<QualName> = match role {
                        ast::Role::Subject => match (ty, subjects) {
                            (Some(path), _) => self.case_type(path, subjects, "subject"),
                            (None, [one]) => Some(one.clone()),
                            (None, _) => {
                                let names: Vec<&str> =
                                    subjects.iter().map(|s| s.name.as_str()).collect();
                                self.error(
                                    codes::E6004,
                                    "say which subject type this is",
                                    value.span,
                                )
                                .label("the policy takes several subject types")
                                .help(format!(
                                    "write `subject {} {{ ... }}`",
                                    names.first().copied().unwrap_or("Type")
                                ));
                                None
                            }
                        },
                        ast::Role::Resource => match ty {
                            Some(path) => {
                                self.case_type(path, std::slice::from_ref(resource), "resource")
                            }
                            None => Some(resource.clone()),
                        },
                        ast::Role::Context => match (ty, context) {
                            (_, None) => {
                                self.error(
                                    codes::E6005,
                                    "this policy takes no context",
                                    value.span,
                                )
                                .label("unexpected context")
                                .help("remove it, or declare the policy `with SomeContext`");
                                None
                            }
                            (Some(path), Some(c)) => {
                                self.case_type(path, std::slice::from_ref(c), "context")
                            }
                            (None, Some(c)) => Some(c.clone()),
                        },
                    };
                    let Some(expected) = expected else {
                        ok = false;
                        continue;
                    };
                    let kind = if *role == ast::Role::Context {
                        Kind::Context
                    } else {
                        Kind::Entity
                    };
                    // The value's own type name (if written) was checked above; check its contents.
                    let untyped = match &value.kind {
                        ast::ExprKind::Object(_, fields) => ast::Expr {
                            kind: ast::ExprKind::Object(None, fields.clone()),
                            span: value.span,
                        },
                        _ => value.clone(),
                    };
                    let checked = self.value(
                        &untyped,
                        &Type::Named(expected.clone(), kind),
                        role.as_str(),
                        Purpose::Test,
                    );
                    match (role, checked) {
                        (ast::Role::Subject, Some(v)) => subject = Some((v, expected)),
                        (ast::Role::Resource, Some(v)) => resource_value = Some(v),
                        (ast::Role::Context, Some(v)) => context_value = Some(v),
                        (_, None) => ok = false,
                    }
                }
                ast::CaseItem::Action(a, _) => {
                    if decided.iter().any(|d| d.as_str() == a.name.as_str()) {
                        action = Some(a.name.to_string());
                    } else if !actions_known {
                        ok = false;
                    } else {
                        let help = suggestion(
                            &a.name,
                            decided.iter().map(String::as_str),
                            &format!("`{}` decides: {}", policy.name, decided.join(", ")),
                        );
                        self.error(
                            codes::E3002,
                            format!(
                                "policy `{}` does not decide action `{}`",
                                policy.name, a.name
                            ),
                            a.span,
                        )
                        .label("not an action of this policy")
                        .help(help);
                        ok = false;
                    }
                }
                ast::CaseItem::Expect { effect: e, by, .. } => {
                    let e = effect(*e);
                    let rule = match by {
                        None => None,
                        Some(by) if by.name == "default" => {
                            if let Some(d) = default_effect
                                && d != e
                            {
                                self.error(
                                    codes::E6006,
                                    format!(
                                        "the default of `{}` is {}, not {}",
                                        policy.name,
                                        d.as_str(),
                                        e.as_str()
                                    ),
                                    by.span,
                                )
                                .label("the default cannot give this effect")
                                .help(format!("expect `{} by default`", d.as_str()));
                                ok = false;
                            }
                            Some(None)
                        }
                        Some(by) => match rules.iter().find(|(n, _)| *n == by.name) {
                            Some((name, _)) if canary.contains(name) => {
                                self.error(codes::E6003, format!("rule `{name}` is a canary rule and never decides"), by.span)
                                    .label("canary rules are reported, not enforced")
                                    .help("expect the rule or default that decides; canary matches show in the verdict's `canary` list");
                                ok = false;
                                None
                            }
                            Some((name, rule_effect)) => {
                                if *rule_effect != e {
                                    self.error(
                                        codes::E6006,
                                        format!(
                                            "rule `{name}` is {} rule",
                                            if *rule_effect == ir::Effect::Allow {
                                                "an allow"
                                            } else {
                                                "a deny"
                                            }
                                        ),
                                        by.span,
                                    )
                                    .label(format!("cannot {} by this rule", e.as_str()))
                                    .help(format!(
                                        "expect `{} by {name}`, or name {} rule",
                                        rule_effect.as_str(),
                                        if e == ir::Effect::Allow {
                                            "an allow"
                                        } else {
                                            "a deny"
                                        }
                                    ));
                                    ok = false;
                                }
                                Some(Some(name.clone()))
                            }
                            None => {
                                let help = suggestion(
                                    &by.name,
                                    rules.iter().map(|(n, _)| n.as_str()),
                                    "name a rule of the policy, or `default`",
                                );
                                self.error(
                                    codes::E6003,
                                    format!("policy `{}` has no rule `{}`", policy.name, by.name),
                                    by.span,
                                )
                                .label("unknown rule")
                                .help(help);
                                ok = false;
                                None
                            }
                        },
                    };
                    expect = Some((e, rule));
                }
                ast::CaseItem::Error(_) => ok = false,
            }
        }
        let mut missing = Vec::new();
        if subject.is_none() && !given.contains_key("subject") {
            missing.push("subject");
        }
        if resource_value.is_none() && !given.contains_key("resource") {
            missing.push("resource");
        }
        if action.is_none() && !given.contains_key("action") {
            missing.push("action");
        }
        if expect.is_none() && !given.contains_key("expect") {
            missing.push("expect");
        }
        if !missing.is_empty() {
            self.error(codes::E6004, format!("test case `{}` has no {}", case.name.value, missing.join(", ")), case.name.span)
                .label("incomplete case")
                .help("a case gives `subject`, `resource`, `action` and `expect` (and `context` if the policy has one)");
            return None;
        }
        if context_value.is_none()
            && !given.contains_key("context")
            && let Some(c) = context
        {
            // No context written: an empty one, which must still fit.
            let empty = ast::Expr {
                kind: ast::ExprKind::Object(None, Vec::new()),
                span: case.name.span,
            };
            context_value = self.value(
                &empty,
                &Type::Named(c.clone(), Kind::Context),
                "context",
                Purpose::Test,
            );
            if context_value.is_none() {
                ok = false;
            }
        }
        if !ok {
            return None;
        }
        let (subject, subject_type) = subject?;
        let (expect_effect, expect_rule) = expect?;
        Some(ir::TestCase {
            name: case.name.value.clone(),
            policy: policy.clone(),
            subject,
            subject_type,
            resource: resource_value?,
            action: action?,
            context: context_value.unwrap_or(Value::Object(Vec::new())),
            expect_effect,
            expect_rule,
            loc: self.loc(case.name.span),
        })
    }

    fn case_type(
        &mut self,
        path: &ast::Path,
        allowed: &[QualName],
        role: &str,
    ) -> Option<QualName> {
        let name = self.resolve_kind(path, &[Kind::Entity, Kind::Context, Kind::Record])?;
        if allowed.contains(&name) {
            return Some(name);
        }
        let list: Vec<&str> = allowed.iter().map(|a| a.name.as_str()).collect();
        self.error(
            codes::E6005,
            format!("the policy's {role} is not `{}`", name.name),
            path.span,
        )
        .label(format!("expected {}", list.join(" or ")))
        .help(format!(
            "write `{role} {} {{ ... }}`",
            list.first().copied().unwrap_or("Type")
        ));
        None
    }
}
