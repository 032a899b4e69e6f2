//! The formatted conditions of a file's rules, for outputs that show a rule as people read it
//! (the auditor portal): the same printer as `charter fmt`, so a condition reads exactly as in
//! the formatted source (`when a and b`, a long chain one operand per line), without comments.

use super::comments::{LexKind, scan};
use super::printer::Printer;
use crate::syntax::ast::Item;
use crate::syntax::parse;

/// One rule's condition as `charter fmt` prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleCondition {
    /// The policy's local name.
    pub policy: String,
    pub rule: String,
    /// `when …`, on one or more lines (no trailing line break); empty for a rule without one.
    pub text: String,
}

/// The condition of every rule of every policy in `text` (named `path`), in source order. A
/// rule whose condition cannot be printed (it did not parse) is left out.
pub fn rule_conditions(path: &str, text: &str) -> Vec<RuleCondition> {
    let parsed = parse(path, text);
    let toks: Vec<(u32, u32)> = scan(text)
        .iter()
        .filter(|l| l.kind == LexKind::Token)
        .map(|l| (l.start, l.end))
        .collect();
    let mut out = Vec::new();
    for item in &parsed.file.items {
        let Item::Policy(policy) = item else {
            continue;
        };
        for rule in &policy.rules {
            let text = match &rule.condition {
                None => Some(String::new()),
                Some(cond) => {
                    let mut printer = Printer::new(text, toks.clone(), Vec::new());
                    printer.kw("when");
                    printer.sp();
                    printer.condition(cond);
                    printer
                        .finish()
                        .ok()
                        .map(|t| t.trim_end_matches('\n').to_string())
                }
            };
            if let Some(text) = text {
                out.push(RuleCondition {
                    policy: policy.name.name.to_string(),
                    rule: rule.name.name.to_string(),
                    text,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_read_as_formatted() {
        let text = "package p\npolicy P on R by S default deny \"no\" {\n deny a when   subject.x==1 \
                    and( resource.y  in subject.z) because \"r\"\n allow b because \"open\"\n}\n";
        let found = rule_conditions("p.charter", text);
        let texts: Vec<(&str, &str)> = found
            .iter()
            .map(|c| (c.rule.as_str(), c.text.as_str()))
            .collect();
        assert_eq!(
            texts,
            [
                ("a", "when subject.x == 1 and (resource.y in subject.z)"),
                ("b", "")
            ]
        );
    }
}
