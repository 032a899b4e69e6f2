"""The emitted Rego through the real `opa` binary (v1.22.4, from tests/tools/opa.sh or
$CHARTER_OPA): `opa check --strict` passes and `opa fmt --list` lists nothing on every bundle and
its Rego tests; `opa test` runs the cases `charter test` runs with the same outcome, case by case;
and `opa test --coverage` covers exactly the rules `charter test --coverage` reports exercised."""

import json
import os
import pathlib
import re
import shutil
import subprocess

import pytest

from conftest import REPO, examples, run


@pytest.fixture(scope="session")
def opa():
    """The real `opa` binary."""
    given = os.environ.get("CHARTER_OPA")
    if given:
        return given
    found = subprocess.run(
        [str(REPO / "tests" / "tools" / "opa.sh")],
        capture_output=True,
        text=True,
        check=True,
    )
    path = found.stdout.strip()
    assert pathlib.Path(path).is_absolute() and "\n" not in path, found.stdout
    return path


def opa_run(opa, *args, check=True):
    return subprocess.run(
        [opa, *args], cwd=REPO, capture_output=True, text=True, check=check
    )


@pytest.fixture(scope="session")
def outputs(charter, tmp_path_factory):
    """example -> the output folder of `charter build --target rego` (rego/ and rego-tests/)."""
    out = {}
    for example in examples():
        folder = tmp_path_factory.mktemp("opa-cli")
        run(charter, "build", example, "--target", "rego", "--out", str(folder))
        out[example] = folder
    return out


def test_opa_is_the_pinned_version(opa):
    version = opa_run(opa, "version").stdout
    assert re.search(r"^Version: 1\.22\.4$", version, re.M), version


@pytest.mark.parametrize("example", examples())
def test_opa_check_strict(opa, outputs, example):
    out = outputs[example]
    # The bundle as OPA loads a bundle (manifest, roots, data.json), then with its tests.
    opa_run(opa, "check", "--strict", "--bundle", str(out / "rego"))
    if (out / "rego-tests").exists():
        opa_run(opa, "check", "--strict", str(out / "rego"), str(out / "rego-tests"))


@pytest.mark.parametrize("example", examples())
def test_opa_fmt_lists_nothing(opa, outputs, example):
    out = outputs[example]
    folders = [str(p) for p in (out / "rego", out / "rego-tests") if p.exists()]
    listed = opa_run(opa, "fmt", "--list", *folders, check=False)
    assert listed.returncode == 0, listed.stderr
    if listed.stdout:
        diff = opa_run(opa, "fmt", "--diff", *folders, check=False).stdout
        pytest.fail(f"opa fmt would change:\n{listed.stdout}\n{diff}")


def test_the_tests_are_beside_the_bundle(outputs):
    out = outputs["examples/summit"]
    assert not [p for p in (out / "rego").rglob("*_test.rego")]
    tests = sorted(p.relative_to(out / "rego-tests").as_posix() for p in (out / "rego-tests").rglob("*.rego"))
    assert "charter/summit/policy/dataset_access/policy_test.rego" in tests
    for path in tests:
        assert (out / "rego" / path.replace("_test.rego", ".rego")).exists(), path


def rego_tests(tests_dir):
    """policy -> [(case name, package, Rego test name)] in file order, read from the emitted test
    modules: the header names the policy, the comment above each test rule its case's name (a
    JSON string)."""
    found = {}
    for path in sorted(pathlib.Path(tests_dir).rglob("*_test.rego")):
        text = path.read_text()
        policy = re.search(r"^# Generated .* from the tests of (\S+); do not edit\.$", text, re.M)
        package = re.search(r"^package (\S+)$", text, re.M).group(1)
        found[policy.group(1)] = [
            (json.loads(name), f"data.{package}", rule)
            for name, rule in re.findall(
                r'^# ("(?:[^"\\]|\\.)*"): expects .*\n(test_\w+) if \{$', text, re.M
            )
        ]
    return found


def bundle_and_tests(out):
    """What `opa test` loads (docs/output.md): the bundle as OPA servers load it (the archive,
    with its manifest and data) and the folder of tests beside it."""
    return str(out / "rego" / "bundle.tar.gz"), str(out / "rego-tests")


