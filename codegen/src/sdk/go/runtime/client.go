package charter

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	mrand "math/rand/v2"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Options configures a client; set them with the Option functions.
type Options struct {
	BaseURL    string
	HTTPClient *http.Client
	Header     http.Header
	Timeout    time.Duration
	Retry      RetryPolicy
	// VerdictKeys, when set, require every guarded response's verdict to be signed by one of
	// them for the request sent.
	VerdictKeys   []VerdictKey
	OnVerdict     func(context.Context, VerdictEvent)
	OnDeprecation func(context.Context, DeprecationEvent)
	Logger        *slog.Logger
}

// RetryPolicy bounds retries of idempotent methods (network errors, 429 and 503).
type RetryPolicy struct {
	MaxRetries int
	BaseDelay  time.Duration
	MaxDelay   time.Duration
	Budget     time.Duration
}

// Option sets one client option.
type Option func(*Options)

// WithHTTPClient sets the *http.Client (default: http.DefaultClient).
func WithHTTPClient(c *http.Client) Option { return func(o *Options) { o.HTTPClient = c } }

// WithHeader adds a header sent on every request.
func WithHeader(name, value string) Option {
	return func(o *Options) { o.Header.Add(name, value) }
}

// WithTimeout bounds each call (default 30s); a context deadline also applies.
func WithTimeout(d time.Duration) Option { return func(o *Options) { o.Timeout = d } }

// WithRetry sets the retry policy.
func WithRetry(p RetryPolicy) Option { return func(o *Options) { o.Retry = p } }

// WithVerdictKeys requires signed verdicts.
func WithVerdictKeys(keys ...VerdictKey) Option {
	return func(o *Options) { o.VerdictKeys = append(o.VerdictKeys, keys...) }
}

// WithVerdictHook receives every verdict.
func WithVerdictHook(f func(context.Context, VerdictEvent)) Option {
	return func(o *Options) { o.OnVerdict = f }
}

// WithDeprecationHook receives deprecation warnings and Deprecation/Sunset headers.
func WithDeprecationHook(f func(context.Context, DeprecationEvent)) Option {
	return func(o *Options) { o.OnDeprecation = f }
}

// WithLogger logs verdicts and deprecations as structured records.
func WithLogger(l *slog.Logger) Option { return func(o *Options) { o.Logger = l } }

// VerdictEvent is what the verdict hook receives.
type VerdictEvent struct {
	Operation  string
	Verdict    *Verdict
	Confidence *float64
	TraceID    string
}

// DeprecationEvent is a deprecated operation's warning (once per process) or the
// Deprecation/Sunset headers of a response.
type DeprecationEvent struct {
	Operation   string
	Message     string
	Deprecation string
	Sunset      string
}

// Transport sends the calls of generated clients.
type Transport struct {
	opts Options
}

// NewTransport is the transport of a client of baseURL.
func NewTransport(baseURL string, options ...Option) *Transport {
	o := Options{
		BaseURL: strings.TrimRight(baseURL, "/"),
		Header:  http.Header{},
		Timeout: 30 * time.Second,
		Retry:   RetryPolicy{MaxRetries: 2, BaseDelay: 200 * time.Millisecond, MaxDelay: 10 * time.Second, Budget: 30 * time.Second},
	}
	for _, option := range options {
		option(&o)
	}
	if o.HTTPClient == nil {
		o.HTTPClient = http.DefaultClient
	}
	return &Transport{opts: o}
}

// Operation describes one operation to the transport; generated code declares one per
// operation.
type Operation struct {
	Name   string
	Method string
	Path   string
	// Success is the declared success status (any 2xx is taken as success).
	Success            int
	Idempotent         bool
	Guarded            bool
	RequiresProvenance bool
	// Deprecated is the warning of a deprecated operation, empty otherwise.
	Deprecated string
}

// Request is one call's path, query and body.
type Request struct {
	// Path is the expanded path (base path and operation path, parameters escaped).
	Path  string
	Query url.Values
	Body  any
}

// Response is a successful call's result.
type Response[T any] struct {
	Data    T
	Status  int
	Header  http.Header
	TraceID string
	// Verdict is the policy's verdict on guarded operations, nil otherwise.
	Verdict *Verdict
}

// APIError is a response that is neither a success nor a declared error.
type APIError struct {
	Operation string
	Status    int
	Header    http.Header
	Body      []byte
}

func (e *APIError) Error() string {
	return fmt.Sprintf("%s: unexpected status %d", e.Operation, e.Status)
}

// DeniedError is a guarded call whose verdict denies.
type DeniedError struct {
	Operation string
	Status    int
	Verdict   *Verdict
}

func (e *DeniedError) Error() string {
	return fmt.Sprintf("%s: denied by %s (%s): %s", e.Operation, e.Verdict.Decider, e.Verdict.RuleID, e.Verdict.Reason)
}

// TimeoutError is a call that did not finish in time.
type TimeoutError struct {
	Operation string
	Err       error
}

func (e *TimeoutError) Error() string { return e.Operation + ": timed out" }

// Unwrap returns the context error.
func (e *TimeoutError) Unwrap() error { return e.Err }

