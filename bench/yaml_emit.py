"""Minimal deterministic YAML emitter for the stack generator (python3 stdlib only).

Emits block-style YAML the way people write atmos stacks by hand: maps and lists in block
style, plain scalars where they are unambiguous, double-quoted (JSON-escaped) strings
otherwise. Key order is the insertion order of the dicts handed in, so output is
deterministic as long as the generator is.
"""

import json
import re

_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_./-]*$")
_RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}


class Tagged:
    """A value carrying a YAML tag, e.g. Tagged('!env', 'VAR default') or Tagged('!append', [..])."""

    def __init__(self, tag, value):
        self.tag = tag
        self.value = value


def scalar(value):
    """Render a scalar (None, bool, int, float, str) as a YAML token."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        if _PLAIN.match(value) and value.lower() not in _RESERVED:
            return value
        return json.dumps(value)
    raise TypeError(f"unsupported scalar {value!r}")


def _is_inline(value):
    return not isinstance(value, (dict, list, Tagged)) or value in ({}, [])


def _inline(value):
    if value == {}:
        return "{}"
    if value == []:
        return "[]"
    return scalar(value)


def _emit_map(mapping, indent, out):
    pad = " " * indent
    for key, value in mapping.items():
        k = scalar(key)
        if isinstance(value, Tagged):
            if isinstance(value.value, list):
                out.append(f"{pad}{k}: {value.tag}")
                _emit_list(value.value, indent + 2, out)
            else:
                out.append(f"{pad}{k}: {value.tag} {value.value}")
        elif _is_inline(value):
            out.append(f"{pad}{k}: {_inline(value)}")
        elif isinstance(value, dict):
            out.append(f"{pad}{k}:")
            _emit_map(value, indent + 2, out)
        else:
            out.append(f"{pad}{k}:")
            _emit_list(value, indent + 2, out)


def _emit_list(items, indent, out):
    pad = " " * indent
    for item in items:
        if _is_inline(item):
            out.append(f"{pad}- {_inline(item)}")
        elif isinstance(item, dict):
            start = len(out)
            _emit_map(item, indent + 2, out)
            out[start] = f"{pad}- " + out[start][indent + 2:]
        else:
            raise TypeError("nested lists and tagged list items are not emitted")


def dump(document, header=None):
    """Return the YAML text for a top-level mapping, with an optional comment header."""
    out = []
    if header:
        out.extend(f"# {line}" if line else "#" for line in header.splitlines())
    _emit_map(document, 0, out)
    return "\n".join(out) + "\n"
