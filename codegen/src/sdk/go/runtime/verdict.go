package charter

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"regexp"
	"strings"
)

// The headers of a guarded response.
const (
	VerdictHeader   = "Charter-Verdict"
	SignatureHeader = "Charter-Verdict-Signature"
	// SignatureType is the JWS `typ` of a verdict signature.
	SignatureType = "charter-verdict+jws"
	// SignatureAlgorithm is the only JWS `alg` accepted.
	SignatureAlgorithm = "ES256"
)

// Verdict is the decision of the policy that guards an operation (`std.verdict.Verdict`).
type Verdict struct {
	Allow   bool
	Decider string
	RuleID  string
	Reason  string
	// Policy is the `policy_version` member, when sent.
	Policy string
	// Confidence is the `confidence` member, when sent.
	Confidence *float64
	// Canary lists the canary rules that would have changed the outcome, when sent.
	Canary []string
	// Raw is the header value as received.
	Raw string
}

// VerdictErrorKind says why a verdict was refused.
type VerdictErrorKind string

// The kinds of VerdictError.
const (
	VerdictMissing      VerdictErrorKind = "missing"
	VerdictMalformed    VerdictErrorKind = "malformed"
	VerdictUnsigned     VerdictErrorKind = "unsigned"
	VerdictUnknownKey   VerdictErrorKind = "unknown-key"
	VerdictBadSignature VerdictErrorKind = "bad-signature"
	VerdictWrongRequest VerdictErrorKind = "wrong-request"
)

// VerdictError is a verdict that cannot be trusted: absent, unreadable, unsigned or not signed
// for this request.
type VerdictError struct {
	Kind    VerdictErrorKind
	Message string
}

func (e *VerdictError) Error() string { return "verdict " + string(e.Kind) + ": " + e.Message }

