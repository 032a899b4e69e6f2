# Sourced by run.sh: `charter man DIR` writes a page per command; man-db renders each.

# One page per command and subcommand, named as man(1) looks them up.
man_pages() {
  "$charter" man "$work/man" >/dev/null
  local commands
  commands=$("$charter" --help | sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p')
  [ -n "$commands" ] || { echo "no commands in charter --help"; return 1; }
  for command in $commands; do
    [ -f "$work/man/charter-$command.1" ] || { echo "no page for $command"; ls "$work/man"; return 1; }
  done
  for command in bundle-sign bundle-verify bundle-push; do
    [ -f "$work/man/charter-$command.1" ] || { echo "no page for $command"; return 1; }
  done
}
check "charter man DIR: charter.1 and a page per command and subcommand" man_pages

# Every page renders with man -l, with no warning from groff (-ww); the text is the command's own.
man_render() {
  local page text
  for page in "$work"/man/*.1; do
    text=$(MANWIDTH=100 man -l "$page" 2>"$work/man-stderr")
    # man-db keeps groff's warnings to itself: ask groff for all of them (-ww) as well.
    groff -man -Tutf8 -ww -z "$page" 2>>"$work/man-stderr"
    if [ -s "$work/man-stderr" ]; then
      echo "$page:"; cat "$work/man-stderr"; return 1
    fi
    grep -q '^NAME' <<<"$text" || { echo "$page: no NAME section"; echo "$text"; return 1; }
  done
  text=$(MANWIDTH=100 man -l "$work/man/charter-build.1")
  grep -q -- '--target' <<<"$text" && grep -q 'charter-build' <<<"$text" \
    && grep -q 'Generate outputs' <<<"$text" || { echo "$text"; return 1; }
  # Without DIR, charter.1 on stdout, which man reads from its standard input.
  text=$("$charter" man | MANWIDTH=100 man -l -)
  grep -q 'charter-check(1)' <<<"$text" || { echo "$text"; return 1; }
}
check "man -l renders every page (charter-build: --target; charter.1 from stdout)" man_render
