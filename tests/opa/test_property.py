"""Property: on generated well-typed workspaces, with generated valid and malformed inputs, the
real OPA and Charter's native evaluator decide every (policy, input) pair alike, field by field.

`charter-policy-cases` (benches/src/policies/) writes workspaces of random policies, each in
its own package over its own random schema (every primitive type, ordered/unordered/open enums,
lists, sets, maps, optionals, defaults, nested and recursive records, aliases with refinements,
several subject types, `requires provenance`, names that mean something to Rego or the emitter),
random rules (literals of every spelling on either side of every operator, `in`, `has`,
`== none`, `!= none`, `not`, deep `and`/`or`, `@canary`), and random inputs as raw JSON text:
valid ones at the edges (64-bit integers, `0.99999999999999999`, `1e-400`, timestamps from year
0000 to 9999, defaults left out, records nested around the validators' limit of 32) and
malformed ones (missing, `null`, wrong types, `1E400`, extra attributes, duplicate keys, lone
surrogates, non-objects, unknown actions, bad enums, timestamps, dates, durations). It decides
each input natively (`cases.json`) and counts the constructs it generated (`constructs.json`).
`charter build` emits the bundle; OPA decides every input again from the same bytes; the router
(`data.charter.router.verdict`, by `input.policy`, `input.resource_type` or the action alone)
decides a sample of them, compared with the native router's verdict (`charter::eval::router`:
deny-overrides, the router's own denials), and for another sample `matches` and
`input_problems` are compared.

The test fails on any disagreement (an undefined verdict or an OPA error counts as one: failing
closed means a verdict with `allow: false`), printing each class of disagreement with its
smallest reproduction (policy source, raw input, both verdicts, seed), and fails if a construct
of `REQUIRED` was never generated, or if a count is not borne out by the generated text
(`TEXT_EVIDENCE`).

Size and seed: `CHARTER_PROPERTY_POLICIES` x `CHARTER_PROPERTY_INPUTS` pairs (default 100 x 200
= 20,000, plus about 3,000 router decisions and a sample of `matches` and `input_problems`), with
a seed that changes every run unless `CHARTER_PROPERTY_SEED` pins it. The policies go into
workspaces of `CHARTER_PROPERTY_PER_WORKSPACE` (default 2), one bundle and one OPA engine each:
OPA's cost per query grows with the size of the bundle loaded. About a minute on two cores.

Soak: `CHARTER_PROPERTY_SOAK_SECONDS=3600` repeats the run with seeds seed, seed+1, ... until the
time is up (each round a fresh workspace, run to the end even after a disagreement, so that the
report has every class met), and reports the rounds, pairs and construct totals (`-s` shows the
progress of each round):

    CHARTER_SKIP_BUILD=1 CHARTER_PROPERTY_SOAK_SECONDS=3600 \\
        .tools/venv/bin/python -m pytest -q -s -p no:cacheprovider tests/opa/test_property.py
"""

import collections
import concurrent.futures
import json
import multiprocessing
import os
import re
import subprocess
import time

from opa_bindings import OpaError

from conftest import REPO, archive_files, engine_for, eval_raw, run

CASES_BIN = REPO / "target" / "debug" / "charter-policy-cases"
FIELDS = ["allow", "decider", "rule_id", "reason", "policy_version", "canary"]

PRIMS = ["bool", "int", "float", "decimal", "string", "bytes", "uuid", "timestamp", "date", "duration"]
OPS = ["==", "!=", "<", "<=", ">", ">="]

