// Every operation of examples/summit, called through the generated Go SDK with valid data,
// is accepted by Prism (`prism mock --errors`, request validation on) serving the emitted
// OpenAPI document of its service. tests/sdk-go/run.sh copies this file into the summit SDK's
// prism/ folder and sets CHARTER_PRISM (the prism binary of tests/sdk's npm install) and
// CHARTER_OPENAPI (the openapi target's folder).
package prism_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"summit/charter"
	"summit/std/provenance"
	"summit/std/verdict"
	"summit/summit/identity"
	"summit/summit/lineage"
	"summit/summit/platform"
	"summit/summit/policy"
)

func options(r *recorder) []charter.Option {
	return []charter.Option{
		charter.WithHTTPClient(&http.Client{Transport: r}),
		charter.WithRetry(charter.RetryPolicy{MaxRetries: 0, Budget: time.Second}),
	}
}

// call runs one operation and checks that exactly one request went out and Prism took it; a
// mock response may fail the SDK's own checks (a static example is not a verdict of this
// request), but a request-side validation error fails the test.
func call[T any](t *testing.T, r *recorder, name string, f func() (*charter.Response[T], error)) {
	t.Helper()
	before := r.sent
	_, err := f()
	var invalid *charter.ValidationError
	if errors.As(err, &invalid) && invalid.Direction == "request" {
		t.Fatalf("%s: refused by the SDK: %v", name, err)
	}
	if r.sent != before+1 {
		t.Fatalf("%s: %d requests sent", name, r.sent-before)
	}
	if len(r.problems) > 0 {
		t.Fatalf("%s: Prism refused the request: %s", name, strings.Join(r.problems, "\n"))
	}
}

func ptr[T any](v T) *T { return &v }

func event() lineage.LineageEvent {
	return lineage.LineageEvent{
		Provenance: provenance.Provenance{Origin: "etl", Actor: "svc", Timestamp: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Confidence: 0.5},
		EventID:    "1b4e28ba-2fa1-11d2-883f-0000f87a31d2",
		Dataset:    "d-1",
		From:       "a",
		To:         "b",
		Kind:       lineage.HopKindCopy,
		Hash:       []byte{1, 2, 3},
		Tags:       []string{"backfill"},
	}
}

func TestAudit(t *testing.T) {
	r := &recorder{prism: prism(t, "Audit"), base: "/audit"}
	client := platform.NewAuditClient("http://sdk.invalid", options(r)...)
	ctx := context.Background()
	call(t, r, "events", func() (*charter.Response[platform.AuditPage], error) {
		return client.Events(ctx, platform.AuditEventsParams{Tenant: "t-1", Since: ptr(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)), Cursor: ptr("c"), Limit: ptr(int64(10))})
	})
	call(t, r, "export_csv", func() (*charter.Response[platform.AuditExport], error) {
		return client.ExportCsv(ctx, platform.AuditExportCsvParams{Tenant: "t-1"})
	})
}

func TestCatalog(t *testing.T) {
	r := &recorder{prism: prism(t, "Catalog"), base: "/catalog"}
	client := platform.NewCatalogClient("http://sdk.invalid", options(r)...)
	ctx := context.Background()
	call(t, r, "get_dataset", func() (*charter.Response[platform.DatasetSummary], error) {
		return client.GetDataset(ctx, platform.CatalogGetDatasetParams{DatasetID: "d-1"})
	})
	call(t, r, "search", func() (*charter.Response[[]platform.DatasetSummary], error) {
		return client.Search(ctx, platform.CatalogSearchParams{Q: ptr("sales"), Sensitivity: ptr(identity.SensitivityInternal), Limit: ptr(int64(5))})
	})
	call(t, r, "request_export", func() (*charter.Response[platform.ExportTicket], error) {
		return client.RequestExport(ctx, platform.CatalogRequestExportParams{DatasetID: "d-1", Body: platform.ExportRequest{Destination: "s3://x", DestinationRegion: "eu", Format: ptr(platform.ExportFormatCsv)}})
	})
	call(t, r, "delete_dataset", func() (*charter.Response[platform.DeletionReceipt], error) {
		return client.DeleteDataset(ctx, platform.CatalogDeleteDatasetParams{DatasetID: "d-1", Ticket: "t"})
	})
}

func TestLineage(t *testing.T) {
	r := &recorder{prism: prism(t, "Lineage"), base: "/lineage"}
	client := lineage.NewLineageClient("http://sdk.invalid", options(r)...)
	ctx := context.Background()
	call(t, r, "ingest", func() (*charter.Response[lineage.IngestReceipt], error) {
		return client.Ingest(ctx, lineage.LineageIngestParams{Body: event()})
	})
	call(t, r, "trace", func() (*charter.Response[lineage.Trace], error) {
		return client.Trace(ctx, lineage.LineageTraceParams{EntityID: "e-1", Depth: ptr(int64(3))})
	})
	call(t, r, "validate", func() (*charter.Response[lineage.ValidationReport], error) {
		return client.Validate(ctx, lineage.LineageValidateParams{Body: []lineage.LineageEvent{event()}})
	})
	call(t, r, "trace_v1", func() (*charter.Response[lineage.LegacyTrace], error) {
		return client.TraceV1(ctx, lineage.LineageTraceV1Params{EntityID: "e-1"})
	})
}

func TestPolicyDecision(t *testing.T) {
	r := &recorder{prism: prism(t, "PolicyDecision"), base: "/pdp"}
	client := policy.NewPolicyDecisionClient("http://sdk.invalid", options(r)...)
	body := policy.EvaluateRequest{Policy: "summit.policy.dataset_access", Action: "read", Subject: policy.PrincipalRef{Kind: policy.PrincipalKindUser, ID: "u-1", Tenant: "t-1"}, Artefact: "d-1"}
	call(t, r, "evaluate", func() (*charter.Response[verdict.Verdict], error) {
		return client.Evaluate(context.Background(), policy.PolicyDecisionEvaluateParams{Body: body})
	})
}

// TestTheRecorderSeesWhatPrismRefuses proves the suite can fail: a body the SDK would never send
// is refused by Prism, and the recorder sees it.
func TestTheRecorderSeesWhatPrismRefuses(t *testing.T) {
	r := &recorder{prism: prism(t, "Lineage"), base: "/lineage"}
	req, err := http.NewRequest("POST", "http://sdk.invalid/lineage/v2/events", strings.NewReader(`{"event_id": 1}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := r.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if len(r.problems) == 0 {
		t.Fatalf("Prism's refusal of an invalid body went unseen (status %d, sl-violations %q)", resp.StatusCode, resp.Header.Get("sl-violations"))
	}
}
