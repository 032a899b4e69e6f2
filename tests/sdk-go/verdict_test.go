// The published signed-verdict vectors (tests/sdk/vectors/verdicts.json) against the Go SDK's
// runtime: copied into a generated SDK's charter/ package by tests/sdk-go/run.sh, which points
// CHARTER_VERDICT_VECTORS at the vectors.
package charter

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"os"
	"reflect"
	"testing"
)

type jwk struct {
	Kid string `json:"kid"`
	X   string `json:"x"`
	Y   string `json:"y"`
	D   string `json:"d"`
}

type vectors struct {
	Cases []struct {
		Name     string  `json:"name"`
		Expected string  `json:"expected"`
		Verdict  *string `json:"verdict"`
		Sig      *string `json:"signature"`
		Request  struct {
			Method  string  `json:"method"`
			Path    string  `json:"path"`
			TraceID string  `json:"trace_id"`
			Body    *string `json:"body"`
		} `json:"request"`
	} `json:"cases"`
	Parse []struct {
		Header   string          `json:"header"`
		Expected json.RawMessage `json:"expected"`
	} `json:"parse"`
	VerificationKeys []jwk `json:"verification_keys"`
	SigningKeys      []jwk `json:"signing_keys"`
}

func load(t *testing.T) vectors {
	t.Helper()
	path := os.Getenv("CHARTER_VERDICT_VECTORS")
	if path == "" {
		t.Skip("CHARTER_VERDICT_VECTORS is not set")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var v vectors
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func keys(t *testing.T, list []jwk) []VerdictKey {
	t.Helper()
	var out []VerdictKey
	for _, k := range list {
		key, err := PublicKeyFromJWK(k.X, k.Y)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, VerdictKey{KID: k.Kid, Key: key})
	}
	return out
}

func kind(err error) string {
	var v *VerdictError
	if errors.As(err, &v) {
		return string(v.Kind)
	}
	if err == nil {
		return "valid"
	}
	return "error: " + err.Error()
}

func TestSignatureVectors(t *testing.T) {
	v := load(t)
	verification := keys(t, v.VerificationKeys)
	for _, c := range v.Cases {
		t.Run(c.Name, func(t *testing.T) {
			header, present := "", c.Verdict != nil
			if present {
				header = *c.Verdict
			}
			_, err := ParseVerdict(header, present)
			if err == nil {
				sig := ""
				if c.Sig != nil {
					sig = *c.Sig
				}
				binding := RequestBinding{Method: c.Request.Method, Path: c.Request.Path, TraceID: c.Request.TraceID}
				if c.Request.Body != nil {
					binding.Body = []byte(*c.Request.Body)
				}
				err = VerifyVerdict(header, sig, binding, verification)
			}
			if got := kind(err); got != c.Expected {
				t.Fatalf("got %s (%v), want %s", got, err, c.Expected)
			}
		})
	}
}

func TestParseVectors(t *testing.T) {
	v := load(t)
	for _, c := range v.Parse {
		t.Run(c.Header, func(t *testing.T) {
			got, err := ParseVerdict(c.Header, true)
			var malformed string
			if json.Unmarshal(c.Expected, &malformed) == nil {
				if kind(err) != malformed {
					t.Fatalf("got %+v (%v), want %s", got, err, malformed)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var want struct {
				Allow      bool     `json:"allow"`
				Decider    string   `json:"decider"`
				RuleID     string   `json:"rule_id"`
				Reason     string   `json:"reason"`
				Policy     string   `json:"policy_version"`
				Confidence *float64 `json:"confidence"`
				Canary     []string `json:"canary"`
			}
			if err := json.Unmarshal(c.Expected, &want); err != nil {
				t.Fatal(err)
			}
			same := got.Allow == want.Allow && got.Decider == want.Decider && got.RuleID == want.RuleID &&
				got.Reason == want.Reason && got.Policy == want.Policy &&
				reflect.DeepEqual(got.Confidence, want.Confidence) && reflect.DeepEqual(got.Canary, want.Canary)
			if !same {
				t.Fatalf("got %+v, want %+v", got, want)
			}
		})
	}
}

func TestSignThenVerify(t *testing.T) {
	v := load(t)
	k := v.SigningKeys[0]
	d, err := base64.RawURLEncoding.DecodeString(k.D)
	if err != nil {
		t.Fatal(err)
	}
	public := keys(t, v.SigningKeys[:1])
	private := &ecdsa.PrivateKey{PublicKey: *public[0].Key, D: new(big.Int).SetBytes(d)}
	_ = elliptic.P256()
	header := `allow=?1, decider="p", rule_id="r", reason="x"`
	binding := RequestBinding{Method: "POST", Path: "/v1/x?y=1", TraceID: "4bf92f3577b34da6a3ce929d0e0e4736", Body: []byte(`{"a":1}`)}
	sig, err := SignVerdict(header, binding, k.Kid, private)
	if err != nil {
		t.Fatal(err)
	}
	if err := VerifyVerdict(header, sig, binding, public); err != nil {
		t.Fatal(err)
	}
	binding.Path = "/v1/x?y=2"
	if got := kind(VerifyVerdict(header, sig, binding, public)); got != "wrong-request" {
		t.Fatalf("a replay verified: %s", got)
	}
}
