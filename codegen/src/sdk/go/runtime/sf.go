package charter

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// SFKind is the type of an RFC 9651 bare item.
type SFKind int

// The bare item types of RFC 9651.
const (
	SFInteger SFKind = iota
	SFDecimal
	SFString
	SFToken
	SFBytes
	SFBoolean
	SFDate
	SFDisplay
)

// SFItem is a bare item with its parameters.
type SFItem struct {
	Kind SFKind
	// Value holds an int64 (integer, date), float64 (decimal), string (string, token,
	// display string), []byte (byte sequence) or bool.
	Value  any
	Params []SFParam
}

// SFParam is one parameter of an item or inner list.
type SFParam struct {
	Key   string
	Value SFItem
}

// SFMember is a dictionary member: an item, or an inner list when Inner is non-nil.
type SFMember struct {
	Item   SFItem
	Inner  []SFItem
	IsList bool
	Params []SFParam
}

// SFDictionary is a parsed RFC 9651 dictionary, in member order; a repeated key keeps its
// last value at its first position.
type SFDictionary struct {
	Keys    []string
	Members map[string]SFMember
}

type sfParser struct {
	s string
	i int
}

// ParseSFDictionary parses an RFC 9651 dictionary (§4.2.2).
func ParseSFDictionary(input string) (SFDictionary, error) {
	p := &sfParser{s: input}
	out := SFDictionary{Members: map[string]SFMember{}}
	p.skipSP()
	if p.i == len(p.s) {
		return out, nil
	}
	for {
		key, err := p.key()
		if err != nil {
			return out, err
		}
		var member SFMember
		if p.peek() == '=' {
			p.i++
			member, err = p.itemOrInner()
			if err != nil {
				return out, err
			}
		} else {
			params, perr := p.params()
			if perr != nil {
				return out, perr
			}
			member = SFMember{Item: SFItem{Kind: SFBoolean, Value: true, Params: params}}
		}
		if _, seen := out.Members[key]; !seen {
			out.Keys = append(out.Keys, key)
		}
		out.Members[key] = member
		p.skipOWS()
		if p.i == len(p.s) {
			return out, nil
		}
		if p.peek() != ',' {
			return out, fmt.Errorf("expected `,` at %d", p.i)
		}
		p.i++
		p.skipOWS()
		if p.i == len(p.s) {
			return out, errors.New("trailing comma")
		}
	}
}

