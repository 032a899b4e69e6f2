//! Per-file analysis: the driver, type declarations and annotations. Policies, contracts,
//! compliance and tests have modules of their own; all of them work on one [`FileChecker`].

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::wire::{WireMember, written_wire};
use super::{FileAnalysis, Scope, Sig, index, sig_of, types};
use crate::config::Config;
use crate::db::{Db, SourceFile, Workspace, parse};
use crate::diagnostics::{Diagnostic, codes, suggestion};
use crate::ir::{self, Kind, QualName, Type};
use crate::literal::Date;
use crate::syntax::{Span, ast};

/// The analysis context of one file.
pub(super) struct FileChecker<'a> {
    pub db: &'a dyn Db,
    pub ws: Workspace,
    pub file: &'a str,
    /// The file's path as every [`ir::Loc`] of the file holds it: made once, shared.
    pub loc_file: crate::Name,
    pub scope: Scope<'a>,
    pub config: &'a Config,
    pub diags: Vec<Diagnostic>,
    pub model: ir::Model,
    /// `use:` targets of deprecations in the service being checked, validated at its end.
    pub pending_replacements: Vec<(String, Span)>,
    /// Conditions that failed to type (reported or not): lints skip rules that have any.
    pub poison: usize,
    /// Depth of nested value checks, bounded so alias cycles cannot recurse forever.
    pub value_depth: usize,
    /// Compiled `matching` patterns by their text.
    pub patterns: BTreeMap<String, Option<regex::Regex>>,
    /// `@approved_breaking` on members (fields, values, operations, rules) whose owner's name
    /// is added when the owner is approved: (member, reason, span).
    pub member_approvals: Vec<(String, String, Span)>,
    /// Signatures already looked up by this file (a file asks for the same few many times).
    pub sigs: RefCell<HashMap<QualName, Option<Arc<Sig>>>>,
}

impl FileChecker<'_> {
    pub fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    pub fn error(
        &mut self,
        code: crate::diagnostics::Code,
        message: impl Into<String>,
        span: Span,
    ) -> &mut Diagnostic {
        self.diags
            .push(Diagnostic::error(code, message, self.file, span));
        let last = self.diags.len() - 1;
        #[expect(
            clippy::indexing_slicing,
            reason = "the element was pushed on the line above"
        )]
        &mut self.diags[last]
    }

    /// A declared version (checked to be semantic), or the package's version.
    pub fn version(&mut self, written: Option<&ast::StrLit>) -> String {
        let Some(v) = written else {
            return self.config.version.clone();
        };
        if crate::literal::Version::parse(&v.value).is_none() {
            self.error(
                codes::E4009,
                format!("invalid version `{}`", v.value),
                v.span,
            )
            .label("not a semantic version")
            .help("write MAJOR.MINOR.PATCH, such as \"2.1.0\"");
        }
        v.value.clone()
    }

    pub fn sig(&self, name: &QualName) -> Option<Arc<Sig>> {
        if let Some(found) = self.sigs.borrow().get(name) {
            return found.clone();
        }
        let found = sig_of(self.db, self.ws, name);
        self.sigs.borrow_mut().insert(name.clone(), found.clone());
        found
    }

    pub fn loc(&self, span: Span) -> ir::Loc {
        ir::Loc {
            file: self.loc_file.clone(),
            span,
        }
    }

    /// The type with aliases resolved and refinements stripped.
    pub fn base(&self, ty: &Type) -> Type {
        types::base(ty, &|name| match self.sig(name).as_deref() {
            Some(Sig::Alias { ty }) => Some(ty.clone()),
            _ => None,
        })
    }

    pub fn lower_type(&mut self, t: &ast::TypeExpr) -> Type {
        let mut diags = std::mem::take(&mut self.diags);
        let ty = types::lower(t, &self.scope, self.file, &mut diags);
        self.diags = diags;
        ty
    }

    pub fn resolve_kind(&mut self, path: &ast::Path, kinds: &[Kind]) -> Option<QualName> {
        let mut diags = std::mem::take(&mut self.diags);
        let found = self.scope.resolve_kind(path, kinds, self.file, &mut diags);
        self.diags = diags;
        found
    }

    /// Reports member names an output cannot carry (E1009): a name beginning with `__` (GraphQL
    /// reserves them for introspection; `__proto__` is also JavaScript's prototype) and, for enum
    /// values, `null`, `true` and `false` (GraphQL enum values cannot be spelled so).
    pub fn reserved<'i>(
        &mut self,
        names: impl IntoIterator<Item = &'i ast::Ident>,
        what: &str,
        enum_values: bool,
    ) {
        for ident in names {
            let name = ident.name.as_str();
            let why = if name.starts_with("__") {
                "names beginning with `__` are reserved by GraphQL (and `__proto__` by JavaScript)"
            } else if enum_values && matches!(name, "null" | "true" | "false") {
                "GraphQL cannot spell an enum value `null`, `true` or `false`"
            } else {
                continue;
            };
            let d = Diagnostic::error(
                codes::E1009,
                format!("{what} `{name}` has a reserved name"),
                self.file,
                ident.span,
            )
            .with_label(why)
            .with_help(format!("rename the {what}; see `charter explain E1009`"));
            self.push(d);
        }
    }

    /// Reports members that share a name: `what` says which kind of member.
    pub fn duplicates<'i>(&mut self, names: impl IntoIterator<Item = &'i ast::Ident>, what: &str) {
        let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
        for ident in names {
            if let Some(first) = seen.get(ident.name.as_str()) {
                let d = Diagnostic::error(
                    codes::E1007,
                    format!("duplicate {what} `{}`", ident.name),
                    self.file,
                    ident.span,
                )
                .with_label(format!("{what} declared again here"))
                .with_secondary(self.file, *first, "first declared here")
                .with_help(format!("rename or remove one of the two {what}s"));
                self.push(d);
            } else {
                seen.insert(&ident.name, ident.span);
            }
        }
    }
}

