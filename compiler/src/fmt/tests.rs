//! The formatter's properties: the same tree, the same comments, idempotence.

#![expect(
    clippy::disallowed_methods,
    reason = "tests read their fixtures from the repository"
)]

use super::*;

/// Every declaration kind, written untidily, with comments in odd places.
const SAMPLE: &str = r#"// file header

package acme.data   // the package
use std.provenance.Provenance
use acme.identity.{User, Group as Team}  // braced
use acme.other.Thing as Other

/// A person.
/// Second line.
@approved_breaking("rename")
record Person with provenance {
  /// The name.
  name: string,   // trailing on a field
  @deprecated(since: 2026-03-01, sunset: 2027-06-30, use: trace, note: "gone \"soon\"")
  age: int in 0..150 = 18
  // a comment between fields

  tags: list<string>? , score: float in -1.0..1.0 = -0.5
  email: string matching "^[a-z]+@[a-z]+\\.com$"
  meta: map<string, list<int>>
  // last in the block
}

record Empty {}

record Payload { @wire("assigned_by.any") assigned_by_any: string?
  @nullable @wire("Closed-At") closed_at: timestamp? = none }

record EmptyWithComment {
  // nothing here yet
}

ordered enum Level { low, medium, high }
open enum Kind {
  /// first
  a,
  @deprecated(since: 2026-01-01)
  b
  c, // after c
  @wire("in-progress") in_progress
}

type Score = float in 0.0..1.0
type Id = string matching "^[0-9]+$"

entity Dataset { owner: string tenant: string level: Level = Level.low }
entity User { id: string, tenant: string, roles: set<string>, manager: string? }

action read, export on Dataset by User, acme.svc.Service

context Request { ip: string
  at: timestamp }

/// Who can read.
policy data_access on Dataset by User with Request version "1.2.0" default deny "no rule allowed this" {
  allow owner_reads when subject.id == resource.owner because "owners read"
  // between rules
  @canary
  deny cross_tenant when not (subject.tenant == resource.tenant) because "tenants are separate"
  allow long_rule when subject.tenant == resource.tenant and resource.level <= Level.medium and action in [read, export] and has subject.manager because "long conditions break"
  allow mixed when (subject.id == "a" or subject.id == "b") and context.ip != "0.0.0.0" or false because "mixed"
  deny nothing
}

service Catalog version "2.1.0" at "/api" {
  /// Lists.
  op list GET "/items" (limit: int = 10, cursor: string? = none) -> list<Dataset>
errors { 400: BadRequest, 404: NotFound } requires provenance guarded by data_access action read graphql query
  @deprecated(since: 2026-03-01, use: list)
  op old GET "/old" () // no params
  @status(201) op since GET "/since" (@wire("StartTime>") start_time: timestamp?, limit: int = 20) -> Dataset
  op create POST "/items/{id}" (id: string, body: Dataset, dry_run: bool = false, reason: string = "none given", extra: int = 1_000) -> Dataset
errors {}
}

control GOV-01 "Access is reviewed" {
  owner "security"  // who
  satisfies soc2."CC6.1", iso27001."A.5.15"
  enforced by data_access
  evidence "evidence/access.json" retained 365d produced by data_access
  evidence "evidence/ci.log" produced by "pipeline"
}

threat T-01 "Token theft" { subsystem "ci" category supply_chain likelihood medium impact high mitigated by GOV-01, GOV-02 }

test data_access {
  /// The happy path.
  "owner reads" {
subject User { id: "u1", tenant: "t1", roles: ["admin", "dev"] }
resource Dataset { owner: "u1", tenant: "t1" }
action read
context { ip: "10.0.0.1", at: "2026-01-01T00:00:00Z" }
expect allow by owner_reads
  }
  "stranger" { subject { id: "u2", tenant: "t2", roles: [] } resource Dataset { owner: "u1", tenant: "t1", level: Level.high, note: "a fairly long note to push this over the limit" } action read expect deny by default }
  "bare" { expect deny }
}