func (p *sfParser) peek() byte {
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

func (p *sfParser) skipSP() {
	for p.peek() == ' ' {
		p.i++
	}
}

func (p *sfParser) skipOWS() {
	for p.peek() == ' ' || p.peek() == '\t' {
		p.i++
	}
}

func (p *sfParser) key() (string, error) {
	c := p.peek()
	if !(c >= 'a' && c <= 'z') && c != '*' {
		return "", fmt.Errorf("expected a key at %d", p.i)
	}
	start := p.i
	for {
		c = p.peek()
		if (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' || c == '*' {
			p.i++
			continue
		}
		return p.s[start:p.i], nil
	}
}

func (p *sfParser) itemOrInner() (SFMember, error) {
	if p.peek() != '(' {
		item, err := p.item()
		return SFMember{Item: item}, err
	}
	p.i++
	var inner []SFItem
	for {
		p.skipSP()
		if p.peek() == ')' {
			p.i++
			params, err := p.params()
			return SFMember{Inner: inner, IsList: true, Params: params}, err
		}
		item, err := p.item()
		if err != nil {
			return SFMember{}, err
		}
		inner = append(inner, item)
		if c := p.peek(); c != ' ' && c != ')' {
			return SFMember{}, fmt.Errorf("expected a space or `)` at %d", p.i)
		}
	}
}

func (p *sfParser) item() (SFItem, error) {
	bare, err := p.bare()
	if err != nil {
		return bare, err
	}
	bare.Params, err = p.params()
	return bare, err
}

func (p *sfParser) params() ([]SFParam, error) {
	var out []SFParam
	for p.peek() == ';' {
		p.i++
		p.skipSP()
		key, err := p.key()
		if err != nil {
			return nil, err
		}
		value := SFItem{Kind: SFBoolean, Value: true}
		if p.peek() == '=' {
			p.i++
			value, err = p.bare()
			if err != nil {
				return nil, err
			}
		}
		out = append(out, SFParam{Key: key, Value: value})
	}
	return out, nil
}

func (p *sfParser) bare() (SFItem, error) {
	c := p.peek()
	switch {
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	case c == '"':
		s, err := p.str()
		return SFItem{Kind: SFString, Value: s}, err
	case c == '*' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'):
		start := p.i
		for p.i < len(p.s) && (isTchar(p.s[p.i]) || p.s[p.i] == ':' || p.s[p.i] == '/') {
			p.i++
		}
		return SFItem{Kind: SFToken, Value: p.s[start:p.i]}, nil
	case c == ':':
		p.i++
		end := strings.IndexByte(p.s[p.i:], ':')
		if end < 0 {
			return SFItem{}, errors.New("unterminated byte sequence")
		}
		b, err := base64.StdEncoding.DecodeString(p.s[p.i : p.i+end])
		p.i += end + 1
		return SFItem{Kind: SFBytes, Value: b}, err
	case c == '?':
		p.i++
		switch p.peek() {
		case '1':
			p.i++
			return SFItem{Kind: SFBoolean, Value: true}, nil
		case '0':
			p.i++
			return SFItem{Kind: SFBoolean, Value: false}, nil
		}
		return SFItem{}, fmt.Errorf("expected ?0 or ?1 at %d", p.i)
	case c == '@':
		p.i++
		n, err := p.number()
		if err != nil || n.Kind != SFInteger {
			return SFItem{}, errors.New("a date must be an integer")
		}
		return SFItem{Kind: SFDate, Value: n.Value}, nil
	case c == '%':
		p.i++
		return p.display()
	}
	return SFItem{}, fmt.Errorf("unexpected %q at %d", c, p.i)
}

func isTchar(c byte) bool {
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

func (p *sfParser) number() (SFItem, error) {
	start := p.i
	if p.peek() == '-' {
		p.i++
	}
	digits, dot := 0, -1
	for p.i < len(p.s) {
		c := p.s[p.i]
		if c >= '0' && c <= '9' {
			digits++
		} else if c == '.' && dot < 0 && digits > 0 && digits <= 12 {
			dot = digits
		} else {
			break
		}
		p.i++
	}
	text := p.s[start:p.i]
	if digits == 0 {
		return SFItem{}, fmt.Errorf("expected a digit at %d", p.i)
	}
	if dot < 0 {
		if digits > 15 {
			return SFItem{}, errors.New("integer too long")
		}
		n, err := strconv.ParseInt(text, 10, 64)
		return SFItem{Kind: SFInteger, Value: n}, err
	}
	if digits-dot == 0 || digits-dot > 3 || digits > 15 {
		return SFItem{}, errors.New("malformed decimal")
	}
	f, err := strconv.ParseFloat(text, 64)
	return SFItem{Kind: SFDecimal, Value: f}, err
}

func (p *sfParser) str() (string, error) {
	p.i++
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		p.i++
		switch {
		case c == '\\':
			if p.i >= len(p.s) || (p.s[p.i] != '"' && p.s[p.i] != '\\') {
				return "", errors.New("bad escape in a string")
			}
			b.WriteByte(p.s[p.i])
			p.i++
		case c == '"':
			return b.String(), nil
		case c < 0x20 || c > 0x7e:
			return "", errors.New("a string holds a non-printable character")
		default:
			b.WriteByte(c)
		}
	}
	return "", errors.New("unterminated string")
}

func (p *sfParser) display() (SFItem, error) {
	if p.peek() != '"' {
		return SFItem{}, errors.New("expected `\"` after `%`")
	}
	p.i++
	var b []byte
	for p.i < len(p.s) {
		c := p.s[p.i]
		p.i++
		switch {
		case c == '%':
			if p.i+2 > len(p.s) {
				return SFItem{}, errors.New("truncated escape")
			}
			hex := p.s[p.i : p.i+2]
			if strings.ToLower(hex) != hex {
				return SFItem{}, errors.New("escapes are lowercase hex")
			}
			decoded, err := url.PathUnescape("%" + hex)
			if err != nil {
				return SFItem{}, err
			}
			b = append(b, decoded...)
			p.i += 2
		case c == '"':
			if !utf8.Valid(b) {
				return SFItem{}, errors.New("a display string is not UTF-8")
			}
			return SFItem{Kind: SFDisplay, Value: string(b)}, nil
		case c < 0x20 || c > 0x7e:
			return SFItem{}, errors.New("a display string holds a non-printable character")
		default:
			b = append(b, c)
		}
	}
	return SFItem{}, errors.New("unterminated display string")
}
