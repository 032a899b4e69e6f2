"""Runs every job of docs/ci.md against a temporary git repository (tests/install/run.sh).

Usage: python ci_jobs.py DOCS ORIGIN WHEELS STUBS WORK

DOCS is docs/ci.md; ORIGIN a git repository whose `main` holds a Charter workspace with its
outputs committed and whose `pr` branch changes it; WHEELS the folder holding the built wheel
(`pip install charter-cli==…` is served from it, nothing from an index); STUBS a folder with the
stand-ins of `gh` and `curl` (they record the comment they would post in $CHARTER_STUB_LOG);
WORK an empty folder. Each YAML block of DOCS is a GitHub Actions workflow (it has `jobs:`) or
a GitLab CI file; every job runs in a fresh clone of ORIGIN at `pr` with a fresh venv on the
PATH: `run:` steps and `script:` lines as written (bash -e, as both CIs run them), `uses:` steps
by their effect. Prints `ok`/`FAIL` per job and ends with `N passed, N failed`.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import venv
from pathlib import Path

import yaml

# The values GitHub would put in for the `${{ … }}` expressions the workflow uses.
EXPRESSIONS = {
    "github.token": "test-token",
    "github.event.pull_request.number": "7",
}

# The CI variables of a pull-request (merge-request) pipeline.
GITHUB_ENV = {"GITHUB_BASE_REF": "main", "GITHUB_EVENT_NAME": "pull_request", "CI": "true"}
GITLAB_ENV = {
    "CI": "true",
    "CI_PIPELINE_SOURCE": "merge_request_event",
    "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main",
    "CI_MERGE_REQUEST_IID": "7",
    "CI_PROJECT_ID": "42",
    "CI_API_V4_URL": "https://gitlab.invalid/api/v4",
    "CHARTER_BOT_TOKEN": "test-token",
}


def blocks(text: str) -> list[dict]:
    """The YAML code blocks of a Markdown text, parsed."""
    return [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", text, re.S)]


def expand(value: str) -> str:
    def one(match: re.Match[str]) -> str:
        name = match.group(1).strip()
        if name not in EXPRESSIONS:
            raise KeyError(f"no test value for the expression `{name}`")
        return EXPRESSIONS[name]

    return re.sub(r"\$\{\{(.*?)\}\}", one, value)


class Runner:
    def __init__(self, origin: Path, wheels: Path, stubs: Path, work: Path) -> None:
        self.origin, self.wheels, self.stubs, self.work = origin, wheels, stubs, work
        self.count = 0
        self.branch = "pr"
        self.env: dict[str, str] = {}

    def workspace(self, name: str, fetch_all: bool) -> tuple[Path, dict[str, str]]:
        """A clone of ORIGIN at the pull request's branch (`self.branch`) and a fresh venv."""
        self.count += 1
        root = self.work / f"{self.count}-{name}"
        repo = root / "repo"
        depth = [] if fetch_all else ["--depth", "1", "--no-local"]
        git = ["git", "-c", "advice.detachedHead=false"]
        subprocess.run([*git, "clone", "-q", *depth, "--branch", self.branch, str(self.origin), str(repo)], check=True)
        env_dir = root / "venv"
        venv.create(env_dir, with_pip=True)
        log = root / "stub.log"
        env = {
            **os.environ,
            "PATH": f"{env_dir / 'bin'}:{self.stubs}:{os.environ['PATH']}",
            "VIRTUAL_ENV": str(env_dir),
            # `pip install charter-cli==…` as written, served by the wheel of this run.
            "PIP_NO_INDEX": "1",
            "PIP_FIND_LINKS": str(self.wheels),
            "PIP_DISABLE_PIP_VERSION_CHECK": "1",
            "CHARTER_STUB_LOG": str(log),
        }
        self.env = env
        return repo, env

    def shell(self, script: str, repo: Path, env: dict[str, str]) -> None:
        result = subprocess.run(["bash", "-e", "-c", script], cwd=repo, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"exit {result.returncode}: {script}\n{result.stdout}{result.stderr}")

    def github(self, name: str, job: dict) -> list[str]:
        steps = job["steps"]
        checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
        fetch_all = str((checkout.get("with") or {}).get("fetch-depth", 1)) == "0"
        repo, env = self.workspace(name, fetch_all)
        env.update(GITHUB_ENV)
        ran = []
        for step in steps:
            uses = step.get("uses", "")
            if "run" in step:
                step_env = {k: expand(str(v)) for k, v in (step.get("env") or {}).items()}
                self.shell(step["run"], repo, {**env, **step_env})
                ran.extend(line for line in step["run"].splitlines() if line.strip())
            elif uses.startswith("github/codeql-action/upload-sarif@"):
                sarif = json.loads((repo / step["with"]["sarif_file"]).read_text())
                if sarif.get("version") != "2.1.0" or not sarif.get("runs"):
                    raise RuntimeError("upload-sarif: not a SARIF 2.1.0 log")
                ran.append(f"upload-sarif {step['with']['sarif_file']}")
            elif not uses.startswith(("actions/checkout@", "actions/setup-python@")):
                raise RuntimeError(f"no emulation for the step `{uses}`")
        return ran + self.comment(env)

    def gitlab(self, name: str, job: dict, default: dict) -> list[str]:
        fetch_all = str((job.get("variables") or {}).get("GIT_DEPTH", "")) == "0"
        repo, env = self.workspace(name, fetch_all)
        env.update(GITLAB_ENV)
        env.update({k: str(v) for k, v in (job.get("variables") or {}).items()})
        lines = [*job.get("before_script", default.get("before_script", [])), *job["script"]]
        # GitLab runs a job's lines in one shell, stopping at the first that fails.
        self.shell("\n".join(lines), repo, env)
        for path in (job.get("artifacts") or {}).get("paths", []):
            if not (repo / path).is_file():
                raise RuntimeError(f"the artifact {path} was not written")
        return lines + self.comment(env)

    def comment(self, env: dict[str, str]) -> list[str]:
        """What a stand-in posted, checked: the two Markdown reports of the pull request."""
        log = Path(env["CHARTER_STUB_LOG"])
        if not log.exists():
            return []
        body = log.read_text()
        for heading in ("## Contract changes", "## Compliance coverage changes"):
            if heading not in body:
                raise RuntimeError(f"the posted comment has no `{heading}`:\n{body}")
        return [f"(comment posted: {len(body)} bytes)"]