# Every construct the generator must have produced in a run (language reference sections 4-6,
# 10-11, and the input edge classes of issue 11). The counts come from what was generated.
REQUIRED = (
    [f"type.{p}" for p in PRIMS]
    + ["enum.ordered", "enum.unordered", "enum.open", "type.list", "type.set", "type.map"]
    + ["type.optional", "field.default", "field.default_none", "cond.reads_default"]
    + ["type.record", "type.record_nested", "type.alias"]
    + ["refine.int_range", "refine.float_range", "refine.decimal_range", "refine.matching"]
    + ["lit.negative", "lit.underscore", "lit.exponent", "lit.date", "lit.duration", "lit.string_escape"]
    + ["lit.enum_bare", "lit.enum_qualified"]
    + [f"lit.left.{op}" for op in OPS + ["in"]]
    + [f"cmp.{op}.{kind}" for op in OPS for kind in ["number", "ordered_enum", "date", "timestamp", "duration"]]
    + [f"cmp.{op}.{kind}" for op in ["==", "!="] for kind in ["enum", "string", "bool"]]
    + ["cmp.collections_or_records"]
    + ["in.list", "in.set", "in.map", "in.literal_list"]
    + ["cond.has", "cond.eq_none", "cond.ne_none", "cond.not", "cond.and", "cond.or", "cond.deep_nesting"]
    + ["cond.bool", "cond.bool_optional", "cond.action", "cond.constant"]
    + ["rule.canary", "rule.allow", "rule.deny", "rule.without_when"]
    + ["policy.default_allow", "policy.default_deny", "policy.default_without_reason", "policy.version"]
    + ["subjects.multiple", "action.split_subjects", "service.requires_provenance"]
    + ["service.requires_provenance_without_envelope"]
    + ["input.valid", "input.router", "input.default_omitted", "input.optional_absent", "input.optional_null"]
    + ["input.context_omitted", "input.empty_collection", "input.set_duplicate", "input.open_enum_unknown"]
    + ["input.refinement_inside", "input.provenance_valid", "input.provenance_broken"]
    + ["input.timestamp_year_0001", "input.timestamp_year_9999", "input.timestamp_offset"]
    + ["input.timestamp_fraction", "input.timestamp_i64_edge", "input.date_edge_year", "input.duration_edge"]
    + ["input.number_huge", "input.number_tiny", "input.number_near_one", "input.int_boundary"]
    + ["input.number_spelling"]
    + ["input.missing_attr", "input.null", "input.wrong_type", "input.elem_wrong_type"]
    + ["input.int_out_of_range", "input.number_1e400", "input.int_fraction", "input.extra_attr"]
    + ["input.extra_top_level", "input.root_not_object", "input.root_missing", "input.not_object"]
    + ["input.unknown_action", "input.action_not_string", "input.enum_wrong", "input.timestamp_invalid"]
    + ["input.date_invalid", "input.duration_invalid", "input.uuid_invalid", "input.refinement_violated"]
    + ["input.duplicate_key", "input.string_unicode_escape", "input.lone_surrogate"]
    + ["input.router_policy", "input.router_resource_type", "input.router_action_only"]
    + ["input.router_policy_unknown"]
    + ["type.record_recursive", "field.default_optional", "input.nesting_deep", "input.null_default"]
    + ["input.router_field_not_string", "input.timestamp_year_0000"]
    + ["name.tricky_rule", "name.tricky_field", "name.tricky_policy", "input.number_extreme_exponent"]
)

# Constructs whose presence the generated text itself must show, so that a count cannot be
# claimed without the construct being there: construct -> (where, pattern).
TEXT_EVIDENCE = {
    "rule.canary": ("source", r"@canary"),
    "policy.default_allow": ("source", r"\bdefault allow\b"),
    "policy.default_deny": ("source", r"\bdefault deny\b"),
    "service.requires_provenance": ("source", r"requires provenance"),
    "enum.ordered": ("source", r"^ordered (open )?enum "),
    "enum.open": ("source", r"\bopen enum "),
    "type.map": ("source", r"map<string, "),
    "type.set": ("source", r"\bset<"),
    "type.list": ("source", r"\blist<"),
    "refine.matching": ("source", r" matching \""),
    "refine.int_range": ("source", r"\bint in "),
    "refine.float_range": ("source", r"\bfloat in "),
    "refine.decimal_range": ("source", r"\bdecimal in "),
    "cond.eq_none": ("source", r"== none\b"),
    "cond.ne_none": ("source", r"!= none\b"),
    "cond.has": ("source", r"\bhas (subject|resource|context)\."),
    "subjects.multiple": ("source", r"^policy \w+ on \w+ by \w+, \w+"),
    "lit.underscore": ("source", r"when .*\b\d+_\d"),
    "lit.exponent": ("source", r"when .*\d\.\d+[eE][+-]?\d"),
    "lit.negative": ("source", r"when .*[ (\[]-\d"),
    **{f"type.{p}": ("source", rf"(: |<){p}\b") for p in PRIMS},
    "input.not_object": ("input", r"^[^{]"),
    "input.number_1e400": ("input", r"[:\[,]-?1[eE]400\b"),
    "input.timestamp_year_0001": ("input", r"\"0001-01-01T"),
    "input.timestamp_year_9999": ("input", r"\"9999-12-31T"),
    "input.number_near_one": ("input", r"0\.99999999999999999|1\.0000000000000001"),
    "input.number_tiny": ("input", r"e-400|5e-324"),
    "input.int_boundary": ("input", r"9223372036854775807"),
}


