// Prism for the Prism tests of the generated Go SDKs (prism_test.go: examples/summit,
// wire_prism_test.go: tests/sdk/wire): starting `prism mock --errors` on a service's emitted
// OpenAPI document, and a RoundTripper forwarding to it that keeps Prism's request-side
// problems and its statuses. tests/sdk-go/run.sh copies it beside them.
package prism_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// prism starts Prism on the service's document and returns its address.
func prism(t *testing.T, service string) string {
	t.Helper()
	bin, dir := os.Getenv("CHARTER_PRISM"), os.Getenv("CHARTER_OPENAPI")
	if bin == "" || dir == "" {
		t.Skip("CHARTER_PRISM and CHARTER_OPENAPI are not set")
	}
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := listener.Addr().(*net.TCPAddr).Port
	_ = listener.Close()
	cmd := exec.Command(bin, "mock", "-h", "127.0.0.1", "-p", fmt.Sprint(port), "--errors", filepath.Join(dir, service+".json"))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	ready := make(chan bool, 1)
	go func() {
		scanner := bufio.NewScanner(out)
		for scanner.Scan() {
			if strings.Contains(scanner.Text(), "Prism is listening") {
				ready <- true
			}
		}
		ready <- false
	}()
	select {
	case ok := <-ready:
		if !ok {
			t.Fatal("prism exited")
		}
	case <-time.After(60 * time.Second):
		t.Fatal("prism did not start")
	}
	return fmt.Sprintf("http://127.0.0.1:%d", port)
}

// recorder forwards to Prism with the service's base path stripped (Prism serves the paths of
// the document) and keeps Prism's request-side problems.
type recorder struct {
	prism, base string
	sent        int
	problems    []string
	// statuses are Prism's answers, in order.
	statuses []int
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.sent++
	target := r.prism + strings.TrimPrefix(req.URL.Path, r.base)
	if req.URL.RawQuery != "" {
		target += "?" + req.URL.RawQuery
	}
	forward, err := http.NewRequestWithContext(req.Context(), req.Method, target, req.Body)
	if err != nil {
		return nil, err
	}
	forward.Header = req.Header.Clone()
	resp, err := http.DefaultTransport.RoundTrip(forward)
	if err != nil {
		return nil, err
	}
	r.statuses = append(r.statuses, resp.StatusCode)
	// Prism lists what it found wrong in the `sl-violations` header too: with --errors the
	// request's problems may be there only, the body naming its own mock's problems.
	type violation struct {
		Location []string `json:"location"`
	}
	var found []violation
	if header := resp.Header.Get("sl-violations"); header != "" {
		if err := json.Unmarshal([]byte(header), &found); err != nil {
			r.problems = append(r.problems, fmt.Sprintf("%s %s: unreadable sl-violations %q", req.Method, req.URL.RequestURI(), header))
		}
	}
	kind, body := "", ""
	if strings.Contains(resp.Header.Get("Content-Type"), "problem") {
		raw, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		resp.Body = io.NopCloser(strings.NewReader(string(raw)))
		var problem struct {
			Type       string      `json:"type"`
			Validation []violation `json:"validation"`
		}
		_ = json.Unmarshal(raw, &problem)
		found = append(found, problem.Validation...)
		kind, body = problem.Type, string(raw)
	}
	requestSide := 0
	for _, v := range found {
		if len(v.Location) == 0 || v.Location[0] != "response" {
			requestSide++
		}
	}
	// Only request-side problems are the SDK's; with --errors Prism also fails its own mock
	// responses (#VIOLATIONS of the response alone).
	if requestSide > 0 || (strings.Contains(kind, "stoplight.io/prism/errors") && !strings.HasSuffix(kind, "#VIOLATIONS")) {
		r.problems = append(r.problems, fmt.Sprintf("%s %s: %d request-side problem(s), sl-violations %s, body %s", req.Method, req.URL.RequestURI(), requestSide, resp.Header.Get("sl-violations"), body))
	}
	return resp, nil
}
