"""Checks editors/helix/languages.toml: valid TOML (tomllib), and the entries Helix needs."""

import pathlib
import sys
import tomllib

config = tomllib.loads((pathlib.Path(__file__).parent / "languages.toml").read_text())
failures = []
passed = 0


def check(ok, message):
    global passed
    if ok:
        passed += 1
    else:
        failures.append(message)


servers = config.get("language-server", {})
check(servers.get("charter-lsp", {}).get("command") == "charter-lsp", "language-server.charter-lsp runs charter-lsp")
languages = [entry for entry in config.get("language", []) if entry.get("name") == "charter"]
check(len(languages) == 1, "exactly one [[language]] named charter")
lang = languages[0] if languages else {}
check(lang.get("scope") == "source.charter", "scope = source.charter")
check(lang.get("file-types") == ["charter"], "file-types = ['charter']")
check(lang.get("roots") == ["charter.toml"], "roots = ['charter.toml']")
check(lang.get("comment-tokens") == ["//", "///"], "comment-tokens = ['//', '///']")
check(lang.get("language-servers") == ["charter-lsp"], "language-servers = ['charter-lsp']")
check("formatter" not in lang, "formatting goes through the server, not an external formatter")
check(all(name in servers for name in lang.get("language-servers", [])), "every language server is declared")
check(lang.get("indent", {}).get("unit") == "  ", "two-space indentation")

for failure in failures:
    print(f"not ok - {failure}")
print(f"helix languages.toml: {passed} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