/// Which annotations a declaration may carry.
#[derive(Clone, Copy)]
pub(super) enum Place {
    Type,
    Field,
    Variant,
    Rule,
    Operation,
    Service,
    /// A query parameter of an operation: only `@wire`.
    QueryParam,
    /// A path or body parameter: no annotation.
    Param,
    Other,
}

/// What the annotations of one declaration say.
#[derive(Default)]
pub(super) struct Annotations {
    pub deprecated: Option<(ir::Deprecation, Span)>,
    pub canary: bool,
    pub approved_breaking: Option<(String, Span)>,
    /// `@wire("NAME")`: the member's name on the wire.
    pub wire: Option<(String, Span)>,
    /// `@nullable`: the field may be present and `null`.
    pub nullable: bool,
    /// `@status(CODE)`: the operation's success status, 200–299.
    pub status: Option<(u16, Span)>,
    /// `@public("reason")` on an operation: deliberately without a guard.
    pub public: Option<(String, Span)>,
}

const ANNOTATIONS: &[&str] = &[
    "deprecated",
    "canary",
    "approved_breaking",
    "wire",
    "nullable",
    "status",
    "public",
];

impl FileChecker<'_> {
    pub fn annotations(&mut self, anns: &[ast::Annotation], place: Place) -> Annotations {
        let mut out = Annotations::default();
        let mut seen: Vec<&str> = Vec::new();
        for ann in anns {
            let name = ann.name.name.as_str();
            if seen.contains(&name) {
                self.error(codes::E7002, format!("`@{name}` is given twice"), ann.span)
                    .label("repeated annotation")
                    .help("keep one");
                continue;
            }
            seen.push(name);
            if matches!(place, Place::QueryParam | Place::Param)
                && name != "wire"
                && ANNOTATIONS.contains(&name)
            {
                self.error(
                    codes::E7007,
                    format!("`@{name}` is not allowed here"),
                    ann.span,
                )
                .label("misplaced annotation")
                .help("a parameter takes only `@wire(\"NAME\")`, and only a query parameter");
                continue;
            }
            match name {
                "deprecated" => {
                    if matches!(place, Place::Rule | Place::Other) {
                        self.misplaced(ann, "operations, services, types, fields and enum values");
                        continue;
                    }
                    out.deprecated = self.deprecation(ann, place).map(|d| (d, ann.span));
                }
                "canary" => {
                    if !matches!(place, Place::Rule) {
                        self.misplaced(ann, "policy rules");
                        continue;
                    }
                    if !ann.args.is_empty() {
                        self.error(codes::E7002, "`@canary` takes no arguments", ann.span)
                            .label("unexpected arguments")
                            .help("write `@canary` alone");
                    }
                    out.canary = true;
                }
                "wire" => {
                    if !matches!(place, Place::Field | Place::Variant | Place::QueryParam) {
                        self.misplaced(ann, "record fields, enum values and query parameters");
                        continue;
                    }
                    out.wire = self.wire(ann).map(|w| (w, ann.span));
                }
                "nullable" => {
                    if !matches!(place, Place::Field) {
                        self.misplaced(ann, "record fields");
                        continue;
                    }
                    if !ann.args.is_empty() {
                        self.error(codes::E7002, "`@nullable` takes no arguments", ann.span)
                            .label("unexpected arguments")
                            .help("write `@nullable` alone");
                    }
                    out.nullable = true;
                }
                "status" => {
                    if !matches!(place, Place::Operation) {
                        self.misplaced(ann, "operations");
                        continue;
                    }
                    out.status = self.status(ann).map(|s| (s, ann.span));
                }
                "approved_breaking" => match ann.args.as_slice() {
                    [ast::AnnotationArg { key: None, value }]
                        if matches!(value.kind, ast::ExprKind::Str(_)) =>
                    {
                        if let ast::ExprKind::Str(reason) = &value.kind {
                            out.approved_breaking = Some((reason.clone(), ann.span));
                        }
                    }
                    _ => {
                        self.error(
                            codes::E7002,
                            "`@approved_breaking` takes one reason",
                            ann.span,
                        )
                        .label("expected one string")
                        .help("write `@approved_breaking(\"why this break is acceptable\")`");
                    }
                },
                "public" => {
                    if !matches!(place, Place::Operation) {
                        self.misplaced(ann, "operations without `guarded by`");
                        continue;
                    }
                    match ann.args.as_slice() {
                        [ast::AnnotationArg { key: None, value }] => match &value.kind {
                            ast::ExprKind::Str(reason) if !reason.trim().is_empty() => {
                                out.public = Some((reason.clone(), ann.span));
                            }
                            _ => self.public_reason(ann.span),
                        },
                        _ => self.public_reason(ann.span),
                    }
                }
                other => {
                    let help = suggestion(
                        other,
                        ANNOTATIONS.iter().copied(),
                        "the annotations are `@deprecated(...)`, `@canary`, `@approved_breaking(\"...\")`, `@wire(\"...\")`, `@nullable`, `@status(...)` and `@public(\"...\")`",
                    );
                    self.error(
                        codes::E7001,
                        format!("unknown annotation `@{other}`"),
                        ann.name.span,
                    )
                    .label("not an annotation Charter knows")
                    .help(help);
                }
            }
        }
        out
    }

    /// Records a member's `@approved_breaking` until its owner is recorded by [`Self::approve`].
    pub(super) fn approve_member(&mut self, ann: &Annotations, member: &str) {
        if let Some((reason, span)) = &ann.approved_breaking {
            self.member_approvals
                .push((member.to_string(), reason.clone(), *span));
        }
    }

    /// Records the owner's `@approved_breaking` and those of its members.
    pub(super) fn approve(&mut self, ann: Option<&Annotations>, owner: &QualName) {
        if let Some((reason, span)) = ann.and_then(|a| a.approved_breaking.as_ref()) {
            let loc = self.loc(*span);
            self.model.approvals.push(ir::Approval {
                target: owner.to_string(),
                reason: reason.clone(),
                loc,
            });
        }
        for (member, reason, span) in std::mem::take(&mut self.member_approvals) {
            let loc = self.loc(span);
            self.model.approvals.push(ir::Approval {
                target: format!("{owner}.{member}"),
                reason,
                loc,
            });
        }
    }

    fn public_reason(&mut self, span: Span) {
        self.error(codes::E7002, "`@public` takes one reason", span)
            .label("expected one non-empty string")
            .help("write `@public(\"why this operation needs no policy\")`");
    }

    pub(super) fn misplaced(&mut self, ann: &ast::Annotation, allowed: &str) {
        self.error(
            codes::E7007,
            format!("`@{}` is not allowed here", ann.name.name),
            ann.span,
        )
        .label("misplaced annotation")
        .help(format!("`@{}` applies to {allowed}", ann.name.name));
    }

    fn deprecation(&mut self, ann: &ast::Annotation, place: Place) -> Option<ir::Deprecation> {
        let mut since = None;
        let mut sunset = None;
        let mut replacement = None;
        let mut note = None;
        let mut version = None;
        let mut ok = true;
        let mut given: Vec<&str> = Vec::new();
        for arg in &ann.args {
            if let Some(key) = &arg.key {
                if given.contains(&key.name.as_str()) {
                    self.error(
                        codes::E7002,
                        format!("`{}` is given twice", key.name),
                        key.span,
                    )
                    .label("repeated argument")
                    .help("give each argument once");
                    ok = false;
                    continue;
                }
                given.push(&key.name);
                if key.name == "use" && !matches!(place, Place::Operation) {
                    self.error(
                        codes::E7002,
                        "`use` names a replacement operation",
                        key.span,
                    )
                    .label("only deprecated operations have a replacement here")
                    .help("say what replaces it in `note: \"...\"`");
                    ok = false;
                    continue;
                }
            }
            let Some(key) = &arg.key else {
                self.error(codes::E7002, "`@deprecated` arguments are named", arg.value.span)
                    .label("positional argument")
                    .help("write `@deprecated(since: 2026-01-01, sunset: 2026-12-31, use: other, note: \"...\")`");
                ok = false;
                continue;
            };
            match (key.name.as_str(), &arg.value.kind) {
                ("since" | "sunset", ast::ExprKind::Date(text)) => match Date::parse(text) {
                    Some(date) => {
                        if key.name == "since" {
                            since = Some((date, arg.value.span));
                        } else {
                            sunset = Some((date, arg.value.span));
                        }
                    }
                    None => {
                        self.error(
                            codes::E7003,
                            format!("`{text}` is not a real date"),
                            arg.value.span,
                        )
                        .label("no such day")
                        .help("write a calendar date as YYYY-MM-DD");
                        ok = false;
                    }
                },
                ("since" | "sunset", _) => {
                    self.error(codes::E7003, format!("`{}` must be a date", key.name), arg.value.span)
                        .label("expected a date such as 2026-06-30")
                        .help("dates are written unquoted: `since: 2026-01-15`; put a version in `version: \"2.0.0\"`");
                    ok = false;
                }
                ("use", ast::ExprKind::Path(p)) if p.segments.len() == 1 => {
                    replacement = p.segments.first().map(|s| (s.name.clone(), s.span));
                }
                ("note", ast::ExprKind::Str(s)) => note = Some(s.clone()),
                ("version", ast::ExprKind::Str(s)) => {
                    if crate::literal::Version::parse(s).is_none() {
                        self.error(
                            codes::E4009,
                            format!("invalid version `{s}`"),
                            arg.value.span,
                        )
                        .label("not a semantic version")
                        .help("write MAJOR.MINOR.PATCH, such as \"2.0.0\"");
                    }
                    version = Some(s.clone());
                }
                (k @ ("use" | "note" | "version"), _) => {
                    let want = match k {
                        "use" => "an operation name",
                        _ => "a string",
                    };
                    self.error(
                        codes::E7002,
                        format!("`{k}` must be {want}"),
                        arg.value.span,
                    )
                    .label(format!("expected {want}"))
                    .help("see `charter explain E7002`");
                    ok = false;
                }
                (other, _) => {
                    let help = suggestion(
                        other,
                        ["since", "sunset", "use", "note", "version"],
                        "the arguments are `since`, `sunset`, `use`, `note` and `version`",
                    );
                    self.error(
                        codes::E7002,
                        format!("unknown `@deprecated` argument `{other}`"),
                        key.span,
                    )
                    .label("unknown argument")
                    .help(help);
                    ok = false;
                }
            }
        }
        let Some((since, since_span)) = since else {
            if ok {
                self.error(codes::E7002, "`@deprecated` needs `since`", ann.span)
                    .label("missing `since: DATE`")
                    .help("say when the deprecation was announced: `@deprecated(since: 2026-01-15, ...)`");
            }
            return None;
        };
        if let Some((sunset, sunset_span)) = sunset {
            let days = sunset.days_since_epoch() - since.days_since_epoch();
            if days <= 0 {
                let file = self.file;
                self.error(
                    codes::E7004,
                    format!("sunset {sunset} is not after deprecation {since}"),
                    sunset_span,
                )
                .label("sunset comes first")
                .secondary(file, since_span, "deprecated here")
                .help("the sunset must come after `since`");
            } else if days < i64::from(self.config.min_deprecation_window_days) {
                let min = self.config.min_deprecation_window_days;
                let file = self.file;
                self.error(
                    codes::E7005,
                    format!(
                        "deprecation window of {days} days is shorter than the minimum of {min}"
                    ),
                    sunset_span,
                )
                .label(format!("only {days} days after `since`"))
                .secondary(file, since_span, "deprecated here")
                .help(format!(
                    "move the sunset to {} or later (charter.toml sets the minimum)",
                    add_days(since, i64::from(min))
                ));
            }
        }
        Some(ir::Deprecation {
            since,
            sunset: sunset.map(|(d, _)| d),
            replacement: replacement.map(|(name, span)| {
                self.pending_replacements.push((name.to_string(), span));
                name.to_string()
            }),
            note,
            version,
        })
    }
}

