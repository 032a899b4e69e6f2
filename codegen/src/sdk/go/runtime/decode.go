package charter

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
)

// DecodeError is a JSON document that does not decode into its Go type. Every problem names
// its JSON path below the decoded value (`hops[2].kind`; "" is the value itself), in the
// notation of Checker's paths.
type DecodeError struct {
	Problems []Problem
}

func (e *DecodeError) Error() string {
	parts := make([]string, 0, len(e.Problems))
	for _, p := range e.Problems {
		if p.Path == "" {
			parts = append(parts, p.Message)
		} else {
			parts = append(parts, p.Path+": "+p.Message)
		}
	}
	return "invalid JSON: " + strings.Join(parts, "; ")
}

// Member is one member of a closed record for DecodeRecord: its JSON name (the wire name),
// whether it is required, whether it may be null (`@nullable`), and a pointer to the field it
// decodes into.
type Member struct {
	Name     string
	Required bool
	Nullable bool
	Into     any
}

// DecodeRecord decodes a JSON object into a closed record's fields, member by member: unknown
// members are refused, required ones must be present, only nullable ones may be null (decoded
// as nil), and every problem (of this record or of any value nested in it) is reported at its
// JSON path in a *DecodeError.
func DecodeRecord(data []byte, members ...Member) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil || raw == nil {
		return &DecodeError{Problems: []Problem{{Message: "expected an object, found " + jsonKindOf(data)}}}
	}
	var problems []Problem
	known := make(map[string]bool, len(members))
	for _, m := range members {
		known[m.Name] = true
		value, present := raw[m.Name]
		switch {
		case m.Required && !present:
			problems = append(problems, Problem{Path: Join("", m.Name), Message: "is required"})
		case m.Required && !m.Nullable && isNull(value):
			problems = append(problems, Problem{Path: Join("", m.Name), Message: "is required, found null"})
		case present:
			target := reflect.ValueOf(m.Into)
			if target.Kind() != reflect.Pointer || target.IsNil() {
				return fmt.Errorf("charter: member %q does not decode into a pointer", m.Name)
			}
			if !m.Nullable && isNull(value) {
				problems = append(problems, Problem{Path: Join("", m.Name), Message: "expected " + expectedOf(target.Elem().Type()) + ", found null"})
				continue
			}
			problems = append(problems, decodeAt(Join("", m.Name), value, target.Elem())...)
		}
	}
	for name := range raw {
		if !known[name] {
			problems = append(problems, Problem{Path: Join("", name), Message: "is not a member of the record"})
		}
	}
	return decodeErr(problems)
}

// DecodeBody decodes a JSON document into target (a pointer), reporting every problem at its
// JSON path in a *DecodeError.
func DecodeBody(data []byte, target any) error {
	if !json.Valid(data) {
		return &DecodeError{Problems: []Problem{{Message: "is not JSON"}}}
	}
	v := reflect.ValueOf(target)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return fmt.Errorf("charter: DecodeBody needs a non-nil pointer, got %T", target)
	}
	return decodeErr(decodeAt("", data, v.Elem()))
}

func decodeErr(problems []Problem) error {
	if len(problems) == 0 {
		return nil
	}
	sort.SliceStable(problems, func(i, j int) bool { return problems[i].Path < problems[j].Path })
	return &DecodeError{Problems: problems}
}

var unmarshaler = reflect.TypeFor[json.Unmarshaler]()

// decodeAt decodes raw into v, found at path. Lists and maps are walked here, so that the
// problems of their items carry the item's index or key; everything else (records through
// their UnmarshalJSON, scalars) is decoded by encoding/json and its errors given the path.
func decodeAt(path string, raw json.RawMessage, v reflect.Value) []Problem {
	t := v.Type()
	if !reflect.PointerTo(t).Implements(unmarshaler) {
		switch {
		case t.Kind() == reflect.Pointer:
			if isNull(raw) {
				v.SetZero()
				return nil
			}
			elem := reflect.New(t.Elem())
			problems := decodeAt(path, raw, elem.Elem())
			v.Set(elem)
			return problems
		case t.Kind() == reflect.Slice && t.Elem().Kind() != reflect.Uint8:
			if isNull(raw) {
				v.SetZero()
				return nil
			}
			var items []json.RawMessage
			if json.Unmarshal(raw, &items) != nil {
				return []Problem{{Path: path, Message: "expected an array, found " + jsonKindOf(raw)}}
			}
			out := reflect.MakeSlice(t, len(items), len(items))
			var problems []Problem
			for i, item := range items {
				problems = append(problems, decodeAt(Index(path, i), item, out.Index(i))...)
			}
			v.Set(out)
			return problems
		case t.Kind() == reflect.Map && t.Key().Kind() == reflect.String:
			if isNull(raw) {
				v.SetZero()
				return nil
			}
			var entries map[string]json.RawMessage
			if json.Unmarshal(raw, &entries) != nil {
				return []Problem{{Path: path, Message: "expected an object, found " + jsonKindOf(raw)}}
			}
			out := reflect.MakeMapWithSize(t, len(entries))
			var problems []Problem
			for key, entry := range entries {
				item := reflect.New(t.Elem()).Elem()
				problems = append(problems, decodeAt(Join(path, key), entry, item)...)
				out.SetMapIndex(reflect.ValueOf(key).Convert(t.Key()), item)
			}
			v.Set(out)
			return problems
		}
	}
	if err := json.Unmarshal(raw, v.Addr().Interface()); err != nil {
		return problemsOf(path, err)
	}
	return nil
}

