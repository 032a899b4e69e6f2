//! Hover text (Markdown) for the name under the cursor: what it is, its type or shape, its doc
//! comment, its deprecation, and for policies the verdict they return.

use std::fmt::Write;

use super::{Member, Target, def_site, occurrence_at};
use crate::db::{Db, SourceFile, Workspace, parse};
use crate::ir::QualName;
use crate::semantics::{self, Sig};
use crate::syntax::{Span, ast};

/// The hover text and the span of the name it describes.
pub fn hover(
    db: &dyn Db,
    ws: Workspace,
    file: SourceFile,
    offset: usize,
) -> Option<(String, Span)> {
    let Some(occurrence) = occurrence_at(db, ws, file, offset) else {
        return role(db, ws, file, offset);
    };
    let span = occurrence.span;
    let target = occurrence.target.clone();
    let site = def_site(db, ws, &target);
    let tree = site.map(|s| &parse(db, s.file).file);
    let mut out = String::new();
    match &target {
        Target::Decl(q) => decl(db, ws, q, tree, &mut out),
        Target::Member(owner, member, name) => {
            let item = tree.and_then(|t| find_item(t, &owner.name));
            member_text(db, ws, owner, *member, name, item, &mut out);
        }
    }
    if let Some(site) = site {
        let _ = write!(out, "\n\n*declared in* `{}`", site.file.path(db));
    }
    Some((out, span))
}

fn find_item<'a>(file: &'a ast::File, name: &str) -> Option<&'a ast::Item> {
    file.items
        .iter()
        .find(|i| semantics::declared(i).is_some_and(|(n, _)| n.name == name))
}

fn code(out: &mut String, text: &str) {
    let _ = write!(out, "```charter\n{text}\n```");
}

fn doc(out: &mut String, doc: Option<&crate::Name>) {
    if let Some(doc) = doc {
        let _ = write!(out, "\n\n{doc}");
    }
}

fn expr_text(e: &ast::Expr) -> String {
    match &e.kind {
        ast::ExprKind::Str(s) => s.clone(),
        ast::ExprKind::Date(s) | ast::ExprKind::Int(s) | ast::ExprKind::Float(s) => s.clone(),
        ast::ExprKind::Path(p) => p.text(),
        _ => String::new(),
    }
}

/// `**Deprecated** since …, sunset …; use `x` instead. note`
fn deprecation(out: &mut String, annotations: &[ast::Annotation]) {
    let Some(a) = annotations.iter().find(|a| a.name.name == "deprecated") else {
        return;
    };
    let arg = |key: &str| {
        a.args
            .iter()
            .find(|x| x.key.as_ref().is_some_and(|k| k.name == key))
            .map(|x| expr_text(&x.value))
    };
    out.push_str("\n\n**Deprecated**");
    if let Some(since) = arg("since") {
        let _ = write!(out, " since {since}");
    }
    if let Some(sunset) = arg("sunset") {
        let _ = write!(out, ", sunset {sunset}");
    }
    if let Some(version) = arg("version") {
        let _ = write!(out, " (version {version})");
    }
    if let Some(replacement) = arg("use") {
        let _ = write!(out, "; use `{replacement}` instead");
    }
    if let Some(note) = arg("note") {
        let _ = write!(out, ". {note}");
    }
}