type traceKey struct{}

// WithTraceparent makes calls made with ctx forward this W3C traceparent.
func WithTraceparent(ctx context.Context, traceparent string) context.Context {
	return context.WithValue(ctx, traceKey{}, traceparent)
}

func traceparent(ctx context.Context) string {
	if tp, ok := ctx.Value(traceKey{}).(string); ok && TraceIDOf(tp) != "" {
		return tp
	}
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return "00-" + hex.EncodeToString(b[:16]) + "-" + hex.EncodeToString(b[16:]) + "-01"
}

var warned sync.Map

// Decoder reads a declared error response: it returns the operation's typed error, or nil when
// the status is not declared or the body is not the declared one.
type Decoder func(status int, header http.Header, body []byte) error

// Call sends req for op, retrying as allowed, and decodes and checks a success with check
// (nil without a result); errs reads declared error responses (nil without any).
func Call[T any](ctx context.Context, t *Transport, op *Operation, req Request, check func(*T, *Checker), errs Decoder) (*Response[T], error) {
	if op.Deprecated != "" {
		if _, seen := warned.LoadOrStore(op.Name, true); !seen {
			t.deprecation(ctx, DeprecationEvent{Operation: op.Name, Message: op.Deprecated})
		}
	}
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = encode(req.Body); err != nil {
			return nil, err
		}
	}
	target := t.opts.BaseURL + req.Path
	if len(req.Query) > 0 {
		target += "?" + req.Query.Encode()
	}
	tp := traceparent(ctx)
	if t.opts.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, t.opts.Timeout)
		defer cancel()
	}
	resp, raw, err := t.send(ctx, op, target, tp, body)
	if err != nil {
		return nil, err
	}
	out := &Response[T]{Status: resp.StatusCode, Header: resp.Header, TraceID: TraceIDOf(tp)}
	if d, s := resp.Header.Get("Deprecation"), resp.Header.Get("Sunset"); d != "" || s != "" {
		t.deprecation(ctx, DeprecationEvent{Operation: op.Name, Deprecation: d, Sunset: s})
	}
	success := resp.StatusCode >= 200 && resp.StatusCode < 300
	if op.Guarded {
		_, present := resp.Header[http.CanonicalHeaderKey(VerdictHeader)]
		if success || present {
			v, verr := t.verdict(resp, op, target, tp, body)
			if verr != nil {
				return nil, verr
			}
			out.Verdict = v
			t.report(ctx, op, v, out.TraceID, raw)
			if !v.Allow {
				return nil, &DeniedError{Operation: op.Name, Status: resp.StatusCode, Verdict: v}
			}
		}
	}
	if !success {
		if errs != nil {
			if derr := errs(resp.StatusCode, resp.Header, raw); derr != nil {
				return nil, derr
			}
		}
		return nil, &APIError{Operation: op.Name, Status: resp.StatusCode, Header: resp.Header, Body: raw}
	}
	if check != nil {
		if err := DecodeBody(raw, &out.Data); err != nil {
			return nil, decodeFailure(op, err)
		}
		c := &Checker{}
		check(&out.Data, c)
		if err := c.Err("response", op.RequiresProvenance); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// decodeFailure is a response body that did not decode, as a *ValidationError whose problems
// are at their JSON paths under `response`, as in the TypeScript and Python SDKs (a
// *ProvenanceError when the provenance envelope of an operation that requires provenance is at
// fault).
func decodeFailure(op *Operation, err error) error {
	var decoded *DecodeError
	if !errors.As(err, &decoded) {
		return &ValidationError{Direction: "response", Problems: []Problem{{Path: "response", Message: err.Error()}}}
	}
	invalid := ValidationError{Direction: "response"}
	provenance := false
	for _, p := range decoded.Problems {
		path := Under("response", p.Path)
		provenance = provenance || path == "response.provenance" || strings.HasPrefix(path, "response.provenance.")
		invalid.Problems = append(invalid.Problems, Problem{Path: path, Message: p.Message})
	}
	if op.RequiresProvenance && provenance {
		return &ProvenanceError{ValidationError: invalid}
	}
	return &invalid
}

// encode is a request body as JSON; a nil list or map (a required body left nil) is sent as an
// empty one.
func encode(body any) ([]byte, error) {
	switch v := reflect.ValueOf(body); {
	case v.Kind() == reflect.Slice && v.IsNil() && v.Type().Elem().Kind() == reflect.Uint8:
		return []byte(`""`), nil
	case v.Kind() == reflect.Slice && v.IsNil():
		return []byte("[]"), nil
	case v.Kind() == reflect.Map && v.IsNil():
		return []byte("{}"), nil
	}
	return Marshal(body)
}

func (t *Transport) send(ctx context.Context, op *Operation, target, tp string, body []byte) (*http.Response, []byte, error) {
	start := time.Now()
	for attempt := 0; ; attempt++ {
		var reader io.Reader
		if body != nil {
			reader = bytes.NewReader(body)
		}
		req, err := http.NewRequestWithContext(ctx, op.Method, target, reader)
		if err != nil {
			return nil, nil, err
		}
		for name, values := range t.opts.Header {
			req.Header[name] = append([]string(nil), values...)
		}
		req.Header.Set("traceparent", tp)
		req.Header.Set("Accept", "application/json")
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := t.opts.HTTPClient.Do(req)
		var raw []byte
		if err == nil {
			raw, err = io.ReadAll(resp.Body)
			_ = resp.Body.Close()
		}
		if ctx.Err() != nil {
			return nil, nil, &TimeoutError{Operation: op.Name, Err: ctx.Err()}
		}
		retryable := err != nil || resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable
		if !op.Idempotent || !retryable || attempt >= t.opts.Retry.MaxRetries {
			if err != nil {
				return nil, nil, err
			}
			return resp, raw, nil
		}
		delay := t.backoff(attempt, resp)
		if time.Since(start)+delay > t.opts.Retry.Budget {
			if err != nil {
				return nil, nil, err
			}
			return resp, raw, nil
		}
		timer := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil, nil, &TimeoutError{Operation: op.Name, Err: ctx.Err()}
		case <-timer.C:
		}
	}
}

