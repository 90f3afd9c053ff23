"""``janusctl completion bash|zsh``: a shell completion script made from the parser.

The script knows every subcommand (plugin packages' included, as installed when it was made)
and each one's options: ``eval "$(janusctl completion bash)"`` in ``~/.bashrc``, or
``janusctl completion zsh`` (bash completion through zsh's ``bashcompinit``).
"""

from __future__ import annotations

import argparse
import shlex

from .command import Command, Context

__all__ = ["COMMAND", "script"]

SHELLS = ("bash", "zsh")

_FUNCTION = """\
_janusctl() {
    local cur="${COMP_WORDS[COMP_CWORD]}" path=janusctl word i
    for ((i = 1; i < COMP_CWORD; i++)); do
        word="${COMP_WORDS[i]}"
        if [[ "$word" != -* && " ${_janusctl_commands[$path]} " == *" $word "* ]]; then
            path="$path/$word"
        fi
    done
    if [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "${_janusctl_options[$path]}" -- "$cur"))
    else
        COMPREPLY=($(compgen -W "${_janusctl_commands[$path]}" -- "$cur"))
    fi
}
complete -o default -F _janusctl janusctl
"""


def _walk(parser: argparse.ArgumentParser, path: str, into: dict[str, tuple[str, str]]) -> None:
    options = sorted(s for a in parser._actions for s in a.option_strings if s.startswith("--"))
    names: list[str] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                names.append(name)
                _walk(sub, f"{path}/{name}", into)
    into[path] = (" ".join(names), " ".join(options))


def script(parser: argparse.ArgumentParser, shell: str) -> str:
    """Return the completion script of ``parser``'s command tree for ``shell``."""
    tree: dict[str, tuple[str, str]] = {}
    _walk(parser, "janusctl", tree)
    lines = [f'# janusctl completion: eval "$(janusctl completion {shell})"']
    if shell == "zsh":
        lines += ["autoload -U +X bashcompinit && bashcompinit"]
    lines += ["declare -A _janusctl_commands _janusctl_options"]
    for path, (names, options) in sorted(tree.items()):
        key = shlex.quote(path)
        lines.append(f"_janusctl_commands[{key}]={shlex.quote(names)}")
        lines.append(f"_janusctl_options[{key}]={shlex.quote(options)}")
    return "\n".join(lines) + "\n" + _FUNCTION


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("shell", choices=SHELLS, help="the shell to complete in")


async def _run(ctx: Context) -> None:
    ctx.out.write(script(ctx.args._parser, ctx.args.shell))


COMMAND = Command("completion", "print a shell completion script (bash or zsh)", _run, _arguments)
