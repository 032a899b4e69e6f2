"""One regression per class of disagreement between `charter eval` and the bundle that issue 11
found (tests/opa/workspaces/regress). Inputs are raw JSON text, given byte for byte to both
executions: a number such as `0.99999999999999999` must reach each as written. Every case names
the verdict docs/decisions.md gives it, and both executions must give exactly that.
"""

import json
import subprocess

import pytest
from opa_bindings.engine import _cstr

from conftest import REPO

WORKSPACE = "tests/opa/workspaces/regress"

DOC = '"resource": {"owner": "a", "born": 1, "levels": 2}'
BASE_SUBJECT = {
    "n": 0,
    "xs": [],
    "t1": '"2026-01-01T00:00:00Z"',
    "t2": '"2026-01-01T00:00:00Z"',
    "uid": 0,
    "age": 2,
    "price": 0,
}


def request(resource=DOC, action='"read"', **subject):
    """The raw text of a request: BASE_SUBJECT with `subject` replacing or adding fields (each a
    JSON text); a field given as None is left out."""
    fields = dict(BASE_SUBJECT, **subject)
    body = ", ".join(f'"{k}": {v}' for k, v in fields.items() if v is not None)
    return f'{{"action": {action}, "subject": {{{body}}}, {resource}}}'


CASES = [
    # 1. A negative literal first on an emitted line must not join the line above.
    ("negatives", request(n="1", xs="[-1]"), False, "d"),
    ("negatives", request(n="1", xs="[1]"), True, "default"),
    ("negatives", request(n="2"), False, "e"),
    # 2. Timestamps order across years 0000-9999, beyond what OPA's clock holds, under `not` too.
    ("instants", request(t1='"2262-01-02T00:00:00Z"', t2='"2262-01-01T00:00:00Z"'), True, "later"),
    ("instants", request(t1='"0001-01-01T00:00:00Z"', t2='"9999-12-31T23:59:59Z"'), False, "default"),
    ("instants", request(t1='"9999-12-31T23:59:59.5Z"', t2='"9999-12-31T23:59:59.49999999999Z"'), True, "later"),
    ("instants", request(t1='"1677-01-01T00:00:00+01:00"', t2='"1676-12-31T23:00:00Z"'), False, "default"),
    ("instants", request(n="7", t1='"2300-01-01T00:00:00Z"', t2='"2200-01-01T00:00:00Z"'), False, "not_earlier"),
    ("instants", request(t1='"0000-03-01T00:00:00Z"', t2='"0000-02-29T23:59:59Z"'), True, "later"),
    # 3. Numbers compare exactly, in conditions and in range checks.
    ("numbers", request(uid="0.99999999999999999", age="1"), False, "default"),
    ("numbers", request(uid="1.0", age="1e0"), True, "equal"),
    ("numbers", request(uid="9007199254740993.0", age="9007199254740992"), False, "default"),
    ("numbers", request(price="1.0000000000000001"), True, "greater"),
    ("numbers", request(price="1.000000000000000000000"), False, "default"),
    ("numbers", request(ratio="1.0000000000000001"), False, "input_invalid"),
    ("numbers", request(ratio="1e-400"), False, "default"),
    # 4. An omitted field takes its default: a restrictive default must not fail open.
    ("defaults", request(n="5"), False, "mfa"),
    ("defaults", request(n="5", mfa_required="false"), True, "flagged"),
    ("defaults", request(n="6"), False, "low"),
    ("defaults", request(n="0"), True, "flagged"),
    ("defaults", request(n="0", flag="false"), False, "default"),
    # 5. Malformed input is denied, naming the first bad path, in both executions.
    ("shapes", request(resource='"resource": {"owner": "a", "born": null, "levels": 2}'), False, "input_invalid"),
    ("shapes", request(resource='"resource": {"owner": "a", "born": 3, "levels": 2}'), True, "older"),
    ("shapes", request(resource='"resource": "doc"'), False, "input_invalid"),
    ("shapes", request(resource='"resource": {"owner": "a", "born": 3, "levels": 2, "x": 1}'), False, "input_invalid"),
    ("shapes", request(resource='"resource": {"owner": "a", "born": 3, "levels": 2}', action='"write"'), False, "input_invalid"),
    ("shapes", request(resource='"resource": {"owner": "a", "born": 3, "levels": 2}', action="1"), False, "input_invalid"),
    ("shapes", '[1, 2]', False, "input_invalid"),
    # A lone surrogate escape reads as U+FFFD in both (as Go's decoder reads it).
    ("shapes", request(resource='"resource": {"owner": "\\ud83d", "born": 3, "levels": 2}'), True, "older"),
    ("shapes", request(t1='"2026-02-30T00:00:00Z"'), False, "input_invalid"),
    # 6. `int` is 64-bit; JSON numbers beyond `f64` are read, and rejected where a float goes.
    ("shapes", request(n="9223372036854775808"), False, "input_invalid"),
    ("shapes", request(n="-9223372036854775809"), False, "input_invalid"),
    ("shapes", request(n="1e30"), False, "input_invalid"),
    ("shapes", request(n="-9223372036854775808", resource='"resource": {"owner": "a", "born": 3, "levels": 2}'), True, "older"),
    ("shapes", request(uid="1E400"), False, "input_invalid"),
]

