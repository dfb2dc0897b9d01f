# bash completion for {{.}}, printed by "{{.}} completion bash".
# For this shell:    source <({{.}} completion bash)
# For every shell:   {{.}} completion bash > ~/.local/share/bash-completion/completions/{{.}}
#
# {{.}} itself says what may come next: given the words typed so far and
# --generate-bash-completion, it prints the commands there, or the flags
# when "-" comes before it (the word being completed starts with "-"; the
# shell keeps the flags that match). Nothing is evaluated.
_{{.}}_complete() {
    local cur=${COMP_WORDS[COMP_CWORD]}
    local -a request=("${COMP_WORDS[@]:0:COMP_CWORD}")
    [[ $cur == -* ]] && request+=(-)
    local IFS=$'\n'
    COMPREPLY=($(compgen -W "$("${request[@]}" --generate-bash-completion 2>/dev/null)" -- "$cur"))
}
complete -o bashdefault -o default -F _{{.}}_complete {{.}}
