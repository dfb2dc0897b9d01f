#compdef {{.}}
# zsh completion for {{.}}, printed by "{{.}} completion zsh".
# For this shell (after compinit):  source <({{.}} completion zsh)
# For every shell:  {{.}} completion zsh > "${fpath[1]}/_{{.}}"
#
# {{.}} itself says what may come next: given the words typed so far and
# --generate-bash-completion, it prints the commands there, or the flags
# when "-" comes before it (the word being completed starts with "-"; the
# shell keeps the flags that match). Nothing is evaluated.
_{{.}}() {
    local -a request candidates
    request=("${(@)words[1,CURRENT-1]}")
    [[ ${words[CURRENT]} == -* ]] && request+=(-)
    candidates=("${(@f)$("${(@)request}" --generate-bash-completion 2>/dev/null)}")
    if [[ -n ${candidates[1]} ]]; then
        compadd -a candidates
    else
        _files
    fi
}
if [[ ${funcstack[1]} == _{{.}} ]]; then
    _{{.}} "$@"
else
    compdef _{{.}} {{.}}
fi
