"""atmos command line -> kit command line, skip reasons, and kit's "not supported" signals."""

import re
import shutil

# Commands whose stdout is the result (compared even when atmos's snapshot stdout is empty).
DATA_COMMANDS = {"describe", "list"}

# atmos flags that only change logging or paging; kit has no equivalent and they do not change data.
_DROP_WITH_VALUE = {"--logs-level", "--pager"}

# kit's own terraform flags (everything else kit hands to terraform unchanged).
_KIT_TERRAFORM_FLAGS = {"-s", "--stack", "--dry-run", "--skip-init", "--init", "--from-plan", "--planfile",
                        "--skip-planfile", "--override-guardrails", "--all", "--components", "--query",
                        "--affected", "--base-path", "--config", "--config-path", "--stacks-dir",
                        "--terraform-dir", "--no-color", "--untrusted", "--diagnostics", "--help", "-h",
                        "--clean", "--file", "-f"}

_TOOL_PRECONDITIONS = {"terraform": ["terraform"], "tofu": ["tofu"], "terraform_or_tofu": ["terraform", "tofu"],
                       "packer": ["packer"], "helmfile": ["helmfile"]}


def _go_regex_matches(pattern, text):
    try:
        return re.search(pattern, text) is not None
    except re.error:
        return False


def skip_reason(case):
    """Why a case is not run against kit, or None."""
    if case["command"] != "atmos":
        return f"runs '{case['command']}', not atmos (terminal emulation)"
    if case["tty"]:
        return "needs a terminal (tty: true)"
    so = case.get("skip_os")
    if so is not None:
        m = _go_regex_matches(so["pattern"], "linux")
        if (so["negate"] and m) or (not so["negate"] and not m):
            return "atmos skips it on linux (skip.os)"
    for pre in case["preconditions"]:
        if pre == "github_token":
            return "needs the network (GitHub; precondition github_token)"
        if pre == "aws_credentials":
            return "needs AWS credentials"
        tools = _TOOL_PRECONDITIONS.get(pre)
        if tools and not any(shutil.which(t) for t in tools):
            return f"needs {' or '.join(tools)}, not installed here (precondition {pre})"
    args = [a for a in map_args(case["args"])[0]]
    if not args:
        return "atmos with no arguments: atmos's own help/TUI text"
    if any(a in ("--help", "-h", "help") or a.startswith("--help=") for a in args):
        return "help text: each tool's own wording"
    words = _after_chdir(args)
    if words and words[0] in ("version", "--version", "-v") and (words is args or case.get("expect", {}).get("exit_code", 0) == 0):
        # After -C/--chdir, only a successful version run is version text; a failing one tests -C itself.
        return "version text: each tool's own"
    return None


def _after_chdir(args):
    """args without the leading global -C/--chdir flags (the same list when there are none)."""
    i = 0
    while i < len(args):
        a = args[i]
        if a in ("-C", "--chdir"):
            i += 2
        elif a.startswith("--chdir=") or (a.startswith("-C") and len(a) > 2):
            i += 1
        else:
            break
    return args if i == 0 else args[i:]


def map_args(atmos_args):
    """(kit_args, notes, unsupported_flag). Aliases only; kit refuses what it does not know itself."""
    notes = []
    out = []
    i = 0
    command = _after_chdir(atmos_args)
    family = command[0] if command else ""
    while i < len(atmos_args):
        a = atmos_args[i]
        name = a.split("=", 1)[0]
        if name in _DROP_WITH_VALUE:
            notes.append(f"dropped {a if '=' in a else a + ' ' + (atmos_args[i + 1] if i + 1 < len(atmos_args) else '')}"
                         " (logging/paging only)")
            i += 1 if "=" in a else 2
            continue
        if family in ("describe", "list") and a in ("-f",) and i + 1 < len(atmos_args):
            out += ["--format", atmos_args[i + 1]]
            notes.append("-f -> --format")
            i += 2
            continue
        if family in ("describe", "list") and a == "-q" and i + 1 < len(atmos_args):
            out += ["--query", atmos_args[i + 1]]
            notes.append("-q -> --query")
            i += 2
            continue
        if family == "terraform" and a.startswith("-") and name not in _KIT_TERRAFORM_FLAGS and a != "--" \
                and "--" not in atmos_args[:i]:
            notes.append(f"atmos flag {a} is no kit flag: kit hands it to terraform")
        out.append(a)
        i += 1
    return out, notes, None


_NOT_SUPPORTED = re.compile(r"is not supported by kit")
_UNEXPECTED_ARG = re.compile(r"Error: Unexpected argument '([^']*)'")
_UNEXPECTED_ARGS = re.compile(r"Error: \d+ unexpected arguments: '([^']*)'")
_UNKNOWN_OPTION = re.compile(r"Error: Unknown option '([^']*)'")


_ABOUT_UNKNOWN = re.compile(r"non-?existent|invalid|unknown|\bdne\b", re.I)


def refusal_is_the_point(case, unsupported):
    """A case that expects atmos to refuse an unknown command or flag (`atmos non-existent`,
    `--nonexistent-flag`): kit refusing the same token counts as agreement. A command kit does not
    have at all ('is not supported by kit', or a first token kit does not know that is a real atmos
    command) stays unsupported."""
    if not unsupported or case["expect"].get("exit_code", 0) == 0:
        return False
    token = unsupported.get("token")
    return bool(token) and bool(_ABOUT_UNKNOWN.search(token))


def unsupported_signal(kit_exit, stderr):
    """kit's refusal of a command or option it does not have (exit 64), else None."""
    if kit_exit != 64:
        return None
    m = _NOT_SUPPORTED.search(stderr)
    if m:
        line = next((ln for ln in stderr.splitlines() if "is not supported by kit" in ln), "")
        return {"kind": "command", "detail": line.strip()}
    m = _UNEXPECTED_ARG.search(stderr)
    if m:
        return {"kind": "command", "token": m.group(1), "detail": f"unknown subcommand or argument '{m.group(1)}'"}
    m = _UNEXPECTED_ARGS.search(stderr)
    if m:
        return {"kind": "command", "token": m.group(1), "detail": f"unknown subcommand or argument '{m.group(1)}'"}
    m = _UNKNOWN_OPTION.search(stderr)
    if m:
        return {"kind": "option", "token": m.group(1), "detail": f"unknown option '{m.group(1)}'"}
    return None