def opa_test_results(opa, out):
    """(package, test name) -> passed, from `opa test --format json`."""
    result = opa_run(opa, "test", "--format", "json", *bundle_and_tests(out), check=False)
    assert result.returncode in (0, 2), result.stderr
    return {
        (t["package"], t["name"]): not t.get("fail") and not t.get("error")
        for t in json.loads(result.stdout)
    }, result.returncode


def charter_test_results(charter, workspace):
    """policy -> [(case name, passed)] in the order `charter test` runs them."""
    result = run(charter, "test", str(workspace), "--format", "json", check=False)
    assert result.returncode in (0, 1), result.stderr
    found = {}
    for c in json.loads(result.stdout)["cases"]:
        found.setdefault(c["policy"], []).append((c["name"], c["passed"]))
    return found, result.returncode


def assert_same_outcomes(opa, charter, workspace, out):
    """Every case of `charter test` is a Rego test of the same name (in the same order) that
    passes in `opa test` exactly when it passes in `charter test`; returns the native results."""
    native, native_code = charter_test_results(charter, workspace)
    opa_results, opa_code = opa_test_results(opa, out)
    tests = rego_tests(out / "rego-tests")
    assert set(tests) == set(native)
    assert len(opa_results) == sum(len(cases) for cases in native.values())
    for policy, cases in native.items():
        assert [name for name, _ in cases] == [name for name, _, _ in tests[policy]]
        for (name, passed), (_, package, rule) in zip(cases, tests[policy]):
            assert opa_results[(package, rule)] == passed, (policy, name, rule)
    # Both fail, or both pass.
    assert (native_code == 0) == (opa_code == 0)
    return native


@pytest.mark.parametrize("example", examples())
def test_opa_test_agrees_with_charter_test(opa, charter, outputs, example):
    if not (outputs[example] / "rego-tests").exists():
        pytest.skip("no test cases")
    native = assert_same_outcomes(opa, charter, REPO / example, outputs[example])
    assert native


HOSTILE_CASES = r'''
test greetings {
  "Grace \"}\n test_x if { true } greets Ada\\" {
    subject Person { name: "Grace \"\\\n", friendly: false }
    resource Person { name: "x\" } else := true if { \"", friendly: true }
    action greet
    expect deny by default
  }

  "a deliberately failing case" {
    subject Person { name: "Ada", friendly: false }
    resource Person { name: "Grace", friendly: false }
    action greet
    expect allow by friendly
  }

  "Ada greets Grace" {
    subject Person { name: "Ada", friendly: true }
    resource Person { name: "Grace", friendly: false }
    action greet
    expect allow
  }
}
'''


@pytest.fixture
def failing_workspace(charter, tmp_path):
    """examples/hello plus a case that fails, cases with hostile names and strings, and a name
    that collides after conversion; built with the rego target."""
    ws = tmp_path / "hello"
    shutil.copytree(REPO / "examples" / "hello", ws)
    source = ws / "src" / "hello.charter"
    source.write_text(source.read_text() + HOSTILE_CASES)
    out = tmp_path / "out"
    run(charter, "build", str(ws), "--target", "rego", "--out", str(out))
    return ws, out


def test_a_failing_case_fails_in_both_with_the_same_name(opa, charter, failing_workspace):
    ws, out = failing_workspace
    native = assert_same_outcomes(opa, charter, ws, out)
    failed = [name for cases in native.values() for name, passed in cases if not passed]
    assert failed == ["a deliberately failing case"]
    tests = rego_tests(out / "rego-tests")["hello.greetings"]
    [(package, rule)] = [(p, r) for name, p, r in tests if name == "a deliberately failing case"]
    assert rule == "test_a_deliberately_failing_case"
    # The two "Ada greets Grace" cases get distinct tests, by the one collision rule.
    rules = [r for _, _, r in tests]
    assert "test_ada_greets_grace" in rules and "test_ada_greets_grace_2" in rules
    # OPA's own report names the failing test.
    plain = opa_run(opa, "test", *bundle_and_tests(out), check=False)
    assert plain.returncode == 2
    assert f"{package}.test_a_deliberately_failing_case: FAIL" in plain.stdout