fn fields_text(sig: Option<&Sig>) -> String {
    sig.and_then(Sig::fields)
        .map(|fields| {
            fields
                .iter()
                .map(|f| format!("  {}: {}", f.name, f.ty.display()))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default()
}

fn decl(db: &dyn Db, ws: Workspace, q: &QualName, tree: Option<&ast::File>, out: &mut String) {
    let item = tree.and_then(|t| find_item(t, &q.name));
    let sig = semantics::sig_of(db, ws, q);
    let kind = semantics::index(db, ws)
        .lookup(&q.package, &q.name)
        .map_or("declaration", |s| s.kind.describe());
    match (item, sig.as_deref()) {
        (Some(ast::Item::Policy(p)), Some(Sig::Policy { default, rules, .. })) => {
            let mut head = format!("policy {q} on {}", p.resource.text());
            let subjects: Vec<String> = p.subjects.iter().map(ast::Path::text).collect();
            let _ = write!(head, " by {}", subjects.join(", "));
            if let Some(c) = &p.context {
                let _ = write!(head, " with {}", c.text());
            }
            if let Some(v) = &p.version {
                let _ = write!(head, " version \"{}\"", v.value);
            }
            let _ = write!(head, "\n  default {}", effect(*default));
            code(out, &head);
            doc(out, p.doc.as_ref());
            let _ = write!(out, "\n\n{} rules. Returns a verdict:", rules.len());
            let verdict = QualName::new("std.verdict", "Verdict");
            let verdict_sig = semantics::sig_of(db, ws, &verdict);
            out.push_str("\n\n");
            code(
                out,
                &format!(
                    "record Verdict {{\n{}\n}}",
                    fields_text(verdict_sig.as_deref())
                ),
            );
        }
        (item, Some(sig @ (Sig::Record { .. } | Sig::Shape { .. }))) => {
            code(
                out,
                &format!("{kind} {q} {{\n{}\n}}", fields_text(Some(sig))),
            );
            if let Some(item) = item {
                let (d, annotations) = doc_of(item);
                doc(out, d);
                deprecation(out, annotations);
            }
        }
        (
            item,
            Some(Sig::Enum {
                variants, ordered, ..
            }),
        ) => {
            let ordered = if *ordered { "ordered " } else { "" };
            code(
                out,
                &format!("{ordered}enum {q} {{ {} }}", variants.join(", ")),
            );
            if let Some(item) = item {
                let (d, annotations) = doc_of(item);
                doc(out, d);
                deprecation(out, annotations);
            }
        }
        (item, Some(Sig::Alias { ty })) => {
            code(out, &format!("type {q} = {}", ty.display()));
            if let Some(item) = item {
                doc(out, doc_of(item).0);
            }
        }
        (Some(ast::Item::Framework(f)), _) => {
            code(out, &format!("framework {q}"));
            if let Some(title) = &f.title {
                let _ = write!(out, "\n\n**{}**", title.value);
            }
            doc(out, f.doc.as_ref());
            let _ = write!(out, "\n\n{} requirements", f.requirements.len());
        }
        (Some(ast::Item::Service(s)), _) => {
            let mut head = format!("service {q}");
            if let Some(v) = &s.version {
                let _ = write!(head, " version \"{}\"", v.value);
            }
            if let Some(b) = &s.base {
                let _ = write!(head, " at \"{}\"", b.value);
            }
            code(out, &head);
            doc(out, s.doc.as_ref());
            deprecation(out, &s.annotations);
            let _ = write!(out, "\n\n{} operations", s.ops.len());
        }
        (Some(item @ (ast::Item::Control(_) | ast::Item::Threat(_))), _) => {
            let title = match item {
                ast::Item::Control(c) => c.title.as_ref(),
                ast::Item::Threat(t) => t.title.as_ref(),
                _ => None,
            };
            code(out, &format!("{kind} {q}"));
            if let Some(title) = title {
                let _ = write!(out, "\n\n**{}**", title.value);
            }
            doc(out, doc_of(item).0);
        }
        (item, _) => {
            code(out, &format!("{kind} {q}"));
            if let Some(item) = item {
                doc(out, doc_of(item).0);
            }
        }
    }
}

fn effect(e: crate::ir::Effect) -> &'static str {
    match e {
        crate::ir::Effect::Allow => "allow",
        crate::ir::Effect::Deny => "deny",
    }
}

fn doc_of(item: &ast::Item) -> (Option<&crate::Name>, &[ast::Annotation]) {
    match item {
        ast::Item::Record(x) => (x.doc.as_ref(), &x.annotations),
        ast::Item::Enum(x) => (x.doc.as_ref(), &x.annotations),
        ast::Item::Alias(x) => (x.doc.as_ref(), &x.annotations),
        ast::Item::Entity(x) => (x.doc.as_ref(), &x.annotations),
        ast::Item::Context(x) => (x.doc.as_ref(), &x.annotations),
        ast::Item::Policy(x) => (x.doc.as_ref(), &x.annotations),
        ast::Item::Service(x) => (x.doc.as_ref(), &x.annotations),
        ast::Item::Control(x) => (x.doc.as_ref(), &x.annotations),
        ast::Item::Threat(x) => (x.doc.as_ref(), &x.annotations),
        ast::Item::Framework(x) => (x.doc.as_ref(), &x.annotations),
        ast::Item::Action(x) => (x.doc.as_ref(), &x.annotations),
        ast::Item::Test(x) => (x.doc.as_ref(), &x.annotations),
        ast::Item::Package(_) | ast::Item::Use(_) | ast::Item::Error(_) => (None, &[]),
    }
}

fn member_text(
    db: &dyn Db,
    ws: Workspace,
    owner: &QualName,
    member: Member,
    name: &str,
    item: Option<&ast::Item>,
    out: &mut String,
) {
    match member {
        Member::Field => {
            let sig = semantics::sig_of(db, ws, owner);
            let ty = sig
                .as_deref()
                .and_then(Sig::fields)
                .and_then(|f| f.iter().find(|f| f.name == name))
                .map(|f| f.ty.display())
                .unwrap_or_default();
            code(out, &format!("{}.{name}: {ty}", owner.name));
            let fields = match item {
                Some(ast::Item::Record(r)) => Some(&r.fields),
                Some(ast::Item::Entity(r)) => Some(&r.fields),
                Some(ast::Item::Context(r)) => Some(&r.fields),
                _ => None,
            };
            if let Some(f) = fields.and_then(|fs| fs.iter().find(|f| f.name.name == name)) {
                doc(out, f.doc.as_ref());
                deprecation(out, &f.annotations);
            }
        }
        Member::Variant => {
            code(out, &format!("{}.{name}", owner.name));
            if let Some(ast::Item::Enum(e)) = item
                && let Some(v) = e.variants.iter().find(|v| v.name.name == name)
            {
                doc(out, v.doc.as_ref());
                deprecation(out, &v.annotations);
            }
        }
        Member::Rule => {
            if let Some(ast::Item::Policy(p)) = item
                && let Some(r) = p.rules.iter().find(|r| r.name.name == name)
            {
                code(
                    out,
                    &format!("{} {name}  // rule of {owner}", r.effect.as_str()),
                );
                doc(out, r.doc.as_ref());
                if let Some(reason) = &r.reason {
                    let _ = write!(out, "\n\nbecause \"{}\"", reason.value);
                }
            } else {
                code(out, &format!("rule {name} of {owner}"));
            }
        }
        Member::Op => {
            if let Some(ast::Item::Service(s)) = item
                && let Some(op) = s.ops.iter().find(|o| o.name.name == name)
            {
                let mut head = format!("op {name} {} \"{}\"", op.method.name, op.path.value);
                if let Some(result) = &op.result {
                    let _ = write!(head, " -> {}", type_text(result));
                }
                code(out, &head);
                let _ = write!(out, "\n\noperation of `{owner}`");
                doc(out, op.doc.as_ref());
                deprecation(out, &op.annotations);
            } else {
                code(out, &format!("op {name}  // of {owner}"));
            }
        }
        Member::Action => {
            code(out, &format!("action {name} on {owner}"));
        }
        Member::Requirement => {
            code(out, &format!("{}.\"{name}\"", owner.name));
            if let Some(ast::Item::Framework(f)) = item {
                if let Some(r) = f.requirements.iter().find(|r| r.id.value == name) {
                    let _ = write!(out, "\n\n**{}**", r.title.value);
                }
                if let Some(title) = &f.title {
                    let _ = write!(out, "\n\nrequirement of {}", title.value);
                }
            }
        }
    }
}

fn type_text(t: &ast::TypeExpr) -> String {
    match &t.kind {
        ast::TypeKind::Named(p) => p.text(),
        ast::TypeKind::Optional(inner) => format!("{}?", type_text(inner)),
        ast::TypeKind::Generic(name, args) => format!(
            "{}<{}>",
            name.name,
            args.iter().map(type_text).collect::<Vec<_>>().join(", ")
        ),
        ast::TypeKind::Range(inner, _, _) | ast::TypeKind::Matching(inner, _) => type_text(inner),
        ast::TypeKind::Error => "?".to_string(),
    }
}

/// `subject`, `resource` or `context` in a policy or a test: the type(s) the name has there.
fn role(db: &dyn Db, ws: Workspace, file: SourceFile, offset: usize) -> Option<(String, Span)> {
    use crate::syntax::lex::Tok;
    let (span, tok) = super::token_at(file.text(db), offset)?;
    let word = match tok {
        Tok::Subject => "subject",
        Tok::Resource => "resource",
        Tok::Context => "context",
        Tok::Ident(w) if w == "subject" || w == "resource" || w == "context" => w,
        _ => return None,
    };
    let parsed = parse(db, file);
    let item = parsed
        .file
        .items
        .iter()
        .find(|i| i.span().start <= span.start && span.end <= i.span().end)?;
    let policy = match item {
        ast::Item::Policy(p) => {
            let package = semantics::file_names(db, file).package.clone()?;
            QualName::new(package, p.name.name.clone())
        }
        ast::Item::Test(t) => {
            let last = t.policy.last()?.span;
            match &occurrence_at(db, ws, file, last.start as usize)?.target {
                Target::Decl(q) => q.clone(),
                Target::Member(..) => return None,
            }
        }
        _ => return None,
    };
    let Some(Sig::Policy {
        resource,
        subjects,
        context,
        ..
    }) = semantics::sig_of(db, ws, &policy).as_deref().cloned()
    else {
        return None;
    };
    let types: Vec<String> = match word {
        "subject" => subjects.iter().map(|q| q.name.to_string()).collect(),
        "resource" => resource.iter().map(|q| q.name.to_string()).collect(),
        _ => context.iter().map(|q| q.name.to_string()).collect(),
    };
    if types.is_empty() {
        return None;
    }
    let mut out = String::new();
    code(&mut out, &format!("{word}: {}", types.join(" | ")));
    let _ = write!(out, "\n\nthe request's {word} in policy `{policy}`");
    Some((out, span))
}
