"""Load atmos's CLI test cases the way tests/cli_test.go does (loadTestSuites + t.Run naming)."""

import os
import re

import yaml


class _Loader(yaml.SafeLoader):
    pass


def _not(loader, node):
    return {"pattern": loader.construct_scalar(node), "negate": True}


_Loader.add_constructor("!not", _not)


def _pattern(p):
    if isinstance(p, dict):
        return p
    return {"pattern": "" if p is None else str(p), "negate": False}


def go_subtest_name(name):
    """testing.rewrite: spaces become '_', unprintable runes are quoted."""
    out = []
    for ch in name:
        if ch.isspace():
            out.append("_")
        elif not ch.isprintable():
            out.append(repr(ch)[1:-1])
        else:
            out.append(ch)
    return "".join(out)


_INVALID = re.compile(r'[<>:"/\\|?*\x00-\x1F]')


def snapshot_base(full_name):
    """sanitizeTestName of cli_test.go."""
    name = full_name.replace("/", "_")
    name = _INVALID.sub("_", name)
    return name.rstrip(" .")


def load_cases(tests_dir):
    """Every case of tests/test-cases/*.yaml (top level only, sorted by file name, as os.ReadDir)."""
    cases_dir = os.path.join(tests_dir, "test-cases")
    seen = {}
    cases = []
    for entry in sorted(os.listdir(cases_dir)):
        path = os.path.join(cases_dir, entry)
        if not entry.endswith(".yaml") or os.path.isdir(path):
            continue
        with open(path) as f:
            doc = yaml.load(f, Loader=_Loader) or {}
        for tc in doc.get("tests") or []:
            expect = tc.get("expect") or {}
            for key in ("stdout", "stderr", "tty"):
                expect[key] = [_pattern(p) for p in (expect.get(key) or [])]
            sub = go_subtest_name(str(tc.get("name", "")))
            # t.Run makes duplicate names unique with #01, #02, ...
            if sub in seen:
                seen[sub] += 1
                sub = f"{sub}#{seen[sub]:02d}"
            else:
                seen[sub] = 0
            skip_os = (tc.get("skip") or {}).get("os")
            cases.append({
                "name": str(tc.get("name", "")),
                "subtest": sub,
                "snapshot_base": snapshot_base("TestCLICommands/" + sub),
                "file": entry,
                "enabled": bool(tc.get("enabled")),
                "workdir": tc.get("workdir") or "",
                "command": tc.get("command") or "",
                "args": [str(a) for a in (tc.get("args") or [])],
                "env": tc.get("env") or {},
                "expect": expect,
                "tty": bool(tc.get("tty")),
                "snapshot": bool(tc.get("snapshot")),
                "preconditions": tc.get("preconditions") or [],
                "skip_os": _pattern(skip_os) if skip_os is not None else None,
                "short": tc.get("short"),
            })
    return cases