def main() -> int:
    docs, origin, wheels, stubs, work = (Path(a).resolve() for a in sys.argv[1:6])
    runner = Runner(origin, wheels, stubs, work)
    passed = failed = 0
    found = {"github": 0, "gitlab": 0}
    for block in blocks(docs.read_text()):
        if "jobs" in block:
            system, jobs = "github", block["jobs"].items()
        else:
            system = "gitlab"
            jobs = [(k, v) for k, v in block.items() if isinstance(v, dict) and "script" in v]
        for name, job in jobs:
            found[system] += 1
            try:
                if system == "github":
                    ran = runner.github(name, job)
                else:
                    ran = runner.gitlab(name, job, block.get("default") or {})
                print(f"ok   ci {system} {name}: {len(ran)} commands")
                for line in ran:
                    print(f"       {line}")
                passed += 1
            except Exception as error:  # noqa: BLE001 - every failure is reported, then counted
                print(f"FAIL ci {system} {name}: {error}")
                failed += 1
                continue
            if not any(line.startswith("(comment posted") for line in ran):
                continue
            # A breaking change (branch `breaking`): the comment is posted, then the job fails.
            runner.branch = "breaking"
            try:
                if system == "github":
                    runner.github(name, job)
                else:
                    runner.gitlab(name, job, block.get("default") or {})
                print(f"FAIL ci {system} {name} on a breaking change: the job passed")
                failed += 1
            except Exception as error:  # noqa: BLE001 - the failure is the expected outcome
                try:
                    posted = runner.comment(runner.env)
                    body = Path(runner.env["CHARTER_STUB_LOG"]).read_text()
                    assert str(error).startswith("exit 1:"), error
                    assert "1 breaking" in body, body
                    print(f"ok   ci {system} {name} on a breaking change: fails after {posted[0]}")
                    passed += 1
                except Exception as wrong:  # noqa: BLE001
                    print(f"FAIL ci {system} {name} on a breaking change: {wrong}\n{error}")
                    failed += 1
            runner.branch = "pr"
    for system, count in found.items():
        if count < 2:
            print(f"FAIL ci {system}: {count} jobs found in {docs.name} (expected at least 2)")
            failed += 1
    print(f"ci: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