fn add_days(date: Date, days: i64) -> String {
    // Walk forward day by day from a known date: windows are short, this runs only on error.
    let target = date.days_since_epoch() + days;
    let mut year = date.year;
    loop {
        for month in 1..=12 {
            for day in (1..=31).rev() {
                if let Some(d) = Date::parse(&format!("{year:04}-{month:02}-{day:02}"))
                    && d.days_since_epoch() == target
                {
                    return d.to_string();
                }
            }
        }
        year += 1;
        if year > date.year + 200 {
            return format!("{days} days after {date}");
        }
    }
}

pub(super) fn analyze(db: &dyn Db, ws: Workspace, file: SourceFile) -> FileAnalysis {
    let parsed = parse(db, file);
    let path = file.path(db);
    let mut diags = Vec::new();
    // The package declaration: first, exactly once.
    let mut package: Option<String> = None;
    for (i, item) in parsed.file.items.iter().enumerate() {
        if let ast::Item::Package(p) = item {
            if package.is_some() {
                diags.push(
                    Diagnostic::error(codes::E0006, "a file declares one package", path, p.span)
                        .with_label("second package declaration")
                        .with_help("remove it; one file belongs to one package"),
                );
            } else {
                if i > 0
                    && !matches!(parsed.file.items.get(..i), Some(before) if before.iter().all(|x| matches!(x, ast::Item::Error(_))))
                {
                    diags.push(
                        Diagnostic::error(codes::E0006, "`package` must come first", path, p.span)
                            .with_label("declarations come before it")
                            .with_help("move the package declaration to the top of the file"),
                    );
                }
                let name = p.path.text();
                let is_std_file = path.starts_with(crate::stdlib::STD_PREFIX);
                if !is_std_file && (name == "std" || name.starts_with("std.")) {
                    diags.push(
                        Diagnostic::error(
                            codes::E0006,
                            "`std` is reserved for the standard library",
                            path,
                            p.path.span,
                        )
                        .with_label("a workspace package cannot be named `std`")
                        .with_help(
                            "name your package after your project, such as `summit.lineage`",
                        ),
                    );
                } else if !p.path.segments.iter().all(|seg| {
                    let mut chars = seg.name.chars();
                    chars.next().is_some_and(|c| c.is_ascii_lowercase())
                        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                }) {
                    diags.push(
                        Diagnostic::error(
                            codes::E0006,
                            format!("invalid package name `{name}`"),
                            path,
                            p.path.span,
                        )
                        .with_label("package names are lowercase words separated by dots")
                        .with_help(
                            "write it like `summit.lineage`: lowercase letters, digits and `_`",
                        ),
                    );
                }
                if !is_std_file && (name == "std" || name.starts_with("std.")) {
                    // Analysed no further: its names would only collide with the standard library's.
                    return FileAnalysis {
                        diagnostics: diags,
                        model: ir::Model::default(),
                    };
                }
                package = Some(name);
            }
        }
    }
    let Some(package) = package else {
        if !parsed.file.items.is_empty() || parsed.diagnostics.is_empty() {
            diags.push(
                Diagnostic::error(codes::E0006, "missing package declaration", path, Span::new(0, 0))
                    .with_label("expected `package name` here")
                    .with_help("start the file with `package your.package`; files of one folder share a package"),
            );
        }
        return FileAnalysis {
            diagnostics: diags,
            model: ir::Model::default(),
        };
    };
    let index = index(db, ws);
    let uses = super::uses(&parsed.file);
    let mut scope = Scope::new(package.clone(), index, &uses, path, &mut diags);
    scope.broken.extend(super::unimported(&parsed.file));
    let mut cx = FileChecker {
        db,
        ws,
        file: path,
        loc_file: crate::Name::new(path),
        scope,
        config: ws.config(db),
        diags,
        model: ir::Model::default(),
        pending_replacements: Vec::new(),
        poison: 0,
        value_depth: 0,
        patterns: BTreeMap::new(),
        member_approvals: Vec::new(),
        sigs: RefCell::default(),
    };
    // The file's position in the workspace: among its package's files first (a scan of the
    // whole list per file is quadratic in the number of files).
    let files = ws.files(db);
    let file_pos = index
        .packages
        .get(&package)
        .and_then(|info| {
            info.files
                .iter()
                .copied()
                .find(|&i| files.get(i) == Some(&file))
        })
        .or_else(|| files.iter().position(|f| *f == file))
        .unwrap_or(usize::MAX);
    for item in &parsed.file.items {
        if let Some((name, _)) = super::declared(item) {
            cx.check_duplicate_decl(&package, name, file_pos);
        }
        cx.item(&package, item);
    }
    // Unused imports; not in a file with syntax errors, whose broken declarations may well be
    // what uses them.
    let used = cx.scope.used.borrow().clone();
    let broken = parsed.diagnostics.iter().any(Diagnostic::is_error);
    for (name, import) in &cx.scope.imports {
        if !broken && !used.contains(name) {
            let d = Diagnostic::warning(
                codes::W1001,
                format!("unused import `{name}`"),
                path,
                import.span,
            )
            .with_label("never used in this file")
            .with_help("remove it from the `use` declaration");
            cx.diags.push(d);
        }
    }
    crate::diagnostics::sort(&mut cx.diags);
    // The analysis stays in the database for the whole run: no spare capacity.
    cx.diags.shrink_to_fit();
    cx.model.shrink_to_fit();
    FileAnalysis {
        diagnostics: cx.diags,
        model: cx.model,
    }
}