// backoff is Retry-After when the server sent one, else exponential backoff with full jitter.
func (t *Transport) backoff(attempt int, resp *http.Response) time.Duration {
	if resp != nil {
		if after := resp.Header.Get("Retry-After"); after != "" {
			if secs, err := strconv.Atoi(after); err == nil && secs >= 0 {
				return min(time.Duration(secs)*time.Second, t.opts.Retry.MaxDelay)
			}
			if when, err := http.ParseTime(after); err == nil {
				return min(max(time.Until(when), 0), t.opts.Retry.MaxDelay)
			}
		}
	}
	ceiling := float64(t.opts.Retry.BaseDelay) * math.Pow(2, float64(attempt))
	ceiling = math.Min(ceiling, float64(t.opts.Retry.MaxDelay))
	if ceiling < 1 {
		return 0
	}
	return time.Duration(mrand.Int64N(int64(ceiling)))
}

func (t *Transport) verdict(resp *http.Response, op *Operation, target, tp string, body []byte) (*Verdict, error) {
	values, present := resp.Header[http.CanonicalHeaderKey(VerdictHeader)]
	header := strings.Join(values, ", ")
	v, err := ParseVerdict(header, present)
	if err != nil {
		return nil, err
	}
	if len(t.opts.VerdictKeys) > 0 {
		u, perr := url.Parse(target)
		if perr != nil {
			return nil, perr
		}
		binding := RequestBinding{Method: op.Method, Path: u.RequestURI(), TraceID: TraceIDOf(tp), Body: body}
		if err := VerifyVerdict(header, resp.Header.Get(SignatureHeader), binding, t.opts.VerdictKeys); err != nil {
			return nil, err
		}
	}
	return v, nil
}

func (t *Transport) report(ctx context.Context, op *Operation, v *Verdict, traceID string, raw []byte) {
	event := VerdictEvent{Operation: op.Name, Verdict: v, TraceID: traceID, Confidence: confidenceOf(raw)}
	if t.opts.OnVerdict != nil {
		t.opts.OnVerdict(ctx, event)
	}
	if t.opts.Logger != nil {
		attrs := []slog.Attr{
			slog.String("operation", op.Name),
			slog.Bool("verdict.allow", v.Allow),
			slog.String("verdict.decider", v.Decider),
			slog.String("verdict.rule_id", v.RuleID),
			slog.String("verdict.reason", v.Reason),
			slog.String("trace_id", traceID),
		}
		if event.Confidence != nil {
			attrs = append(attrs, slog.Float64("provenance.confidence", *event.Confidence))
		}
		t.opts.Logger.LogAttrs(ctx, slog.LevelInfo, "charter verdict", attrs...)
	}
}

// confidenceOf is the provenance envelope's confidence of a JSON record, when it has one.
func confidenceOf(raw []byte) *float64 {
	var body struct {
		Provenance *struct {
			Confidence *float64 `json:"confidence"`
		} `json:"provenance"`
	}
	if json.Unmarshal(raw, &body) != nil || body.Provenance == nil {
		return nil
	}
	return body.Provenance.Confidence
}

func (t *Transport) deprecation(ctx context.Context, event DeprecationEvent) {
	if t.opts.OnDeprecation != nil {
		t.opts.OnDeprecation(ctx, event)
	}
	if t.opts.Logger != nil {
		t.opts.Logger.LogAttrs(ctx, slog.LevelWarn, "charter deprecation",
			slog.String("operation", event.Operation), slog.String("message", event.Message),
			slog.String("deprecation", event.Deprecation), slog.String("sunset", event.Sunset))
	}
}

// Format writes a path or query parameter value.
func Format(value any) string {
	switch v := value.(type) {
	case string:
		return v
	case time.Time:
		return v.Format(time.RFC3339Nano)
	case []byte:
		return base64Std(v)
	case fmt.Stringer:
		return v.String()
	}
	return fmt.Sprint(value)
}

// PathParam escapes a path parameter value.
func PathParam(value any) string { return url.PathEscape(Format(value)) }
