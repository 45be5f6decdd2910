import { CtuiError } from '../../core/errors.js';
import type { CommandDef } from '../command.js';
import { write } from '../output.js';

/**
 * The shell scripts ask `ctui __complete WORDS...` for candidates (as cobra's do), so verbs, flags
 * and names never go stale in the script. The binary is the one the user typed (words[0]), so a
 * checkout's bin/ctui.js completes with its own tables. A ":files" line asks for file names.
 */
const BASH = `# bash completion for ctui: source <(ctui completion bash)
# or: ctui completion bash > /etc/bash_completion.d/ctui
_ctui() {
    local cur=\${COMP_WORDS[COMP_CWORD]} IFS=$'\\n' out
    out=$("\${COMP_WORDS[0]}" __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)
    COMPREPLY=()
    if [[ $'\\n'$out$'\\n' == *$'\\n':files$'\\n'* ]]; then
        COMPREPLY=($(compgen -f -- "$cur"))
        out=\${out%:files}
    fi
    COMPREPLY+=($(compgen -W "$out" -- "$cur"))
}
complete -o bashdefault -o default -F _ctui ctui ctui.js
`;

const ZSH = `#compdef ctui ctui.js
# zsh completion for ctui: source <(ctui completion zsh) after compinit,
# or: ctui completion zsh > "\${fpath[1]}/_ctui"
_ctui() {
    local -a cands
    cands=("\${(@f)$("\${words[1]}" __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
    if (( \${cands[(Ie):files]} )); then
        cands=("\${(@)cands:#:files}")
        _files
    fi
    cands=("\${(@)cands:#}")
    (( \${#cands} )) && compadd -Q -- "\${cands[@]}"
    return 0
}
if [[ "\${funcstack[1]}" == _ctui ]]; then
    _ctui "$@"
else
    compdef _ctui ctui ctui.js
fi
`;

export const completionCommand: CommandDef = {
  command: 'completion <shell>',
  describe: 'Print a completion script for bash or zsh (source <(ctui completion bash))',
  flags: {},
  async run(_ctx, a) {
    const shell = String(a.shell);
    if (shell === 'bash') return write(BASH);
    if (shell === 'zsh') return write(ZSH);
    throw new CtuiError(`unsupported shell "${shell}": ctui completion knows bash and zsh`);
  },
};