// problemsOf is a decoding error as problems below path.
func problemsOf(path string, err error) []Problem {
	var nested *DecodeError
	if errors.As(err, &nested) {
		out := make([]Problem, 0, len(nested.Problems))
		for _, p := range nested.Problems {
			out = append(out, Problem{Path: Under(path, p.Path), Message: p.Message})
		}
		return out
	}
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		at := path
		if typeErr.Field != "" {
			at = Under(path, typeErr.Field)
		}
		return []Problem{{Path: at, Message: "expected " + expectedOf(typeErr.Type) + ", found " + typeErr.Value}}
	}
	return []Problem{{Path: path, Message: err.Error()}}
}

// Under is the JSON path child (relative, as a DecodeError reports it) below parent.
func Under(parent, child string) string {
	switch {
	case child == "":
		return parent
	case parent == "" || strings.HasPrefix(child, "["):
		return parent + child
	}
	return parent + "." + child
}

// expectedOf names the JSON value a Go type decodes from.
func expectedOf(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return "a base64 string"
		}
		return "an array"
	case reflect.Pointer:
		return expectedOf(t.Elem())
	}
	return "an object"
}

// jsonKindOf names the kind of a JSON value.
func jsonKindOf(raw []byte) string {
	text := bytes.TrimSpace(raw)
	if len(text) == 0 {
		return "nothing"
	}
	switch text[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "bool"
	case 'n':
		return "null"
	}
	return "number"
}

func isNull(raw []byte) bool { return bytes.Equal(bytes.TrimSpace(raw), []byte("null")) }

// DecodeEnum decodes a closed enum's JSON string into v, refusing a value valid does not accept
// (a *DecodeError at the value's path).
func DecodeEnum[T ~string](data []byte, v *T, valid func(T) bool) error {
	var text string
	if err := json.Unmarshal(data, &text); err != nil {
		return &DecodeError{Problems: []Problem{{Message: "expected a string, found " + jsonKindOf(data)}}}
	}
	if !valid(T(text)) {
		return &DecodeError{Problems: []Problem{{Message: fmt.Sprintf("%q is not a known value", text)}}}
	}
	*v = T(text)
	return nil
}

// Field is one member of a record for EncodeRecord: its JSON name (the wire name), its value,
// and whether it is left out (an absent optional field).
type Field struct {
	Name  string
	Value any
	Omit  bool
}

// EncodeRecord writes a record's members as a JSON object, in order: the MarshalJSON of records
// whose wire names a `json` struct tag cannot hold (a quote, a backslash, a comma, "-", ...).
func EncodeRecord(fields ...Field) ([]byte, error) {
	var out bytes.Buffer
	out.WriteByte('{')
	first := true
	for _, f := range fields {
		if f.Omit {
			continue
		}
		if !first {
			out.WriteByte(',')
		}
		first = false
		name, err := Marshal(f.Name)
		if err != nil {
			return nil, err
		}
		value, err := Marshal(f.Value)
		if err != nil {
			return nil, err
		}
		out.Write(name)
		out.WriteByte(':')
		out.Write(value)
	}
	out.WriteByte('}')
	return out.Bytes(), nil
}

// NonNil is s, or an empty slice when s is nil: a required list (or bytes) is sent as [] (or
// ""), never null.
func NonNil[S ~[]E, E any](s S) S {
	if s == nil {
		return S{}
	}
	return s
}

// NonNilMap is m, or an empty map when m is nil: a required map is sent as {}, never null.
func NonNilMap[M ~map[K]V, K comparable, V any](m M) M {
	if m == nil {
		return M{}
	}
	return m
}

// Marshal is v as compact JSON without HTML escaping (`<`, `>` and `&` as they are), as the
// TypeScript and Python SDKs write them: what the SDK sends, and what records' MarshalJSON
// methods write.
func Marshal(v any) ([]byte, error) {
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(out.Bytes(), []byte("\n")), nil
}
