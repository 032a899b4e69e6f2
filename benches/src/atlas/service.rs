//! A domain package's `service.charter`.

use std::fmt::Write as _;

use super::*;

pub(crate) fn service(
    rng: &mut Rng,
    d: &Domain,
    pkg: &str,
    i: usize,
    linked: Option<usize>,
) -> String {
    let r = d.resource;
    let x = d.snake;
    let p = d.plural;
    let access = format!("{}_access", d.word);
    let ingest = format!("{}_ingest", d.word);
    let mut s = String::new();
    out!(s, "// The {} API.", d.team);
    out!(s, "package {pkg}");
    out!(s);
    out!(s, "use atlas.core.Problem");
    out!(s);
    out!(
        s,
        "/// The {} API: {} lifecycle, exports and the event feed.",
        d.team,
        d.prose
    );
    let version = format!("{}.{}.{}", 1 + rng.below(3), rng.below(10), rng.below(5));
    out!(
        s,
        "service {}Api version \"{version}\" at \"/{}\" {{",
        charter::naming::pascal(&package_name(i)),
        package_name(i)
    );
    out!(s, "  /// One {}.", d.prose);
    out!(
        s,
        "  op get_{x} GET \"/v2/{p}/{{id}}\" (id: string) -> {r}Summary"
    );
    out!(s, "    errors {{ 403: Problem, 404: Problem }}");
    out!(s, "    guarded by {access} action read");
    out!(s, "    graphql query");
    out!(s);
    out!(
        s,
        "  /// Search {}; results are filtered to what the caller may read.",
        d.many()
    );
    out!(
        s,
        "  op list_{x}s GET \"/v2/{p}\" (q: string = \"\", status: {r}Status?, limit: int in 1..500 = 50, cursor: string?)"
    );
    out!(s, "    -> {r}Page");
    out!(s, "    errors {{ 400: Problem }}");
    out!(s, "    graphql query");
    out!(s);
    out!(s, "  /// Create a {}.", d.prose);
    out!(
        s,
        "  op create_{x} POST \"/v2/{p}\" (body: Create{r}Request) -> {r}Summary"
    );
    out!(
        s,
        "    errors {{ 400: Problem, 403: Problem, 409: Problem }}"
    );
    out!(s, "    guarded by {access} action update");
    out!(s, "    graphql mutation");
    out!(s);
    out!(s, "  /// Change a {}.", d.prose);
    out!(
        s,
        "  op update_{x} PATCH \"/v2/{p}/{{id}}\" (id: string, body: Update{r}Request) -> {r}Summary"
    );
    out!(
        s,
        "    errors {{ 400: Problem, 403: Problem, 404: Problem }}"
    );
    out!(s, "    guarded by {access} action update");
    out!(s, "    graphql mutation");
    out!(s);
    out!(s, "  /// Approve a {} for release.", d.prose);
    out!(
        s,
        "  op approve_{x} POST \"/v2/{p}/{{id}}/approval\" (id: string) -> {r}Summary"
    );
    out!(s, "    errors {{ 403: Problem, 404: Problem }}");
    out!(s, "    guarded by {access} action approve");
    out!(s);
    out!(
        s,
        "  /// Schedule a {} for deletion after the recovery period.",
        d.prose
    );
    out!(
        s,
        "  op delete_{x} DELETE \"/v2/{p}/{{id}}\" (id: string, ticket: string) -> {r}Summary"
    );
    out!(
        s,
        "    errors {{ 403: Problem, 404: Problem, 423: Problem }}"
    );
    out!(s, "    guarded by {access} action delete");
    out!(s);
    out!(
        s,
        "  /// Request an export; the export worker runs once the policies allow it."
    );
    out!(
        s,
        "  op export_{x} POST \"/v2/{p}/{{id}}/exports\" (id: string, body: ExportRequest) -> ExportTicket"
    );
    out!(
        s,
        "    errors {{ 400: Problem, 403: Problem, 404: Problem }}"
    );
    out!(s, "    guarded by {access} action export");
    out!(s, "    graphql mutation");
    out!(s);
    out!(
        s,
        "  /// Record one event. Rejected without trustworthy provenance."
    );
    out!(
        s,
        "  op ingest POST \"/v2/{p}/events\" (body: {r}Event) -> {r}Receipt"
    );
    out!(s, "    errors {{ 400: Problem, 409: Problem }}");
    out!(s, "    requires provenance");
    out!(s, "    guarded by {ingest} action ingest");
    out!(s);
    out!(s, "  /// Record a batch of events, all or nothing.");
    out!(
        s,
        "  op ingest_batch POST \"/v2/{p}/events/batch\" (body: list<{r}Event>) -> list<{r}Receipt>"
    );
    out!(s, "    errors {{ 400: Problem, 409: Problem }}");
    out!(s, "    requires provenance");
    out!(s, "    guarded by {ingest} action ingest");
    if let Some(l) = linked {
        out!(s);
        out!(
            s,
            "  /// The upstream {} items this {} was derived from.",
            package_name(l),
            d.prose
        );
        out!(
            s,
            "  op upstream_of_{x} GET \"/v2/{p}/{{id}}/upstream\" (id: string) -> list<{}.{}>",
            package_path(l),
            summary_record(l)
        );
        out!(s, "    errors {{ 403: Problem, 404: Problem }}");
        out!(s, "    guarded by {access} action read");
    }
    out!(s);
    out!(s, "  /// The v1 read: no tier, no labels.");
    out!(
        s,
        "  @deprecated(since: 2026-01-15, sunset: 2026-12-31, use: get_{x},"
    );
    out!(
        s,
        "              note: \"v1 lacks tier and labels; call get_{x}\")"
    );
    out!(
        s,
        "  op get_{x}_v1 GET \"/v1/{p}/{{id}}\" (id: string) -> Legacy{r}"
    );
    out!(s, "    errors {{ 404: Problem }}");
    out!(s, "    guarded by {access} action read");
    out!(s, "}}");
    s
}
