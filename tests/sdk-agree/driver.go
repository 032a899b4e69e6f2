// The Go driver of the agreement test (tests/sdk-agree/run.sh): calls each case's operation
// through the generated summit SDK against the replay server and prints one normalised JSON
// line per case (see run.sh for the fields). Copied into the SDK module as agree/main.go.
//
// Usage: go run ./agree RESPONSES_JSON BASE_URL
package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"summit/charter"
	provenance "summit/std/provenance"
	"summit/summit/lineage"
)

func verdictOf(v *charter.Verdict) map[string]any {
	return map[string]any{"allow": v.Allow, "decider": v.Decider, "rule_id": v.RuleID}
}

var event = lineage.LineageEvent{
	Provenance: provenance.Provenance{Origin: "etl", Actor: "svc", Timestamp: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Confidence: 0.5, Simulated: false},
	EventID:    "1b4e28ba-2fa1-11d2-883f-0000f87a31d2",
	Dataset:    "d-1",
	From:       "a",
	To:         "b",
	Kind:       lineage.HopKindCopy,
	Hash:       []byte{1, 2, 3},
	Tags:       []string{"backfill"},
}

func run(c testCase, base string) map[string]any {
	var deprecations []charter.DeprecationEvent
	client := lineage.NewLineageClient(base+"/go/"+c.Case,
		charter.WithRetry(charter.RetryPolicy{MaxRetries: 2, BaseDelay: 10 * time.Millisecond, MaxDelay: 50 * time.Millisecond, Budget: 5 * time.Second}),
		charter.WithDeprecationHook(func(_ context.Context, e charter.DeprecationEvent) { deprecations = append(deprecations, e) }))
	ctx := context.Background()
	line := map[string]any{"case": c.Case}
	var (
		data    any
		verdict *charter.Verdict
		err     error
	)
	switch c.Op {
	case "trace":
		depth := int64(3)
		var res *charter.Response[lineage.Trace]
		if res, err = client.Trace(ctx, lineage.LineageTraceParams{EntityID: "e-1", Depth: &depth}); err == nil {
			data, verdict = res.Data, res.Verdict
		}
	case "trace_v1":
		var res *charter.Response[lineage.LegacyTrace]
		if res, err = client.TraceV1(ctx, lineage.LineageTraceV1Params{EntityID: "e-1"}); err == nil {
			data, verdict = res.Data, res.Verdict
		}
	default:
		var res *charter.Response[lineage.IngestReceipt]
		if res, err = client.Ingest(ctx, lineage.LineageIngestParams{Body: event}); err == nil {
			data, verdict = res.Data, res.Verdict
		}
	}
	if err == nil {
		line["outcome"] = "ok"
		line["value_digest"] = canonical(data)
		if verdict != nil {
			line["verdict"] = verdictOf(verdict)
		}
		warned := false
		var headers *charter.DeprecationEvent
		for i := range deprecations {
			e := &deprecations[i]
			if e.Deprecation != "" || e.Sunset != "" {
				headers = e
			} else {
				warned = true
			}
		}
		if headers != nil {
			line["deprecation"] = map[string]any{"deprecation": headers.Deprecation, "sunset": headers.Sunset, "warned": warned}
		}
		return line
	}
	line["outcome"] = "error"
	var (
		verdictErr *charter.VerdictError
		denied     *charter.DeniedError
		prov       *charter.ProvenanceError
		invalid    *charter.ValidationError
		apiErr     *charter.APIError
		d409       *lineage.LineageIngest409Error
		d404       *lineage.LineageTrace404Error
		d404v1     *lineage.LineageTraceV1404Error
	)
	switch {
	case errors.As(err, &verdictErr):
		line["kind"] = "verdict:" + string(verdictErr.Kind)
	case errors.As(err, &denied):
		line["kind"] = "denied"
		line["verdict"] = verdictOf(denied.Verdict)
	case errors.As(err, &prov):
		line["kind"] = "provenance"
		if len(prov.Problems) > 0 {
			line["path"] = prov.Problems[0].Path
		}
	case errors.As(err, &invalid):
		line["kind"] = "validation"
		if len(invalid.Problems) > 0 {
			line["path"] = invalid.Problems[0].Path
		}
	case errors.As(err, &d409):
		line["kind"] = fmt.Sprintf("declared:%d", d409.Status)
		line["value_digest"] = canonical(d409.Body)
	case errors.As(err, &d404):
		line["kind"] = fmt.Sprintf("declared:%d", d404.Status)
		line["value_digest"] = canonical(d404.Body)
	case errors.As(err, &d404v1):
		line["kind"] = fmt.Sprintf("declared:%d", d404v1.Status)
		line["value_digest"] = canonical(d404v1.Body)
	case errors.As(err, &apiErr):
		line["kind"] = fmt.Sprintf("api:%d", apiErr.Status)
	default:
		line["kind"] = fmt.Sprintf("unexpected:%T: %v", err, err)
	}
	return line
}

func main() { drive(run) }