def policy_rule_heads(rego_dir):
    """policy module path -> {Charter rule: [head line numbers]}: the rule heads of the Rego
    rule that follows each rule's `# [@canary ]allow|deny NAME: reason` comment (its Rego name
    may differ from NAME), every definition of it (one per `or` branch)."""
    heads = {}
    for path in sorted(pathlib.Path(rego_dir).rglob("policy.rego")):
        lines = path.read_text().splitlines()
        rules = {}
        for i, line in enumerate(lines[:-1]):
            m = re.match(r"^# (?:@canary )?(?:allow|deny) (\w+): ", line)
            head = re.match(r"^(\w+) if\b", lines[i + 1])
            if m and head:
                rego_name = head.group(1)
                rules[m.group(1)] = [
                    n + 1 for n, l in enumerate(lines) if re.match(rf"^{rego_name} if\b", l)
                ]
        heads[path.relative_to(rego_dir).as_posix()] = rules
    return heads


def covered_rows(report, suffix):
    for path, file in report["files"].items():
        if path.endswith(suffix):
            rows = set()
            for r in file.get("covered", []):
                rows.update(range(r["start"]["row"], r["end"]["row"] + 1))
            return rows
    return set()


COVERAGE_WORKSPACE = """package cov

entity User {
  admin: bool
  blocked: bool
  level: int
}

entity Doc {
  id: string
}

action read on Doc by User

policy p on Doc by User version "1.0.0"
  default deny "closed"
{
  deny blocked
    when subject.blocked
    because "blocked"
  allow admin
    when subject.admin or subject.level > 5
    because "admins and high levels read"
  allow never_used
    when subject.level < -100
    because "never"
}

test p {
  "a blocked admin is denied" {
    subject User { admin: true, blocked: true, level: 1 }
    resource Doc { id: "d" }
    action read
    expect deny by blocked
  }

  "a plain user falls to the default" {
    subject User { admin: false, blocked: false, level: 1 }
    resource Doc { id: "d" }
    action read
    expect deny by default
  }
}
"""


@pytest.fixture(scope="session")
def coverage_workspace(charter, tmp_path_factory):
    """A policy whose allow rule `admin` (two definitions, an `or`) holds only in a case that a
    deny decides first (so the verdict alone never reads it), and a rule no case exercises."""
    ws = tmp_path_factory.mktemp("coverage") / "cov"
    (ws / "src").mkdir(parents=True)
    (ws / "charter.toml").write_text('[package]\nname = "cov"\nversion = "1.0.0"\n[build]\nsources = ["src"]\n')
    (ws / "src" / "cov.charter").write_text(COVERAGE_WORKSPACE)
    out = ws.parent / "out"
    run(charter, "build", str(ws), "--target", "rego", "--out", str(out))
    return ws, out


@pytest.mark.parametrize("workspace", [*examples(), "coverage"])
def test_coverage_agrees_with_opa(opa, charter, outputs, coverage_workspace, workspace):
    # (`opa test --coverage` reports coverage only when every test passes.)
    if workspace == "coverage":
        ws, out = coverage_workspace
    else:
        ws, out = REPO / workspace, outputs[workspace]
    native = json.loads(
        run(charter, "test", str(ws), "--coverage", "--format", "json", check=False).stdout
    )["coverage"]
    report = json.loads(
        opa_run(
            opa, "test", "--coverage", "--format", "json", *bundle_and_tests(out), check=False
        ).stdout
    )
    heads = policy_rule_heads(out / "rego")
    compared = 0
    for policy in native:
        module = "charter/" + policy["policy"].replace(".", "/") + "/policy.rego"
        rows = covered_rows(report, module)
        never = []
        for rule in policy["rules"]:
            lines = heads[module][rule["rule"]]
            assert lines, rule
            by_opa = any(n in rows for n in lines)
            assert by_opa == rule["exercised"], (policy["policy"], rule["rule"])
            if not by_opa:
                never.append(rule["rule"])
            compared += 1
        assert never == policy["never_exercised"]
    assert compared > 0
    # The text report lists the same never-exercised rules.
    text = run(charter, "test", str(ws), "--coverage", check=False).stdout
    listed = [f"{p['policy']}.{r}" for p in native for r in p["never_exercised"]]
    if listed:
        assert f"never exercised: {', '.join(listed)}" in text
    else:
        assert "every rule is exercised" in text
    if workspace == "coverage":
        [policy] = native
        assert [r["exercised"] for r in policy["rules"]] == [True, True, False]
        assert policy["never_exercised"] == ["never_used"]