REASONS = {
    # The first problem in path order names the reason.
    '"resource": {"owner": "a", "born": null, "levels": 2}': "input invalid: $.resource.born: expected int, found null",
}


def opa_raw(engine, policy, text):
    """The verdict of the bundle for a raw JSON input (None when undefined)."""
    path = "charter." + policy + ".verdict"
    rs = engine._eval_result(engine._call(engine._lib.OpaEvalDocument, _cstr(path), text.encode(), 0, 0))
    if not rs or not rs[0].get("expressions"):
        return None
    return rs[0]["expressions"][0]["value"]


def native_raw(charter, policy, text):
    result = subprocess.run(
        [str(charter), "eval", WORKSPACE, "--policy", policy, "--input", "-", "--format", "json"],
        cwd=REPO,
        input=text,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)["verdict"]


@pytest.mark.parametrize("policy,text,allow,rule_id", CASES)
def test_both_executions_decide_as_the_semantics_page_says(charter, engines, policy, text, allow, rule_id):
    policy = "regress." + policy
    code, native = native_raw(charter, policy, text)
    opa = opa_raw(engines[WORKSPACE], policy, text)
    assert opa == native, f"{text}\ncharter: {native}\nOPA:     {opa}"
    assert (native["allow"], native["rule_id"]) == (allow, rule_id), native
    assert code == (1 if rule_id == "input_invalid" else 0)
    for fragment, reason in REASONS.items():
        if fragment in text:
            assert native["reason"] == reason


def test_eval_reads_numbers_beyond_f64_and_rejects_them_with_a_path(charter):
    code, native = native_raw(charter, "regress.numbers", request(uid="1E400"))
    assert code == 1
    assert native["reason"] == "input invalid: $.subject.uid: outside the range of float"


@pytest.mark.parametrize("number", ["1e999999999999", "1e-999999999999", "-1.5e-00000001000001", "1e-10001", "1e-999999"])
def test_numbers_opa_cannot_compare_are_the_only_problems_in_both(charter, engines, number):
    """Go's big.Rat refuses a decimal exponent beyond ±1000000, so OPA cannot compare such a
    number (and is slow near it), and it compares numbers as soon as it memoises a call on one:
    both executions refuse exponents beyond ±10000, look for them first, and they are then the
    input's only problems. The other numbers here hash alike
    in OPA (0.1, 0.10, 0.0), which is what made it fail before."""
    text = request(uid=number, age="0.10", price="0.1", xs="[0.0, 1]")
    code, native = native_raw(charter, "regress.numbers", text)
    assert (code, native["rule_id"]) == (1, "input_invalid")
    assert native["reason"] == "input invalid: $.subject.uid: a number with an exponent beyond ±10000"
    assert opa_raw(engines[WORKSPACE], "regress.numbers", text) == native