framework soc2 "SOC 2" {
  requirement "CC6.1" "Logical access" { category: "security", since: 2017-01-01 }
  requirement "CC6.2" "Provisioning"
  requirement "CC6.3" "Empty" {}
}
// end of file
"#;

fn ok(result: Result<String, FormatError>) -> String {
    assert!(result.is_ok(), "formatting failed: {result:?}");
    result.unwrap_or_default()
}

/// `Debug` output with every `Span { start: .., end: .. }` replaced by `Span`.
fn erase_spans(debug: &str) -> String {
    let mut out = String::with_capacity(debug.len());
    let mut rest = debug;
    while let Some((before, after)) = rest.split_once("Span { start: ") {
        out.push_str(before);
        out.push_str("Span");
        rest = after.split_once('}').map_or("", |(_, tail)| tail);
    }
    out.push_str(rest);
    out
}

fn tree(parsed: &Parsed) -> String {
    erase_spans(&format!("{:?}", parsed.file))
}

/// Plain comments plus doc comments that document nothing, sorted.
fn all_comments(parsed: &Parsed, text: &str) -> Vec<String> {
    let lexemes = scan(text);
    let mut texts: Vec<String> = collect_comments(parsed, text, &lexemes)
        .into_iter()
        .map(|c| c.text)
        .collect();
    texts.sort();
    texts
}

/// Formats `src` and checks the three properties; returns the formatted text.
fn check(src: &str) -> String {
    let before = parse("test.charter", src);
    let formatted = ok(format(&before, src));
    let after = parse("test.charter", &formatted);
    assert!(
        !after.diagnostics.iter().any(Diagnostic::is_error),
        "formatted text does not parse: {:?}\n{formatted}",
        after.diagnostics
    );
    // Meaning: the same tree, spans aside.
    assert_eq!(
        tree(&before),
        tree(&after),
        "tree changed:\n--- input\n{src}\n--- output\n{formatted}"
    );
    // Comments: the same multiset.
    let (want, got) = (all_comments(&before, src), all_comments(&after, &formatted));
    let lost: Vec<&String> = want.iter().filter(|c| !got.contains(c)).collect();
    let new: Vec<&String> = got.iter().filter(|c| !want.contains(c)).collect();
    assert!(
        want == got,
        "comments changed: lost {lost:?}, new {new:?}\n--- output\n{formatted}"
    );
    // The same warnings (a dangling doc comment stays dangling).
    let codes_of = |p: &Parsed| p.diagnostics.iter().map(|d| d.code).collect::<Vec<_>>();
    assert_eq!(codes_of(&before), codes_of(&after), "{formatted}");
    // Idempotent.
    let again = ok(format(&after, &formatted));
    assert_eq!(
        formatted, again,
        "not idempotent:\n--- input\n{src}\n--- once\n{formatted}\n--- twice\n{again}"
    );
    formatted
}

#[test]
fn sample_properties() {
    let out = check(SAMPLE);
    assert!(out.ends_with("// end of file\n"), "{out}");
    assert!(!out.contains('\t'));
}

#[test]
fn erase_spans_keeps_everything_else() {
    let a = parse(
        "a",
        "policy p on R by S default deny { allow r when a == b because \"x\" }",
    );
    let b = parse(
        "b",
        "policy p on R by S   default deny {\n allow r when a == b because \"x\" }",
    );
    let c = parse(
        "c",
        "policy p on R by S default deny { allow r when a != b because \"x\" }",
    );
    let d = parse(
        "d",
        "policy p on R by S default deny { allow r when (a == b) because \"x\" }",
    );
    assert_eq!(tree(&a), tree(&b));
    assert_ne!(tree(&a), tree(&c));
    assert_ne!(tree(&a), tree(&d));
    assert!(!tree(&a).contains("start:"));
}