# Policies per workspace (and so per bundle and OPA engine): OPA's cost per query grows with the
# size of the bundle loaded, so small bundles keep a run fast.
PER_WORKSPACE = int(os.environ.get("CHARTER_PROPERTY_PER_WORKSPACE", "2"))


def generate(workspace, policies, inputs, seed):
    """Runs the generator; (cases, construct counts, programs the checker rejected)."""
    result = subprocess.run(
        [str(CASES_BIN), str(workspace), "--policies", str(policies), "--inputs", str(inputs), "--seed", str(seed),
         "--per-workspace", str(PER_WORKSPACE)],
        check=False,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, f"charter-policy-cases failed (seed {seed}):\n{result.stderr}"
    cases = json.loads((workspace / "cases.json").read_text())
    constructs = json.loads((workspace / "constructs.json").read_text())
    return cases, constructs["constructs"], constructs["rejected_programs"]


def load_engine(charter, workspace, out):
    """OPA with the workspace's bundle. A module OPA refuses is dropped (with the router, which
    names every policy) so the other policies are still compared; returns (engine, {policy:
    error} for the policies dropped)."""
    result = run(charter, "build", str(workspace), "--target", "rego", "--out", str(out), check=False)
    assert result.returncode == 0, f"charter build {workspace} failed:\n{result.stdout}{result.stderr}"
    folder = out / "rego"
    files = archive_files(folder)
    dropped = {}
    for _ in range(50):
        try:
            return engine_for(files), dropped
        except OpaError as error:
            message = str(error.args[-1] if error.args else error)
            bad = sorted({m for m in re.findall(r"(charter/[\w/]+\.rego)", message) if m in files})
            if not bad:
                raise
            for module in bad:
                policy = module.removeprefix("charter/").removesuffix("/policy.rego").replace("/", ".")
                lines = [line.strip() for line in message.splitlines() if module in line]
                dropped[policy] = (lines[0] if lines else message)[:500]
                del files[module]
            files.pop("charter/router/router.rego", None)
    raise AssertionError("the bundle does not load in OPA")


def opa_verdict(engine, path, text):
    """OPA's verdict for raw input text: the value, or {"undefined": True} / {"error": ...}."""
    try:
        value = eval_raw(engine, path, text.encode())
    except OpaError as error:
        return {"error": str(error)}
    return {"undefined": True} if value is None else value


def sorted_json(values):
    """A set (or list) of JSON values in a canonical order; other values as they are."""
    if isinstance(values, list):
        return sorted(json.dumps(v, sort_keys=True) for v in values)
    return values


def differs(native, opa):
    if native is None or not isinstance(opa, dict) or "error" in opa or "undefined" in opa:
        return True
    return any(opa.get(f) != native.get(f) for f in FIELDS)


def kind_of(verdict):
    """A coarse name of how a verdict was reached, for classing disagreements."""
    if isinstance(verdict, dict) and "value" in verdict:
        return "set"
    if verdict is None:
        return "native-error"
    if "error" in verdict:
        return "opa-error"
    if "undefined" in verdict:
        return "undefined"
    rule = verdict.get("rule_id")
    if rule not in ("input_invalid", "default", "provenance_missing", "provenance_invalid") and not str(
        rule
    ).startswith("charter.router."):
        rule = "rule"
    return f"{'allow' if verdict.get('allow') else 'deny'}/{rule}"


def class_of(d):
    native, opa = d["native"], d["opa"]
    if d["where"] in ("matches", "input_problems"):
        mine, theirs = set(sorted_json(native["value"])), set(sorted_json(opa["value"]) or [])
        only = [f"native only: {x}" for x in sorted(mine - theirs)] + [f"opa only: {x}" for x in sorted(theirs - mine)]
        first = re.sub(r'\[\[.*?\], ', "[<path>, ", only[0]) if only else repr(opa["value"])[:80]
        return f"{d['where']}: {first}"
    fields = [] if kind_of(opa) in ("opa-error", "undefined") or native is None else [
        f for f in FIELDS if opa.get(f) != native.get(f)
    ]
    open_ = "FAIL-OPEN " if native is not None and not native.get("allow") and opa.get("allow") is True else ""
    # A deciding rule with one of the generator's unusual names (`schema`, `input_valid`, ...)
    # is named, since such names are a class of their own.
    named = sorted({
        v.get("rule_id") for v in (native, opa)
        if isinstance(v, dict) and v.get("rule_id")
        and not re.fullmatch(r"r\d+|default|input_invalid|provenance_missing|provenance_invalid", v["rule_id"])
    })
    by = f" [decided by a rule named {', '.join(named)}]" if named and "rule_id" in fields else ""
    return f"{open_}{d['where']}: native {kind_of(native)} vs opa {kind_of(opa)} ({', '.join(fields) or '-'}){by}"


# Workspaces are checked by this many processes at once (started fresh: OPA's Go runtime does not
# survive a fork).
JOBS = int(os.environ.get("CHARTER_PROPERTY_JOBS", "2"))


def check_workspace(charter, folder, out, group):
    """OPA's decisions on one workspace's cases: (disagreements, router decisions)."""
    engine, dropped = load_engine(charter, folder, out)
    disagreements = []
    routed = 0
    for case in group:
        policy = case["policy"]
        native = case.get("verdict")
        if policy in dropped:
            opa = {"error": f"module refused by OPA: {dropped[policy]}"}
        else:
            opa = opa_verdict(engine, "charter." + policy + ".verdict", case["input_text"])
        if differs(native, opa):
            disagreements.append({"where": "policy", "case": case, "text": case["input_text"], "native": native, "opa": opa})
        if "matched" in case and policy not in dropped:
            for document, native_value in (("matches", case["matched"]), ("input_problems", case["problems"])):
                opa = opa_verdict(engine, f"charter.{policy}.{document}", case["input_text"])
                if sorted_json(opa) != sorted_json(native_value):
                    disagreements.append({"where": document, "case": case, "text": case["input_text"],
                                          "native": {"value": native_value}, "opa": {"value": opa}})
        if "router_input_text" in case and not dropped:
            routed += 1
            native = case.get("router_verdict")
            opa = opa_verdict(engine, "charter.router.verdict", case["router_input_text"])
            if differs(native, opa):
                disagreements.append({"where": "router", "case": case, "text": case["router_input_text"], "native": native, "opa": opa})
    engine.close()
    return disagreements, routed


def compare(charter, tmp_path, seed, policies, inputs):
    """One round; returns (pairs, router pairs, disagreements, counts, rejected, timing,
    evidence failures)."""
    started = time.monotonic()
    root = tmp_path / f"fuzz{seed}"
    cases, counts, rejected = generate(root, policies, inputs, seed)
    assert len(cases) == policies * inputs
    generated = time.monotonic()
    by_workspace = collections.defaultdict(list)
    for case in cases:
        by_workspace[case["workspace"]].append(case)
    jobs = [(charter, root / name, tmp_path / f"out{seed}" / name, group) for name, group in by_workspace.items()]
    if JOBS > 1 and len(jobs) > 1:
        context = multiprocessing.get_context("spawn")
        with concurrent.futures.ProcessPoolExecutor(max_workers=JOBS, mp_context=context) as pool:
            results = list(pool.map(check_workspace, *zip(*jobs)))
    else:
        results = [check_workspace(*job) for job in jobs]
    disagreements = [d for found, _ in results for d in found]
    routed = sum(r for _, r in results)
    timing = (generated - started, time.monotonic() - generated)
    evidence_failures = check_evidence(root, cases, counts)
    return len(cases), routed, disagreements, counts, rejected, timing, evidence_failures


def check_evidence(workspace, cases, counts):
    """Constructs counted as generated whose text is nowhere in the programs or inputs."""
    source = "\n".join(p.read_text() for p in sorted(workspace.rglob("*.charter")))
    texts = "\n".join(c["input_text"] for c in cases)
    failures = []
    for construct, (where, pattern) in TEXT_EVIDENCE.items():
        haystack = source if where == "source" else texts
        found = re.search(pattern, haystack, re.MULTILINE) is not None
        if counts.get(construct, 0) > 0 and not found:
            failures.append(f"{construct} counted {counts[construct]} times but /{pattern}/ is not in the {where}")
    return failures


def source_of(workspace, policy, cache={}):
    """The source of the package that declares `policy` (`fuzz.p3.p3` is in `.../p3/p3.charter`)."""
    key = (str(workspace), policy)
    if key not in cache:
        package = policy.rsplit(".", 1)[0]
        last = package.rsplit(".", 1)[-1]
        found = [p for p in workspace.rglob(f"{last}.charter") if p.read_text().startswith(f"package {package}\n")]
        cache[key] = found[0].read_text() if found else "(source not found)"
    return cache[key]


MANIFEST = '[package]\nname = "fuzz"\nversion = "1.0.0"\n\n[build]\nsources = ["src"]\n'


def decide_both(charter, folder, source, policy, text):
    """(native verdict, OPA's verdict) of one raw input under one package's source, from a
    scratch workspace: `charter eval` and the bundle `charter build` emits. None if the source
    does not build."""
    subprocess.run(["rm", "-rf", str(folder)], check=True)
    (folder / "src").mkdir(parents=True)
    (folder / "charter.toml").write_text(MANIFEST)
    (folder / "src" / "p.charter").write_text(source)
    (folder / "input.json").write_text(text)
    built = run(charter, "build", str(folder), "--target", "rego", "--out", str(folder / "out"), check=False)
    if built.returncode != 0:
        return None
    result = run(charter, "eval", str(folder), "--policy", policy, "--input", str(folder / "input.json"),
                 "--format", "json", check=False)
    try:
        native = json.JSONDecoder().raw_decode(result.stdout)[0]["verdict"]
    except (ValueError, KeyError):
        native = None
    try:
        engine = engine_for(archive_files(folder / "out" / "rego"))
    except OpaError as error:
        return native, {"error": str(error)}
    opa = opa_verdict(engine, "charter." + policy + ".verdict", text)
    engine.close()
    return native, opa


def shrink(charter, tmp_path, d, budget=40):
    """The policy's source with as many rules deleted as keep the disagreement in its class
    (`None` when the class does not reproduce from a scratch workspace)."""
    source = source_of(tmp_path / f"fuzz{d['seed']}", d["case"]["policy"])
    wanted = class_of(d)
    folder = tmp_path / "shrink"

    def same(candidate):
        both = decide_both(charter, folder, candidate, d["case"]["policy"], d["text"])
        return both is not None and differs(*both) and class_of({**d, "native": both[0], "opa": both[1]}) == wanted

    if not same(source):
        return None
    head, _, rest = source.partition("\n{\n")
    body, _, tail = rest.partition("\n}\n")
    rules = [r for r in body.split("\n\n") if r.strip()]
    i = 0
    while i < len(rules) and budget > 0:
        budget -= 1
        candidate = rules[:i] + rules[i + 1:]
        text = f"{head}\n{{\n" + "\n\n".join(candidate) + f"\n}}\n{tail}"
        if same(text):
            rules = candidate
        else:
            i += 1
    return f"{head}\n{{\n" + "\n\n".join(rules) + f"\n}}\n{tail}"


def report(disagreements, tmp_path, policies, inputs, pairs, charter=None):
    """Every class of disagreement with its smallest reproduction (each disagreement carries
    the seed of its round)."""
    classes = collections.defaultdict(list)
    for d in disagreements:
        classes[class_of(d)].append(d)
    seeds = sorted({d["seed"] for d in disagreements})
    lines = [f"{len(disagreements)} of {pairs} decisions disagree (seeds {', '.join(map(str, seeds))}); "
             f"{len(classes)} classes.",
             f"reproduce: CHARTER_PROPERTY_SEED=<seed> CHARTER_PROPERTY_POLICIES={policies} CHARTER_PROPERTY_INPUTS={inputs}",
             f"or: target/debug/charter-policy-cases OUT --policies {policies} --inputs {inputs} --seed <seed> "
             f"--per-workspace {PER_WORKSPACE}"]
    for name, items in sorted(classes.items(), key=lambda kv: -len(kv[1])):
        lines.append(f"  {len(items):6}  {name}")
    shrinks = [False] * len(classes) + [True] * 8
    for name, items in sorted(classes.items(), key=lambda kv: -len(kv[1])):
        def size(d):
            return len(d["text"]), len(source_of(tmp_path / f"fuzz{d['seed']}", d["case"]["policy"]))
        d = min(items, key=size)
        case = d["case"]
        # The first classes' policies with the rules that do not matter deleted.
        shrunk = shrink(charter, tmp_path, d) if charter and d["where"] == "policy" and shrinks.pop() else None
        lines += [
            "",
            f"=== {name} ({len(items)} cases)",
            f"policy {case['policy']} (seed {d['seed']}, workspace {case['workspace']}"
            f"{', the rules that keep the disagreement' if shrunk else ''}):",
            (shrunk or source_of(tmp_path / f"fuzz{d['seed']}", case["policy"])).rstrip(),
            f"input:  {d['text']}",
            f"tags:   {', '.join(case.get('tags', []))}",
            f"native: {json.dumps(d['native'], sort_keys=True, ensure_ascii=False)}",
            f"opa:    {json.dumps(d['opa'], sort_keys=True, ensure_ascii=False)}",
        ]
        if case.get("native_error"):
            lines.append(f"native error: {case['native_error']}")
    return "\n".join(lines)


def test_opa_agrees_with_the_native_evaluator_on_generated_policies(charter, tmp_path):
    policies = int(os.environ.get("CHARTER_PROPERTY_POLICIES", "100"))
    inputs = int(os.environ.get("CHARTER_PROPERTY_INPUTS", "200"))
    seed = int(os.environ.get("CHARTER_PROPERTY_SEED", str(int(time.time() * 1000) % 1_000_000_007)))
    soak = float(os.environ.get("CHARTER_PROPERTY_SOAK_SECONDS", "0"))
    if not os.environ.get("CHARTER_SKIP_BUILD"):
        subprocess.run(["cargo", "build", "-q", "-p", "charter-bench"], cwd=REPO, check=True)
    started = time.monotonic()
    totals = collections.Counter()
    rounds = pairs = routed = 0
    evidence_failures = []
    disagreements = []
    while True:
        round_seed = seed + rounds
        n, r, found, counts, rejected, (gen_s, opa_s), evidence = compare(
            charter, tmp_path, round_seed, policies, inputs
        )
        rounds += 1
        pairs += n
        routed += r
        totals.update(counts)
        evidence_failures += evidence
        for d in found:
            d["seed"] = round_seed
        disagreements += found[: max(0, 50_000 - len(disagreements))]  # enough for every class
        print(f"round {rounds}, seed {round_seed}: {n} pairs, {r} routed, {len(found)} disagreements, "
              f"{len(rejected)} programs rejected by the checker and regenerated; "
              f"generate {gen_s:.1f}s, build and OPA {opa_s:.1f}s", flush=True)
        # A soak keeps going to the end, so that its report has every class it met.
        if time.monotonic() - started >= soak:
            break
    width = max(len(k) for k in totals)
    print(f"\n{rounds} rounds, {pairs} pairs, {routed} router decisions, {time.monotonic() - started:.0f}s; "
          f"constructs generated:")
    for name in sorted(set(totals) | set(REQUIRED)):
        print(f"  {name:<{width}} {totals.get(name, 0)}")
    failures = []
    missing = [c for c in REQUIRED if totals.get(c, 0) == 0]
    if missing:
        failures.append(f"constructs never generated (seed {seed}): {', '.join(missing)}")
    failures += evidence_failures
    if disagreements:
        failures.append(report(disagreements, tmp_path, policies, inputs, pairs + routed, charter))
    assert not failures, "\n\n".join(failures)