func verdictError(kind VerdictErrorKind, format string, args ...any) *VerdictError {
	return &VerdictError{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

func textMember(d SFDictionary, name string) (string, bool) {
	m, ok := d.Members[name]
	if !ok || m.IsList || (m.Item.Kind != SFString && m.Item.Kind != SFDisplay) {
		return "", false
	}
	s, ok := m.Item.Value.(string)
	return s, ok
}

// ParseVerdict reads a `Charter-Verdict` header value; present is false when the header is
// absent.
func ParseVerdict(header string, present bool) (*Verdict, error) {
	if !present {
		return nil, verdictError(VerdictMissing, "no %s header", VerdictHeader)
	}
	d, err := ParseSFDictionary(header)
	if err != nil {
		return nil, verdictError(VerdictMalformed, "%s is not a structured-field dictionary: %v", VerdictHeader, err)
	}
	malformed := func(what string) error { return verdictError(VerdictMalformed, "%s: %s", VerdictHeader, what) }
	allow, ok := d.Members["allow"]
	if !ok || allow.IsList || allow.Item.Kind != SFBoolean {
		return nil, malformed("`allow` must be a boolean")
	}
	v := &Verdict{Raw: header}
	v.Allow, _ = allow.Item.Value.(bool)
	if v.Decider, ok = textMember(d, "decider"); !ok {
		return nil, malformed("`decider` must be a string")
	}
	if v.RuleID, ok = textMember(d, "rule_id"); !ok {
		return nil, malformed("`rule_id` must be a string")
	}
	if v.Reason, ok = textMember(d, "reason"); !ok {
		return nil, malformed("`reason` must be a string")
	}
	if _, has := d.Members["policy_version"]; has {
		if v.Policy, ok = textMember(d, "policy_version"); !ok {
			return nil, malformed("`policy_version` must be a string")
		}
	}
	if c, has := d.Members["confidence"]; has {
		switch n := c.Item.Value.(type) {
		case float64:
			v.Confidence = &n
		case int64:
			f := float64(n)
			v.Confidence = &f
		default:
			return nil, malformed("`confidence` must be a number")
		}
		if c.IsList || (c.Item.Kind != SFDecimal && c.Item.Kind != SFInteger) {
			return nil, malformed("`confidence` must be a number")
		}
	}
	if c, has := d.Members["canary"]; has {
		if !c.IsList {
			return nil, malformed("`canary` must be an inner list of strings")
		}
		v.Canary = []string{}
		for _, item := range c.Inner {
			s, isString := item.Value.(string)
			if !isString || (item.Kind != SFString && item.Kind != SFDisplay) {
				return nil, malformed("`canary` must be an inner list of strings")
			}
			v.Canary = append(v.Canary, s)
		}
	}
	return v, nil
}

// RequestBinding is the request a verdict answers, as the client sent it.
type RequestBinding struct {
	// Method is upper case as sent (`GET`).
	Method string
	// Path is the request target's path and query as sent (`/v1/datasets/7?limit=10`).
	Path string
	// TraceID is the 32 lowercase hex digits of the request's traceparent trace id.
	TraceID string
	// Body is the request body's bytes; empty counts as none.
	Body []byte
}

// VerdictKey is a verification key: its JWS `kid` and EC P-256 public key.
type VerdictKey struct {
	KID string
	Key *ecdsa.PublicKey
}

// VerdictPayload is the signed payload for verdictHeader answering binding: RFC 8785 JSON,
// members sorted, `body_sha256` only when there is a body.
func VerdictPayload(verdictHeader string, binding RequestBinding) []byte {
	payload := map[string]string{
		"method":   binding.Method,
		"path":     binding.Path,
		"trace_id": binding.TraceID,
		"verdict":  verdictHeader,
	}
	if len(binding.Body) > 0 {
		sum := sha256.Sum256(binding.Body)
		payload["body_sha256"] = base64.RawURLEncoding.EncodeToString(sum[:])
	}
	return canonicalJSON(payload)
}

// canonicalJSON writes a map of strings with sorted keys (encoding/json sorts map keys) and
// without HTML escaping, as RFC 8785 does for strings.
func canonicalJSON(m map[string]string) []byte {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(m)
	return []byte(strings.TrimSuffix(b.String(), "\n"))
}

// SignVerdict is the `Charter-Verdict-Signature` value for verdictHeader answering binding: a
// compact JWS (ES256). For the service or gateway that sets the verdict header.
func SignVerdict(verdictHeader string, binding RequestBinding, kid string, key *ecdsa.PrivateKey) (string, error) {
	header := canonicalJSON(map[string]string{"alg": SignatureAlgorithm, "kid": kid, "typ": SignatureType})
	input := b64(header) + "." + b64(VerdictPayload(verdictHeader, binding))
	digest := sha256.Sum256([]byte(input))
	r, s, err := ecdsa.Sign(rand.Reader, key, digest[:])
	if err != nil {
		return "", err
	}
	sig := make([]byte, 64)
	r.FillBytes(sig[:32])
	s.FillBytes(sig[32:])
	return input + "." + b64(sig), nil
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

var base64urlText = regexp.MustCompile(`^[A-Za-z0-9_-]*$`)

func decodePart(part, what string) ([]byte, error) {
	if !base64urlText.MatchString(part) {
		return nil, verdictError(VerdictBadSignature, "the signature's %s is not base64url", what)
	}
	b, err := base64.RawURLEncoding.DecodeString(part)
	if err != nil {
		return nil, verdictError(VerdictBadSignature, "the signature's %s is not base64url", what)
	}
	return b, nil
}

func decodeObject(part, what string) (map[string]any, error) {
	b, err := decodePart(part, what)
	if err != nil {
		return nil, err
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil || out == nil {
		return nil, verdictError(VerdictBadSignature, "the signature's %s is not a JSON object", what)
	}
	return out, nil
}

// VerifyVerdict checks that signatureHeader is a valid signature, by one of keys, of
// verdictHeader answering binding. The *VerdictError's kind is unsigned, unknown-key,
// bad-signature or wrong-request (a valid signature of this verdict for another request).
func VerifyVerdict(verdictHeader, signatureHeader string, binding RequestBinding, keys []VerdictKey) error {
	bad := func(format string, args ...any) error {
		return verdictError(VerdictBadSignature, SignatureHeader+": "+format, args...)
	}
	signatureHeader = strings.TrimSpace(signatureHeader)
	if signatureHeader == "" {
		return verdictError(VerdictUnsigned, "the verdict has no %s header", SignatureHeader)
	}
	parts := strings.Split(signatureHeader, ".")
	if len(parts) != 3 {
		return bad("not a compact JWS (three base64url parts)")
	}
	header, err := decodeObject(parts[0], "header")
	if err != nil {
		return err
	}
	if header["alg"] != SignatureAlgorithm {
		return bad("the algorithm must be %s", SignatureAlgorithm)
	}
	if header["typ"] != SignatureType {
		return bad("the type must be %s", SignatureType)
	}
	if _, crit := header["crit"]; crit {
		return bad("critical header parameters are not supported")
	}
	kid, ok := header["kid"].(string)
	if !ok {
		return bad("no key id (`kid`)")
	}
	var key *ecdsa.PublicKey
	for _, k := range keys {
		if k.KID == kid {
			key = k.Key
			break
		}
	}
	if key == nil || key.Curve != elliptic.P256() {
		return verdictError(VerdictUnknownKey, "the verdict is signed by an unknown key `%s`", kid)
	}
	sig, err := decodePart(parts[2], "signature")
	if err != nil || len(sig) != 64 {
		return bad("the signature is not 64 base64url bytes")
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
	if !ecdsa.Verify(key, digest[:], r, s) {
		return bad("not a signature by the key `%s`", kid)
	}
	payload, err := decodeObject(parts[1], "payload")
	if err != nil {
		return err
	}
	allowed := map[string]bool{"body_sha256": true, "method": true, "path": true, "trace_id": true, "verdict": true}
	for name, value := range payload {
		if _, isString := value.(string); !allowed[name] || !isString {
			return bad("unexpected payload member `%s`", name)
		}
	}
	if payload["verdict"] != verdictHeader {
		return bad("the signature covers another verdict")
	}
	var expected map[string]any
	_ = json.Unmarshal(VerdictPayload(verdictHeader, binding), &expected)
	for _, name := range []string{"method", "path", "trace_id", "body_sha256"} {
		if payload[name] != expected[name] {
			return verdictError(VerdictWrongRequest, "the verdict was signed for another request (its `%s` differs)", name)
		}
	}
	return nil
}

// PublicKeyFromJWK reads an EC P-256 public JWK's `x` and `y` (base64url).
func PublicKeyFromJWK(x, y string) (*ecdsa.PublicKey, error) {
	xb, errX := base64.RawURLEncoding.DecodeString(x)
	yb, errY := base64.RawURLEncoding.DecodeString(y)
	if errX != nil || errY != nil || len(xb) != 32 || len(yb) != 32 {
		return nil, errors.New("not an EC P-256 public key")
	}
	point := append([]byte{4}, append(xb, yb...)...)
	key, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), point)
	if err != nil {
		return nil, errors.New("not an EC P-256 public key")
	}
	return key, nil
}

var traceparentPattern = regexp.MustCompile(`^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$`)

// TraceIDOf is the trace id of a W3C traceparent, or "" when it is not one.
func TraceIDOf(traceparent string) string {
	m := traceparentPattern.FindStringSubmatch(strings.TrimSpace(traceparent))
	if len(m) < 2 {
		return ""
	}
	return m[1]
}