#[test]
fn canonical_layout() {
    let src = "package   a.b\nuse x.Y\n\n\nuse x.{Z,W as V,}\nrecord R{a:int,b:string?=none}\n\
               enum E{x,y}\ntype T=list<R>\n";
    let want = "package a.b\n\nuse x.Y\nuse x.{Z, W as V}\n\nrecord R {\n  a: int\n  b: string? = none\n}\n\n\
                enum E { x, y }\n\ntype T = list<R>\n";
    assert_eq!(check(src), want);
}

#[test]
fn policy_layout() {
    let src = "policy p on R by S, U with C version \"1\" default deny \"no\" {\n\
               @canary allow a when x == 1 because \"one\" deny b because \"b\" }";
    let want = "policy p on R by S, U with C version \"1\"\n  default deny \"no\"\n{\n  @canary\n  allow a\n    when x == 1\n    because \"one\"\n\n  deny b\n    because \"b\"\n}\n";
    assert_eq!(check(src), want);
}

#[test]
fn long_chains_break_under_when() {
    let src = "policy p on R by S default deny {\n allow a when subject.tenant == resource.tenant and resource.level <= Level.medium and has subject.manager because \"x\"\n allow b when subject.alpha_beta_gamma == 1 or subject.delta_epsilon_zeta == 2 or subject.eta_theta_iota == 3 because \"y\" }";
    let want = "policy p on R by S\n  default deny\n{\n  allow a\n    when subject.tenant == resource.tenant\n     and resource.level <= Level.medium\n     and has subject.manager\n    because \"x\"\n\n  allow b\n    when subject.alpha_beta_gamma == 1\n      or subject.delta_epsilon_zeta == 2\n      or subject.eta_theta_iota == 3\n    because \"y\"\n}\n";
    assert_eq!(check(src), want);
}

#[test]
fn short_chain_with_comment_breaks() {
    let src = "policy p on R by S default deny {\n allow a when x == 1 // first\n and y == 2 because \"x\" }";
    let want = "policy p on R by S\n  default deny\n{\n  allow a\n    when x == 1 // first\n     and y == 2\n    because \"x\"\n}\n";
    assert_eq!(check(src), want);
}

#[test]
fn long_enum_goes_one_per_line() {
    let names: Vec<String> = (0..20).map(|i| format!("variant_{i}")).collect();
    let src = format!("enum E {{ {} }}", names.join(" "));
    let out = check(&src);
    assert!(
        out.starts_with("enum E {\n  variant_0,\n  variant_1,\n"),
        "{out}"
    );
    assert!(out.ends_with("  variant_19,\n}\n"), "{out}");
}

#[test]
fn service_layout() {
    let src = "service S at \"/x\" { op a GET \"/a\" () -> T errors { 404: NF } guarded by p action read op b POST \"/b\" (body: Alpha, dry_run: bool = false, reason: string = \"none given at all\", extra: int = 1_000) }";
    let want = "service S at \"/x\" {\n  op a GET \"/a\" () -> T\n    errors { 404: NF }\n    guarded by p action read\n\n  op b POST \"/b\" (\n    body: Alpha,\n    dry_run: bool = false,\n    reason: string = \"none given at all\",\n    extra: int = 1_000,\n  )\n}\n";
    assert_eq!(check(src), want);
}

#[test]
fn parameter_annotations_stay_inline() {
    let src = "service S { @status( 201 ) op a GET \"/a\" (@wire( \"StartTime>\" )  start: timestamp?, limit: int = 20) -> T }";
    let want = "service S {\n  @status(201)\n  op a GET \"/a\" (@wire(\"StartTime>\") start: timestamp?, limit: int = 20) -> T\n}\n";
    assert_eq!(check(src), want);
    let long = "service S { op a GET \"/a\" (@wire(\"StartTime>\") start_time_of_the_window: timestamp?, @wire(\"EndTime<\") end_time_of_the_window: timestamp?) -> T }";
    let want = "service S {\n  op a GET \"/a\" (\n    @wire(\"StartTime>\") start_time_of_the_window: timestamp?,\n    @wire(\"EndTime<\") end_time_of_the_window: timestamp?,\n  ) -> T\n}\n";
    assert_eq!(check(long), want);
}