impl FileChecker<'_> {
    fn check_duplicate_decl(&mut self, package: &str, name: &ast::Ident, file_pos: usize) {
        let Some(sites) = self
            .scope
            .index
            .packages
            .get(package)
            .and_then(|p| p.decls.get(name.name.as_str()))
        else {
            return;
        };
        if sites.len() < 2 {
            return;
        }
        // The first site (by file order, then position) owns the name; every other one is reported.
        let Some(first) = sites.first() else { return };
        let first_file = self.ws.files(self.db).get(first.file).copied();
        let first_span = first_file.and_then(|f| {
            parse(self.db, f)
                .file
                .items
                .iter()
                .filter_map(super::declared)
                .find(|(n, _)| n.name == name.name)
                .map(|(n, _)| (f.path(self.db).clone(), n.span))
        });
        let is_first = first.file == file_pos
            && first_span
                .as_ref()
                .is_some_and(|(_, span)| *span == name.span);
        if is_first {
            return;
        }
        let mut d = Diagnostic::error(
            codes::E1002,
            format!(
                "`{}` is declared more than once in package `{package}`",
                name.name
            ),
            self.file,
            name.span,
        )
        .with_label("declared again here")
        .with_help("rename one of them; a package has one namespace for all its declarations");
        if let Some((file, span)) = first_span {
            d = d.with_secondary(&file, span, "first declared here");
        }
        self.push(d);
    }

    fn item(&mut self, package: &str, item: &ast::Item) {
        match item {
            ast::Item::Package(_) | ast::Item::Use(_) | ast::Item::Error(_) => {}
            ast::Item::Record(r) => self.record(package, r),
            ast::Item::Enum(e) => self.enumeration(package, e),
            ast::Item::Alias(a) => self.alias(package, a),
            ast::Item::Entity(e) => {
                let ann = self.annotations(&e.annotations, Place::Other);
                let fields = self.fields(&e.fields, false);
                self.approve(Some(&ann), &QualName::new(package, e.name.name.clone()));
                self.model.entities.push(ir::Shape {
                    name: QualName::new(package, e.name.name.clone()),
                    doc: e.doc.clone(),
                    fields,
                    loc: self.loc(e.name.span),
                });
            }
            ast::Item::Context(c) => {
                let ann = self.annotations(&c.annotations, Place::Other);
                let fields = self.fields(&c.fields, false);
                self.approve(Some(&ann), &QualName::new(package, c.name.name.clone()));
                self.model.contexts.push(ir::Shape {
                    name: QualName::new(package, c.name.name.clone()),
                    doc: c.doc.clone(),
                    fields,
                    loc: self.loc(c.name.span),
                });
            }
            ast::Item::Action(a) => self.action(a),
            ast::Item::Policy(p) => self.policy(package, p),
            ast::Item::Service(s) => self.service(package, s),
            ast::Item::Control(c) => self.control(package, c),
            ast::Item::Threat(t) => self.threat(package, t),
            ast::Item::Test(t) => self.test_suite(t),
            ast::Item::Framework(f) => self.framework(package, f),
        }
    }

    fn record(&mut self, package: &str, r: &ast::Record) {
        let ann = self.annotations(&r.annotations, Place::Type);
        let mut fields = Vec::new();
        if r.with_provenance {
            if let Some(clash) = r.fields.iter().find(|f| f.name.name == "provenance") {
                self.error(
                    codes::E1007,
                    "duplicate field `provenance`",
                    clash.name.span,
                )
                .label("`with provenance` already adds this field")
                .help(
                    "rename the field, or drop `with provenance` and declare the envelope yourself",
                );
            }
            fields.push(ir::Field {
                name: "provenance".into(),
                doc: Some(
                    "The provenance envelope: origin, actor, timestamp, confidence, simulated."
                        .into(),
                ),
                ty: super::sigs::provenance_type(),
                default: None,
                deprecated: None,
                wire: None,
                nullable: false,
            });
        }
        fields.extend(self.fields(&r.fields, true));
        let members: Vec<WireMember<'_>> = r
            .fields
            .iter()
            .map(|f| WireMember {
                ident: &f.name,
                wire: written_wire(&f.annotations),
            })
            .collect();
        let reserved: &[&str] = if r.with_provenance {
            &["provenance"]
        } else {
            &[]
        };
        self.wire_duplicates(&members, reserved, "field");
        self.approve(Some(&ann), &QualName::new(package, r.name.name.clone()));
        self.model.records.push(ir::Record {
            name: QualName::new(package, r.name.name.clone()),
            doc: r.doc.clone(),
            with_provenance: r.with_provenance,
            fields,
            deprecated: ann.deprecated.map(|(d, _)| Box::new(d)),
            loc: self.loc(r.name.span),
        });
    }

    pub(super) fn fields(
        &mut self,
        fields: &[ast::Field],
        allow_deprecated: bool,
    ) -> Vec<ir::Field> {
        self.duplicates(fields.iter().map(|f| &f.name), "field");
        self.reserved(fields.iter().map(|f| &f.name), "field", false);
        let mut out = Vec::new();
        for f in fields {
            let ann = self.annotations(
                &f.annotations,
                if allow_deprecated {
                    Place::Field
                } else {
                    Place::Other
                },
            );
            self.approve_member(&ann, &f.name.name);
            let ty = self.lower_type(&f.ty);
            // A `@nullable` field's default may be `none`: the value of a null member.
            let default_ty = if ann.nullable && !ty.is_optional() {
                Type::Optional(Box::new(ty.clone()))
            } else {
                ty.clone()
            };
            let default = f.default.as_ref().and_then(|e| {
                self.value(
                    e,
                    &default_ty,
                    &f.name.name,
                    super::values::Purpose::Default,
                )
            });
            out.push(ir::Field {
                name: f.name.name.clone(),
                doc: f.doc.clone(),
                ty,
                default,
                deprecated: ann.deprecated.map(|(d, _)| Box::new(d)),
                wire: ann.wire.map(|(w, _)| w),
                nullable: ann.nullable,
            });
        }
        out
    }

    fn enumeration(&mut self, package: &str, e: &ast::Enum) {
        let ann = self.annotations(&e.annotations, Place::Type);
        self.duplicates(e.variants.iter().map(|v| &v.name), "enum value");
        let members: Vec<WireMember<'_>> = e
            .variants
            .iter()
            .map(|v| WireMember {
                ident: &v.name,
                wire: written_wire(&v.annotations),
            })
            .collect();
        self.wire_duplicates(&members, &[], "enum value");
        self.reserved(e.variants.iter().map(|v| &v.name), "enum value", true);
        if e.variants.is_empty() {
            self.error(
                codes::E2009,
                format!("enum `{}` has no values", e.name.name),
                e.name.span,
            )
            .label("empty enum")
            .help("list its values: `enum Name { a, b }`");
        }
        let variants = e
            .variants
            .iter()
            .map(|v| {
                let ann = self.annotations(&v.annotations, Place::Variant);
                self.approve_member(&ann, &v.name.name);
                ir::Variant {
                    name: v.name.name.clone(),
                    doc: v.doc.clone(),
                    deprecated: ann.deprecated.map(|(d, _)| Box::new(d)),
                    wire: ann.wire.map(|(w, _)| w),
                }
            })
            .collect();
        self.approve(Some(&ann), &QualName::new(package, e.name.name.clone()));
        self.model.enums.push(ir::Enum {
            name: QualName::new(package, e.name.name.clone()),
            doc: e.doc.clone(),
            ordered: e.ordered,
            open: e.open,
            variants,
            deprecated: ann.deprecated.map(|(d, _)| Box::new(d)),
            loc: self.loc(e.name.span),
        });
    }

    fn alias(&mut self, package: &str, a: &ast::Alias) {
        let ann = self.annotations(&a.annotations, Place::Type);
        let ty = self.lower_type(&a.ty);
        let me = QualName::new(package, a.name.name.clone());
        // Follow the alias chain; coming back to this alias is a cycle.
        let mut current = ty.clone();
        let mut seen = vec![me.clone()];
        while let Type::Named(name, Kind::Alias) = current.unwrap_optional().clone() {
            if seen.contains(&name) {
                self.error(
                    codes::E2010,
                    format!("type alias `{}` refers to itself", a.name.name),
                    a.name.span,
                )
                .label("this alias expands to itself")
                .help("an alias must end in a record, enum, entity or primitive type");
                break;
            }
            seen.push(name.clone());
            current = match self.sig(&name).as_deref() {
                Some(Sig::Alias { ty }) => ty.clone(),
                _ => break,
            };
            if seen.len() > 64 {
                break;
            }
        }
        self.approve(Some(&ann), &me);
        self.model.aliases.push(ir::Alias {
            name: me,
            doc: a.doc.clone(),
            ty,
            deprecated: ann.deprecated.map(|(d, _)| Box::new(d)),
            loc: self.loc(a.name.span),
        });
    }

    fn action(&mut self, a: &ast::ActionDecl) {
        self.annotations(&a.annotations, Place::Other);
        self.duplicates(a.names.iter(), "action");
        let resource = self.entity(&a.resource);
        let subjects: Vec<QualName> = a.subjects.iter().filter_map(|s| self.entity(s)).collect();
        if let Some(resource) = resource {
            for name in &a.names {
                self.model.actions.push(ir::Action {
                    name: name.name.clone(),
                    doc: a.doc.clone(),
                    resource: resource.clone(),
                    subjects: subjects.clone(),
                });
            }
        }
    }

    /// Resolves a path that must be an entity (E3001 otherwise).
    pub(super) fn entity(&mut self, path: &ast::Path) -> Option<QualName> {
        match self.scope.resolve(path, &[Kind::Entity], self.file) {
            super::scope::Resolved::Found(name, site) if site.kind == Kind::Entity => Some(name),
            super::scope::Resolved::Found(name, site) => {
                self.error(
                    codes::E3001,
                    format!(
                        "`{}` is {}, not an entity",
                        name.name,
                        site.kind.with_article()
                    ),
                    path.span,
                )
                .label("expected an entity")
                .help("policies and actions range over entities: declare it with `entity`");
                None
            }
            super::scope::Resolved::Missing(d) => {
                self.push(*d);
                None
            }
            super::scope::Resolved::Broken => None,
        }
    }
}
