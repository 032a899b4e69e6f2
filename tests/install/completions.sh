# Sourced by run.sh: the completion scripts, loaded by the shells that are installed (bash
# always), and asked to complete.

# complete LINE: what bash's completion of `charter` offers for LINE (the last word is
# completed), printed one per line.
bash_complete() {
  bash --norc --noprofile -c '
    source <("$1" completions bash) || exit 1
    function=$(complete -p charter | sed -n "s/.*-F \([^ ]*\) .*/\1/p")
    [ -n "$function" ] || { echo "no completion function for charter"; exit 1; }
    read -r -a COMP_WORDS <<<"$2"
    [[ "$2" == *" " ]] && COMP_WORDS+=("")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE="$2"
    COMP_POINT=${#COMP_LINE}
    "$function" charter "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    printf "%s\n" "${COMPREPLY[@]}"
  ' bash "$charter" "$1"
}
completes() {
  local offered
  offered=$(bash_complete "$1")
  for word in "${@:2}"; do
    grep -qx -- "$word" <<<"$offered" || { echo "'$1' does not offer $word:"; echo "$offered"; return 1; }
  done
}
check "bash completion: commands (charter b → build, bundle)" completes "charter b" build bundle
check "bash completion: flags (charter build --ta → --target)" completes "charter build --ta" --target
check "bash completion: values (charter completions → bash, zsh, fish)" completes "charter completions " bash zsh fish
check "bash completion: subcommands (charter bundle → sign, verify, push)" completes "charter bundle " sign verify push

# zsh and fish, when installed: the scripts parse.
if command -v zsh >/dev/null 2>&1; then
  check "zsh completion script parses (zsh -n)" bash -c '"$1" completions zsh >"$2/_charter" && zsh -n "$2/_charter"' bash "$charter" "$work"
fi
if command -v fish >/dev/null 2>&1; then
  check "fish completion script parses (fish -n)" bash -c '"$1" completions fish >"$2/charter.fish" && fish -n "$2/charter.fish"' bash "$charter" "$work"
fi