#[test]
fn controls_threats_tests_frameworks() {
    let src = "control C-1 \"t\" { owner \"o\" satisfies soc2.\"CC6.1\" enforced by p evidence \"e\" retained 30d }\n\
               threat T-1 { category tampering mitigated by C-1 }\n\
               test p { \"c\" { subject User { id: \"1\" } action read expect allow by r } }\n\
               framework f { requirement \"1\" \"one\" { k: 1 } }";
    let want = "control C-1 \"t\" {\n  owner \"o\"\n  satisfies soc2.\"CC6.1\"\n  enforced by p\n  evidence \"e\" retained 30d\n}\n\n\
                threat T-1 {\n  category tampering\n  mitigated by C-1\n}\n\n\
                test p {\n  \"c\" {\n    subject User { id: \"1\" }\n    action read\n    expect allow by r\n  }\n}\n\n\
                framework f {\n  requirement \"1\" \"one\" { k: 1 }\n}\n";
    assert_eq!(check(src), want);
}

#[test]
fn comments_keep_their_places() {
    let src = "// head\n\npackage a // trailing\n\n// lead of record\n\nrecord R { // after brace\n  a: int // on a\n  // before b\n  b: int\n  // closing\n} // after record\n// tail\n";
    let want = "// head\n\npackage a // trailing\n\n// lead of record\n\nrecord R { // after brace\n  a: int // on a\n  // before b\n  b: int\n  // closing\n} // after record\n// tail\n";
    let out = check(src);
    assert_eq!(out, want);
}

#[test]
fn strings_are_requoted_and_literals_kept() {
    let src = "record R { a: string = \"tab\\there \\\"q\\\" back\\\\slash\" b: int = 1_000 c: float = 1.50e3 d: date = 2026-01-01 e: duration = 30d }";
    let out = check(src);
    assert!(
        out.contains("a: string = \"tab\\there \\\"q\\\" back\\\\slash\""),
        "{out}"
    );
    assert!(out.contains("b: int = 1_000"), "{out}");
    assert!(out.contains("c: float = 1.50e3"), "{out}");
    assert!(out.contains("d: date = 2026-01-01"), "{out}");
    assert!(out.contains("e: duration = 30d"), "{out}");
}

#[test]
fn dangling_doc_comments_are_kept() {
    let src = "/// documents nothing\npackage a\n\nrecord R {\n  a: int\n  /// at the end\n}\n/// trailing doc\n";
    let out = check(src);
    assert!(out.contains("/// documents nothing\npackage a"), "{out}");
    assert!(out.contains("  /// at the end\n}"), "{out}");
    assert!(out.ends_with("/// trailing doc\n"), "{out}");
}

#[test]
fn refuses_files_with_syntax_errors() {
    let result = format_text("bad.charter", "record R { a: }\nrecord S { b: int }");
    assert!(
        matches!(&result, Err(FormatError::Syntax(errors)) if !errors.is_empty()),
        "{result:?}"
    );
    let message = result.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        message.starts_with("cannot format a file with 1 syntax error"),
        "{message}"
    );
}

#[test]
fn crlf_input() {
    let src = "record R { // c\r\n  a: int\r\n\r\n  // d\r\n  b: int\r\n}\r\n";
    assert_eq!(
        check(src),
        "record R { // c\n  a: int\n\n  // d\n  b: int\n}\n"
    );
}

#[test]
fn comment_before_operator_aligns_with_when() {
    let src =
        "policy p on R by S default deny { allow a when x == 1\n// why\nand y == 2 because \"r\" }";
    let want = "policy p on R by S\n  default deny\n{\n  allow a\n    when x == 1\n    // why\n     and y == 2\n    because \"r\"\n}\n";
    assert_eq!(check(src), want);
}

