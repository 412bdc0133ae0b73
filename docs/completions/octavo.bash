# bash completion for octavo — options, formats (from --list-formats) and files.
_octavo_formats() {
    octavo --list-formats 2>/dev/null | awk -v want="$1" 'NR > 1 && $2 ~ want {print $1}'
}

_octavo() {
    local cur prev
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    case $prev in
        -f|--from) COMPREPLY=($(compgen -W "$(_octavo_formats r)" -- "$cur")); return ;;
        -t|--to) COMPREPLY=($(compgen -W "$(_octavo_formats w)" -- "$cur")); return ;;
        --wrap) COMPREPLY=($(compgen -W "auto none preserve" -- "$cur")); return ;;
        --extract) COMPREPLY=($(compgen -W "auto on off" -- "$cur")); return ;;
        --plugin-dir|--extract-media|--output-dir|--update-plugin-cache)
            COMPREPLY=($(compgen -d -- "$cur")); return ;;
        -o|--output|--css|--cover-image|--reference-doc|--report|--junit|--defaults)
            COMPREPLY=($(compgen -f -- "$cur")); return ;;
        -M|--metadata|-V|--variable|--encoding|--columns|--split-level|--toc-depth|--title|-j)
            return ;;
    esac
    if [[ $cur == -* ]]; then
        local opts="--from --to --output --metadata --variable --title --encoding --extract
            --cover-image --css --no-default-css --split-level --toc-depth --reference-doc
            --wrap --columns --extract-media --offline --no-images --insecure --max-input-size
            --max-download --plugin-dir --list-formats --dump-tree --quiet --verbose --version
            --help --output-dir --include --exclude --report --junit --incremental --shard
            --defaults --fail-fast --fail-if-warnings --merge-reports --update-plugin-cache"
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        return
    fi
    COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -F _octavo octavo
