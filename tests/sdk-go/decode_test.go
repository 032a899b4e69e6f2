// Decoding and encoding of the summit SDK's records: a response that does not decode names the
// full JSON path of every offending value (unknown, missing, null, wrong type, bad enum) in a
// record nested in a list; a nil required list or map is sent as an empty one (a nil optional one is absent, an empty one sent). Copied into the
// summit SDK's summit/lineage/ folder by tests/sdk-go/run.sh.
package lineage_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"summit/charter"
	"summit/summit/lineage"
)

const goodHop = `{"from":"a","to":"b","kind":"copy","observed_at":"2026-01-01T00:00:00Z","actor":"svc","confidence":0.5,"simulated":false,"hash":"AAEC"}`

// traceWith is a trace whose hops are goodHop but for hops[i], which is hop.
func traceWith(hops map[int]string) string {
	list := []string{goodHop, goodHop, goodHop}
	for i, hop := range hops {
		list[i] = hop
	}
	return `{"entity_id":"e-1","depth":3,"hops":[` + strings.Join(list, ",") + `],"complete":true,"chain_verified":true}`
}

func problems(t *testing.T, err error) map[string]string {
	t.Helper()
	var invalid *charter.ValidationError
	if !errors.As(err, &invalid) {
		t.Fatalf("want a *charter.ValidationError, got %v", err)
	}
	if invalid.Direction != "response" {
		t.Fatalf("want a response error, got %q", invalid.Direction)
	}
	out := map[string]string{}
	for _, p := range invalid.Problems {
		out[p.Path] = p.Message
	}
	return out
}

func traceResponse(t *testing.T, body string) error {
	t.Helper()
	client := lineage.NewLineageClient(serve(t, respond(ptr(allow), 200, body)))
	_, err := client.Trace(context.Background(), lineage.LineageTraceParams{EntityID: "e-1"})
	return err
}

func TestDecodingErrorsNameTheFullPath(t *testing.T) {
	hop := func(from, to string) string { return strings.Replace(goodHop, from, to, 1) }
	body := traceWith(map[int]string{
		0: hop(`"confidence":0.5`, `"confidence":"high"`),
		1: hop(`"actor":"svc",`, ``),
		2: hop(`"simulated":false`, `"simulated":false,"extra":1`),
	})
	got := problems(t, traceResponse(t, body))
	want := map[string]string{
		"response.hops[0].confidence": "expected a number, found string",
		"response.hops[1].actor":      "is required",
		"response.hops[2].extra":      "is not a member of the record",
	}
	for path, message := range want {
		if got[path] != message {
			t.Errorf("%s: want %q, got %q (all: %v)", path, message, got[path], got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("want exactly %d problems, got %v", len(want), got)
	}
}

func TestDecodingNullAndBadEnumNameTheFullPath(t *testing.T) {
	body := traceWith(map[int]string{1: strings.Replace(goodHop, `"actor":"svc"`, `"actor":null`, 1)})
	if got := problems(t, traceResponse(t, body)); got["response.hops[1].actor"] != "is required, found null" {
		t.Errorf("null required member: %v", got)
	}
	body = traceWith(map[int]string{2: strings.Replace(goodHop, `"kind":"copy"`, `"kind":"teleport"`, 1)})
	if got := problems(t, traceResponse(t, body)); !strings.Contains(got["response.hops[2].kind"], "teleport") {
		t.Errorf("bad enum value: %v", got)
	}
	if err := traceResponse(t, traceWith(nil)); err != nil {
		t.Fatalf("a well-formed trace: %v", err)
	}
}

func TestUnmarshalReportsThePathBelowTheValue(t *testing.T) {
	var trace lineage.Trace
	err := json.Unmarshal([]byte(traceWith(map[int]string{2: `{"from":1}`})), &trace)
	var decoded *charter.DecodeError
	if !errors.As(err, &decoded) {
		t.Fatalf("want a *charter.DecodeError, got %v", err)
	}
	paths := map[string]bool{}
	for _, p := range decoded.Problems {
		paths[p.Path] = true
	}
	for _, path := range []string{"hops[2].from", "hops[2].to", "hops[2].hash"} {
		if !paths[path] {
			t.Errorf("no problem at %s: %v", path, decoded.Problems)
		}
	}
	if !strings.Contains(err.Error(), "hops[2].from: expected a string, found number") {
		t.Errorf("message: %v", err)
	}
	// A map value at a key that is not an identifier: `["key"]`, as in the TypeScript SDK.
	var event lineage.LineageEvent
	err = json.Unmarshal([]byte(`{"attributes":{"a b":1,"ok":"x"}}`), &event)
	if !strings.Contains(fmt.Sprint(err), `attributes["a b"]: expected a string, found number`) || strings.Contains(fmt.Sprint(err), "attributes.ok") {
		t.Errorf("map key path: %v", err)
	}
	// A closed enum refuses an unknown value while decoding, not only when checked.
	err = json.Unmarshal([]byte(traceWith(map[int]string{1: strings.Replace(goodHop, `"copy"`, `"teleport"`, 1)})), &trace)
	if !strings.Contains(fmt.Sprint(err), `hops[1].kind: "teleport" is not a known value`) {
		t.Errorf("bad enum while decoding: %v", err)
	}
}

func TestNilRequiredListsAndMapsAreSentEmpty(t *testing.T) {
	event := lineage.LineageEvent{EventID: "1b4e28ba-2fa1-11d2-883f-0000f87a31d2", Kind: lineage.HopKindCopy, Hash: []byte{1}}
	event.Provenance.Origin, event.Provenance.Actor = "etl", "svc"
	if err := event.Validate(); err != nil {
		t.Fatalf("nil required set and map must be valid (empty): %v", err)
	}
	text, err := json.Marshal(event)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(text), `"tags":[]`) || strings.Contains(string(text), `"attributes"`) {
		t.Errorf("want tags [] and no attributes (optional, absent): %s", text)
	}
	withEmpty := event
	withEmpty.Attributes = map[string]string{}
	if text, err := json.Marshal(withEmpty); err != nil || !strings.Contains(string(text), `"attributes":{}`) {
		t.Errorf("an empty optional map is sent, not dropped: %s %v", text, err)
	}
	var sent []byte
	report := `{"valid":true,"checked":0,"errors":[]}`
	client := lineage.NewLineageClient(serve(t, func(w http.ResponseWriter, r *http.Request) {
		sent, _ = io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(report))
	}))
	_, err = client.Validate(context.Background(), lineage.LineageValidateParams{Body: nil})
	if string(sent) != "[]" {
		t.Errorf("a nil required list body must be sent as []: got %q (%v)", sent, err)
	}
	var round lineage.LineageEvent
	if err := json.Unmarshal(text, &round); err != nil || round.Tags == nil || len(round.Tags) != 0 || round.Attributes != nil {
		t.Errorf("round trip: %v %#v", err, round.Tags)
	}
}