#[test]
fn empty_and_comment_only_files() {
    assert_eq!(check(""), "");
    assert_eq!(check("\n\n"), "");
    assert_eq!(
        check("// only\n\n\n// comments\n"),
        "// only\n\n// comments\n"
    );
}

/// Inserts `insert(k)` after the end of every token of `src` (between any two tokens).
fn with_comment_in_every_gap(src: &str, mut insert: impl FnMut(usize) -> String) -> String {
    let ends: Vec<usize> = scan(src)
        .iter()
        .filter(|l| l.kind == LexKind::Token)
        .map(|l| l.end as usize)
        .collect();
    let mut out = String::new();
    let mut last = 0;
    for (k, end) in ends.into_iter().enumerate() {
        out.push_str(src.get(last..end).unwrap_or_default());
        out.push_str(&insert(k));
        last = end;
    }
    out.push_str(src.get(last..).unwrap_or_default());
    out
}

#[test]
fn trailing_comment_after_every_token() {
    let src = with_comment_in_every_gap(SAMPLE, |k| format!(" // t{k}\n"));
    check(&src);
}

#[test]
fn own_line_comment_after_every_token() {
    let src = with_comment_in_every_gap(SAMPLE, |k| format!("\n// o{k}\n"));
    check(&src);
}

#[test]
fn blank_lines_around_comments_after_every_token() {
    let src = with_comment_in_every_gap(SAMPLE, |k| format!("\n\n// b{k}\n\n// c{k}\n"));
    check(&src);
}

#[test]
fn doc_comment_after_every_token() {
    // Each one either documents the node after it or documents nothing (W0001); formatting
    // must keep both kinds, and must not turn one kind into the other.
    let src = with_comment_in_every_gap(SAMPLE, |k| format!("\n/// d{k}\n"));
    check(&src);
    let src = with_comment_in_every_gap(SAMPLE, |k| format!(" /// d{k}\n// c{k}\n"));
    check(&src);
}

#[test]
fn mixed_comments_in_random_gaps() {
    const SNIPPETS: [&str; 7] = [
        " // t\n",
        "\n// o\n",
        "\n\n// b\n\n",
        "\n/// d\n",
        " /// d\n// c\n",
        "// x\n// y\n",
        "\n\n\n",
    ];
    for seed in 0..64u64 {
        // A small linear congruential generator: reproducible, no dependency.
        let mut state = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        let src = with_comment_in_every_gap(SAMPLE, |k| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let roll = (state >> 33) % 24;
            let pick = usize::try_from(roll).unwrap_or(0);
            SNIPPETS
                .get(pick)
                .map(|s| s.replace("// ", &format!("// {seed}.{k} ")))
                .unwrap_or_default()
        });
        check(&src);
    }
}

fn charter_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            charter_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "charter") {
            out.push(path);
        }
    }
}

/// Every `.charter` file of the repository: formatted with the three properties, or refused
/// when it has syntax errors (the error corpus).
#[test]
fn repository_files() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for dir in ["examples", "stdlib", "compiler/tests"] {
        charter_files(&root.join(dir), &mut files);
    }
    files.sort();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let parsed = parse("f.charter", &text);
        if parsed.diagnostics.iter().any(Diagnostic::is_error) {
            assert!(
                matches!(format(&parsed, &text), Err(FormatError::Syntax(_))),
                "{file:?}"
            );
        } else {
            check(&text);
            check(&with_comment_in_every_gap(&text, |k| format!(" // t{k}\n")));
        }
    }
}

#[test]
fn comments_in_every_gap_of_formatted_output() {
    let once = check(SAMPLE);
    let src = with_comment_in_every_gap(&once, |k| {
        if k % 2 == 0 {
            format!(" // t{k}\n")
        } else {
            format!("\n  // o{k}\n")
        }
    });
    check(&src);
}

