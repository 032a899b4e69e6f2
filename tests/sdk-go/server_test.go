// The Go SDK against a small test server (httptest): verdict present, absent, garbled and
// denying; provenance missing in a response; deprecation warnings and headers; Retry-After;
// timeouts through the context; traceparent forwarding. Copied into the summit SDK's
// summit/lineage/ folder by tests/sdk-go/run.sh.
package lineage_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"summit/charter"
	"summit/summit/lineage"
)

const allow = `allow=?1, decider="summit.policy.lineage", rule_id="read", reason="same tenant"`

const trace = `{"entity_id":"e-1","depth":1,"hops":[],"complete":true,"chain_verified":true}`

const receipt = `{"provenance":{"origin":"ledger","actor":"svc","timestamp":"2026-01-01T00:00:00Z","confidence":0.75,"simulated":false},"event_id":"1b4e28ba-2fa1-11d2-883f-0000f87a31d2","sequence":1,"chain_hash":"AAEC","accepted_at":"2026-01-01T00:00:00Z"}`

func serve(t *testing.T, handler http.HandlerFunc) string {
	t.Helper()
	server := httptest.NewServer(handler)
	t.Cleanup(server.Close)
	return server.URL
}

func respond(verdict *string, status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if verdict != nil {
			w.Header().Set("Charter-Verdict", *verdict)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}
}

func ptr(s string) *string { return &s }

func TestVerdictPresentReachesHookAndResult(t *testing.T) {
	var events []charter.VerdictEvent
	url := serve(t, respond(ptr(allow), 200, trace))
	client := lineage.NewLineageClient(url, charter.WithVerdictHook(func(_ context.Context, e charter.VerdictEvent) {
		events = append(events, e)
	}))
	res, err := client.Trace(context.Background(), lineage.LineageTraceParams{EntityID: "e-1"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict == nil || res.Verdict.Decider != "summit.policy.lineage" || res.Data.EntityID != "e-1" {
		t.Fatalf("got %+v", res)
	}
	if len(events) != 1 || events[0].Verdict.RuleID != "read" || events[0].TraceID != res.TraceID {
		t.Fatalf("hook got %+v", events)
	}
}

func TestVerdictAbsentOrGarbledFailsClosed(t *testing.T) {
	for _, c := range []struct {
		verdict *string
		kind    charter.VerdictErrorKind
	}{{nil, charter.VerdictMissing}, {ptr("allow=maybe"), charter.VerdictMalformed}} {
		client := lineage.NewLineageClient(serve(t, respond(c.verdict, 200, trace)))
		_, err := client.Trace(context.Background(), lineage.LineageTraceParams{EntityID: "e-1"})
		var verdictErr *charter.VerdictError
		if !errors.As(err, &verdictErr) || verdictErr.Kind != c.kind {
			t.Fatalf("want a %s VerdictError, got %v", c.kind, err)
		}
	}
}

func TestDenialIsDeniedError(t *testing.T) {
	deny := `allow=?0, decider="summit.policy.lineage", rule_id="default", reason="no"`
	client := lineage.NewLineageClient(serve(t, respond(&deny, 403, `{}`)))
	_, err := client.Trace(context.Background(), lineage.LineageTraceParams{EntityID: "e-1"})
	var denied *charter.DeniedError
	if !errors.As(err, &denied) || denied.Verdict.Reason != "no" {
		t.Fatalf("want a DeniedError, got %v", err)
	}
}

func TestProvenanceMissingInResponse(t *testing.T) {
	without := `{"event_id":"1b4e28ba-2fa1-11d2-883f-0000f87a31d2","sequence":1,"chain_hash":"AAEC","accepted_at":"2026-01-01T00:00:00Z"}`
	client := lineage.NewLineageClient(serve(t, respond(ptr(allow), 200, without)))
	event := lineage.LineageEvent{EventID: "1b4e28ba-2fa1-11d2-883f-0000f87a31d2", Kind: lineage.HopKindCopy, Hash: []byte{1}, Tags: []string{}}
	event.Provenance.Origin, event.Provenance.Actor, event.Provenance.Timestamp = "etl", "svc", time.Now()
	_, err := client.Ingest(context.Background(), lineage.LineageIngestParams{Body: event})
	var provenanceErr *charter.ProvenanceError
	if !errors.As(err, &provenanceErr) {
		t.Fatalf("want a ProvenanceError, got %v", err)
	}
	client = lineage.NewLineageClient(serve(t, respond(ptr(allow), 200, receipt)))
	if _, err := client.Ingest(context.Background(), lineage.LineageIngestParams{Body: event}); err != nil {
		t.Fatal(err)
	}
}

func TestDeprecationWarnsOnceAndSurfacesHeaders(t *testing.T) {
	var events []charter.DeprecationEvent
	url := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Deprecation", "@1772323200")
		w.Header().Set("Sunset", "Wed, 30 Jun 2027 00:00:00 GMT")
		respond(ptr(allow), 200, `{"entity_id":"e-1","path":[]}`)(w, r)
	})
	client := lineage.NewLineageClient(url, charter.WithDeprecationHook(func(_ context.Context, e charter.DeprecationEvent) {
		events = append(events, e)
	}))
	for range 2 {
		if _, err := client.TraceV1(context.Background(), lineage.LineageTraceV1Params{EntityID: "e-1"}); err != nil {
			t.Fatal(err)
		}
	}
	warnings, headers := 0, 0
	for _, e := range events {
		if e.Message != "" {
			warnings++
		}
		if e.Sunset != "" {
			headers++
		}
	}
	if warnings != 1 || headers != 2 {
		t.Fatalf("got %+v", events)
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	var calls atomic.Int32
	url := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		respond(ptr(allow), 200, trace)(w, r)
	})
	client := lineage.NewLineageClient(url)
	if _, err := client.Trace(context.Background(), lineage.LineageTraceParams{EntityID: "e-1"}); err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 2 {
		t.Fatalf("%d calls", calls.Load())
	}
}

func TestTimeoutThroughContext(t *testing.T) {
	url := serve(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(2 * time.Second):
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := lineage.NewLineageClient(url).Trace(ctx, lineage.LineageTraceParams{EntityID: "e-1"})
	var timeout *charter.TimeoutError
	if !errors.As(err, &timeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want a TimeoutError, got %v", err)
	}
}

func TestTraceparentIsForwarded(t *testing.T) {
	const tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
	var got string
	url := serve(t, func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Get("traceparent")
		respond(ptr(allow), 200, trace)(w, r)
	})
	res, err := lineage.NewLineageClient(url).Trace(charter.WithTraceparent(context.Background(), tp), lineage.LineageTraceParams{EntityID: "e-1"})
	if err != nil {
		t.Fatal(err)
	}
	if got != tp || res.TraceID != "4bf92f3577b34da6a3ce929d0e0e4736" || !strings.HasPrefix(got, "00-") {
		t.Fatalf("sent %q, trace id %q", got, res.TraceID)
	}
}
