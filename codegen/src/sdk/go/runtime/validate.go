// Package charter is the runtime of a Charter-generated Go SDK: checks (this file), the
// transport (client.go) and verdicts (verdict.go, sf.go). Copied verbatim into every
// generated SDK; standard library only.
package charter

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
)

// Problem is one reason a value was refused, at a JSON path (`body.provenance.confidence`).
type Problem struct {
	Path    string
	Message string
}

// ValidationError reports every problem of a request before it is sent, or of a response
// before it is returned.
type ValidationError struct {
	// Direction is "request" or "response".
	Direction string
	Problems  []Problem
}

func (e *ValidationError) Error() string {
	parts := make([]string, 0, len(e.Problems))
	for _, p := range e.Problems {
		parts = append(parts, p.Path+": "+p.Message)
	}
	return "invalid " + e.Direction + ": " + strings.Join(parts, "; ")
}

// ProvenanceError is a ValidationError on the provenance envelope of an operation that
// requires provenance.
type ProvenanceError struct {
	ValidationError
}

func (e *ProvenanceError) Error() string {
	return "provenance: " + e.ValidationError.Error()
}

// Unwrap lets errors.As find the ValidationError too.
func (e *ProvenanceError) Unwrap() error { return &e.ValidationError }

// Checker collects problems; generated Validate methods report into it.
type Checker struct {
	problems   []Problem
	provenance bool
}

// Add reports a problem at path.
func (c *Checker) Add(path, format string, args ...any) {
	c.problems = append(c.problems, Problem{Path: path, Message: fmt.Sprintf(format, args...)})
}

// Envelope marks that a provenance envelope was checked; problems under it become a
// ProvenanceError when the operation requires provenance.
func (c *Checker) Envelope(path string, check func()) {
	before := len(c.problems)
	check()
	if len(c.problems) > before {
		c.provenance = true
	}
	_ = path
}

// OK reports whether no problem was found.
func (c *Checker) OK() bool { return len(c.problems) == 0 }

// Err is nil without problems, else a *ValidationError (a *ProvenanceError when provenance is
// required and an envelope is at fault) with the problems sorted by path.
func (c *Checker) Err(direction string, provenance bool) error {
	if len(c.problems) == 0 {
		return nil
	}
	list := append([]Problem(nil), c.problems...)
	sort.SliceStable(list, func(i, j int) bool { return list[i].Path < list[j].Path })
	v := ValidationError{Direction: direction, Problems: list}
	if provenance && c.provenance {
		return &ProvenanceError{ValidationError: v}
	}
	return &v
}

var member = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// Join appends a member name or map key to a JSON path: `.name` when it is an identifier,
// else `["key"]` (the notation of the TypeScript SDK).
func Join(path, name string) string {
	if !member.MatchString(name) {
		var quoted strings.Builder
		enc := json.NewEncoder(&quoted)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(name)
		return path + "[" + strings.TrimSuffix(quoted.String(), "\n") + "]"
	}
	if path == "" {
		return name
	}
	return path + "." + name
}

// Index appends a list index to a JSON path.
func Index(path string, i int) string {
	return fmt.Sprintf("%s[%d]", path, i)
}

// Range checks min <= value <= max; nil bounds are open.
func (c *Checker) Range(path string, value float64, min, max *float64) {
	if math.IsNaN(value) || (min != nil && value < *min) || (max != nil && value > *max) {
		c.Add(path, "%v is out of range", value)
	}
}

// Bound is a range bound for Range.
func Bound(v float64) *float64 { return &v }

var patterns sync.Map

// Pattern checks that value matches the regular expression pattern (RE2 syntax); a pattern Go
// cannot compile is reported as a problem, never a panic.
func (c *Checker) Pattern(path, value, pattern string) {
	re, ok := patterns.Load(pattern)
	if !ok {
		compiled, err := regexp.Compile(pattern)
		if err != nil {
			c.Add(path, "the pattern %q cannot be checked: %v", pattern, err)
			return
		}
		re, _ = patterns.LoadOrStore(pattern, compiled)
	}
	if r, isRe := re.(*regexp.Regexp); isRe && !r.MatchString(value) {
		c.Add(path, "%q does not match %q", value, pattern)
	}
}

// Enum reports a value outside a closed enum.
func (c *Checker) Enum(path string, valid bool, value string) {
	if !valid {
		c.Add(path, "%q is not a known value", value)
	}
}

var (
	uuidPattern     = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	durationPattern = regexp.MustCompile(`^[0-9]+[smhdwy]$`)
)

// UUID checks the 8-4-4-4-12 form.
func (c *Checker) UUID(path, value string) {
	if !uuidPattern.MatchString(value) {
		c.Add(path, "%q is not a UUID", value)
	}
}

// Duration checks Charter's duration form: digits and one unit of s m h d w y (`30d`).
func (c *Checker) Duration(path, value string) {
	if !durationPattern.MatchString(value) {
		c.Add(path, "%q is not a duration", value)
	}
}

// Unique reports a set whose items are not unique (compared by their JSON form).
func Unique[T any](c *Checker, path string, items []T) {
	seen := make(map[string]bool, len(items))
	for i, item := range items {
		text, err := json.Marshal(item)
		if err != nil {
			continue
		}
		if seen[string(text)] {
			c.Add(Index(path, i), "duplicates an earlier item of the set")
		}
		seen[string(text)] = true
	}
}

// Date is a calendar date that marshals as `YYYY-MM-DD`.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf is the date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// ParseDate reads `YYYY-MM-DD`.
func ParseDate(text string) (Date, error) {
	t, err := time.Parse(time.DateOnly, text)
	if err != nil {
		return Date{}, err
	}
	return DateOf(t), nil
}

// String is `YYYY-MM-DD`.
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// MarshalJSON writes the date as a JSON string.
func (d Date) MarshalJSON() ([]byte, error) {
	return json.Marshal(d.String())
}

// UnmarshalJSON reads a `YYYY-MM-DD` JSON string.
func (d *Date) UnmarshalJSON(data []byte) error {
	var text string
	if err := json.Unmarshal(data, &text); err != nil {
		return err
	}
	parsed, err := ParseDate(text)
	if err != nil {
		return err
	}
	*d = parsed
	return nil
}

func base64Std(b []byte) string {
	out, _ := json.Marshal(b)
	return strings.Trim(string(out), `"`)
}