/// Lines over the column limit in formatted text that a line break could have shortened: every
/// such line must hold a comment or a long string, which are single tokens.
fn breakable_long_lines(formatted: &str) -> Vec<&str> {
    formatted
        .lines()
        .filter(|l| l.chars().count() > WIDTH)
        .filter(|l| {
            let long_string = l.split('"').skip(1).step_by(2).any(|s| s.len() > 40);
            !l.trim_start().starts_with("//") && !l.contains(" //") && !long_string
        })
        .collect()
}

#[test]
fn long_lines_break_where_the_grammar_allows() {
    let src = r#"package p

use acme.identity.{UserAccountRecord, GroupMembershipRecord, TenantConfiguration, RoleAssignment}

action read_everything, write_everything, delete_everything on SomeVeryLongResourceName by Subject, Other

record R {
  labels: list<string> = ["alpha-label", "beta-label", "gamma-label", "delta-label", "epsilon-label"]
}

policy very_long_policy_name on SomeVeryLongResourceName by SubjectEntity, OtherSubject with Ctx version "1.0.0"
  default deny
{
  allow a
    when subject.role in ["administrator", "data-steward", "auditor", "compliance-officer", "owner"]
    because "x"
}

service Svc version "1.0.0" at "/some/really/long/base/path/for/the/service/that/goes/on/and/on" {
  @deprecated(since: 2026-01-15, sunset: 2026-12-31, use: get_account_v2, note: "v1 lacks tier and labels")
  op get GET "/v1/accounts/{id}" (id: string) -> Account
    errors { 400: ValidationError, 403: Forbidden, 404: NotFound, 409: Conflict, 429: TooMany }
    guarded by some.long.package.name.for_policies.account_access_policy action read_account_details
}

control C-1 "A title" {
  satisfies soc2."CC6.1", soc2."CC6.3", iso27001."A.5.15", iso27001."A.8.3", gdpr."32(1)(b)", hipaa."164.312(a)(1)"
  evidence "audit/ga-evidence/governance/privileged-access-log" retained 365d produced by summit.policy.privileged
}

test p {
  "case" {
    context {
      mfa: false,
      provenance: { origin: "sftp://partner.example/claims", actor: "svc-loader", timestamp: "2026-01-01T00:00:00Z" },
    }
  }
}
"#;
    let out = check(src);
    assert_eq!(breakable_long_lines(&out), Vec::<&str>::new(), "{out}");
    assert!(
        out.contains("gdpr.\"32(1)(b)\",\n      hipaa.\"164.312(a)(1)\""),
        "{out}"
    );
    assert!(out.contains(" retained 365d\n      produced by "), "{out}");
    assert!(out.contains("use: get_account_v2,\n      note: "), "{out}");
    // A token longer than the limit stays whole, on a line of its own where it can.
    let long = format!(
        "control C-2 \"{}\" {{\n  owner \"x\"\n}}\n",
        "t".repeat(120)
    );
    let out = check(&long);
    assert!(out.starts_with("control C-2\n    \"ttt"), "{out}");
}

/// The repository's files, formatted, pass the column limit only with comments and long strings.
#[test]
fn repository_files_keep_within_the_width() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for dir in ["examples", "stdlib"] {
        charter_files(&root.join(dir), &mut files);
    }
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let out = ok(format_text("f.charter", &text));
        assert_eq!(breakable_long_lines(&out), Vec::<&str>::new(), "{file:?}");
    }
}

#[test]
fn evidence_category_and_public_operations() {
    let src = "package p\n\nrecord R { id: string }\n\nservice S {\n  @public(\"liveness\")\n  op health GET \"/health\" () -> R\n}\n\ncontrol C-1 \"t\" { owner \"o\" evidence \"e/x\" category ci_cd retained 6y produced by \"pipeline\" }\n";
    let want = "package p\n\nrecord R {\n  id: string\n}\n\nservice S {\n  @public(\"liveness\")\n  op health GET \"/health\" () -> R\n}\n\ncontrol C-1 \"t\" {\n  owner \"o\"\n  evidence \"e/x\" category ci_cd retained 6y produced by \"pipeline\"\n}\n";
    assert_eq!(check(src), want);
}
