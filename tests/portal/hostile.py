"""Writes a hostile copy of examples/summit into the folder named on the command line: program
text (a control title, a threat title and subsystem, a policy's doc comment, a rule's doc comment
and rationale, a deprecation note, an evidence producer) holds markup, quotes, Markdown,
`</style>` and `javascript:` URLs. The portal must show each of them as literal text.

Prints the hostile strings as JSON, one per line, for the browser test to look for."""

import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Each string is written inside a Charter string literal or a doc comment: no `"` or `\` in the
# literal ones (they would need escaping), and every one must reach the page unchanged.
SCRIPT = "</style><script>window.__pwned = 1</script><style>"
IMAGE = "<img src=x onerror=window.__pwned=2> & 'single' &amp;"
LINK = "[click](javascript:window.__pwned=3) **bold** `code` <a href=javascript:window.__pwned=4>a</a>"
QUOTES = '"><svg onload=window.__pwned=5> \' " <b>b</b>'

EDITS = [
    ("compliance/governance.charter", '"Policy decision on every data-plane request"', f'"{SCRIPT}"', SCRIPT),
    ("compliance/threats.charter", '"Compromised dependency in the build pipeline"', f'"{IMAGE}"', IMAGE),
    ("compliance/threats.charter", 'subsystem "ci"', f'subsystem "{LINK}"', LINK),
    ("policy/dataset_access.charter", "/// Tenant isolation comes before everything else.", f"/// {QUOTES}", QUOTES),
    ("policy/dataset_access.charter", '"datasets are only reachable from their own tenant"', f'"{SCRIPT} reason"', f"{SCRIPT} reason"),
    ("platform/audit.charter", 'note: "returned only by export_csv"', f'note: "{IMAGE} note"', None),
    ("compliance/governance.charter", 'produced by "pipeline"', f'produced by "{LINK} producer"', f"{LINK} producer"),
]


def main() -> None:
    out = Path(sys.argv[1])
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(ROOT / "examples/summit", out, ignore=shutil.ignore_patterns("out"))
    shown = []
    for file, old, new, literal in EDITS:
        path = out / "src" / file
        text = path.read_text()
        if old not in text:
            raise SystemExit(f"hostile.py: {file} no longer holds {old}")
        path.write_text(text.replace(old, new, 1))
        if literal is not None:
            shown.append(literal)
    for s in shown:
        print(json.dumps(s))


if __name__ == "__main__":
    main()
