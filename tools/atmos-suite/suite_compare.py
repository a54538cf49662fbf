"""Compare kit's output with atmos's snapshot and expectations: as data when both parse, else as text."""

import json
import os
import re

import yaml

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")
PLACEHOLDER = "/absolute/path/to/repo/"


def strip_ansi(text):
    return _ANSI.sub("", text)


def sanitize(text, tree):
    """Paths inside the case's copy of atmos's tree read as in atmos's snapshots."""
    for root in {tree, os.path.realpath(tree)}:
        text = re.sub(re.escape(root) + "/*", PLACEHOLDER, text)
    text = re.sub(r"/absolute/path/to/repo/+", PLACEHOLDER, text)
    return text


def _go_regex(pattern):
    """Go's RE2 and Python's re agree on what the suite uses, except: Go's `$` (without (?m)) matches
    only at the end of the text, Python's also before a final newline; and Go's \\z is Python's \\Z."""
    p = pattern.replace(r"\z", r"\Z")
    if "(?m" not in p and "(?sm" not in p and "(?ms" not in p:
        p = re.sub(r"(?<!\\)\$", r"\\Z", p)
    return re.compile(p)


def _ignore_lines(text, patterns):
    if not patterns:
        return text
    regs = []
    for p in patterns:
        try:
            regs.append(_go_regex(p))
        except re.error:
            pass
    return "\n".join(ln for ln in text.split("\n") if not any(r.search(ln) for r in regs))


def _go_replacement(rep):
    """Go's $1 / ${name} replacement syntax as Python's \\g<1>."""
    rep = rep.replace("\\", "\\\\")
    return re.sub(r"\$\{(\w+)\}|\$(\w+)", lambda m: "\\g<" + (m.group(1) or m.group(2)) + ">", rep)


def _custom_sanitize(text, mapping):
    for pat, rep in (mapping or {}).items():
        try:
            text = _go_regex(pat).sub(_go_replacement(rep), text)
        except re.error:
            pass
    return text


class _AnyTagLoader(yaml.SafeLoader):
    pass


def _tagged(loader, tag_suffix, node):
    if isinstance(node, yaml.ScalarNode):
        return f"!{tag_suffix} {loader.construct_scalar(node)}".rstrip()
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_mapping(node, deep=True)


_AnyTagLoader.add_multi_constructor("!", _tagged)


def parse_data(text):
    """A dict or list from JSON or YAML text, else None."""
    s = text.strip()
    if not s:
        return None
    try:
        v = json.loads(s)
        return v if isinstance(v, (dict, list)) else None
    except ValueError:
        pass
    try:
        v = yaml.load(s, Loader=_AnyTagLoader)
        return v if isinstance(v, (dict, list)) else None
    except yaml.YAMLError:
        return None


def _norm_scalar(v):
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def data_diff(a, k, path="", out=None, limit=200):
    """(path, kind, atmos value, kit value) for every difference, atmos = a, kit = k."""
    if out is None:
        out = []
    if len(out) >= limit:
        return out
    if isinstance(a, dict) and isinstance(k, dict):
        for key in sorted(set(a) | set(k), key=str):
            p = f"{path}.{key}"
            if key not in k:
                out.append((p, "missing in kit", a[key], None))
            elif key not in a:
                out.append((p, "extra in kit", None, k[key]))
            else:
                data_diff(a[key], k[key], p, out, limit)
        return out
    if isinstance(a, list) and isinstance(k, list):
        if len(a) != len(k):
            out.append((path, f"list length {len(a)} vs {len(k)}", a, k))
            return out
        for i, (x, y) in enumerate(zip(a, k)):
            data_diff(x, y, f"{path}[{i}]", out, limit)
        return out
    na, nk = _norm_scalar(a), _norm_scalar(k)
    if type(na) is not type(nk) or na != nk:
        if isinstance(na, (int, float)) and isinstance(nk, (int, float)) and not isinstance(na, bool) \
                and not isinstance(nk, bool) and na == nk:
            return out
        out.append((path or ".", "differs", a, k))
    return out


def _short(v, n=80):
    s = json.dumps(v, sort_keys=True, default=str)
    return s if len(s) <= n else s[: n - 3] + "..."


def summarize_diff(diffs, n=6):
    parts = []
    for p, kind, a, k in diffs[:n]:
        if kind == "missing in kit":
            parts.append(f"{p} missing in kit (atmos {_short(a, 60)})")
        elif kind == "extra in kit":
            parts.append(f"{p} extra in kit ({_short(k, 60)})")
        elif kind.startswith("list length"):
            parts.append(f"{p}: {kind}")
        else:
            parts.append(f"{p}: atmos {_short(a, 50)} / kit {_short(k, 50)}")
    more = f" (+{len(diffs) - n} more)" if len(diffs) > n else ""
    return "; ".join(parts) + more


def _norm_text(text):
    lines = [ln.rstrip() for ln in text.replace("\r\n", "\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return lines


def compare_stdout(case, out, snapdir, data_command):
    """The stdout check against atmos's snapshot (None when the case has no snapshot)."""
    if not case["snapshot"]:
        return None
    path = os.path.join(snapdir, case["snapshot_base"] + ".stdout.golden")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8", errors="replace") as f:
        expected = f.read()
    ignore = case["expect"].get("diff") or []
    actual = _custom_sanitize(out, case["expect"].get("sanitize"))
    expected, actual = _ignore_lines(expected, ignore), _ignore_lines(actual, ignore)
    check = {"name": "stdout snapshot", "counts": True}
    if not expected.strip():
        if data_command:
            check.update(ok=not actual.strip(), mode="text",
                         detail="atmos prints nothing on stdout" + ("" if not actual.strip() else
                                                                   f"; kit printed {len(actual)} bytes"))
        else:
            check.update(ok=True, counts=False, mode="text",
                         detail="atmos prints nothing on stdout (kit's stdout not compared)" if actual.strip()
                         else "both print nothing on stdout")
        return check
    da, dk = parse_data(expected), parse_data(actual)
    if da is not None and expected.lstrip().startswith("# Provenance Legend") and isinstance(dk, dict) \
            and not actual.lstrip().startswith("# Provenance Legend"):
        # atmos 0a1cb448 prints its provenance view (the stack's own sections, annotated) for
        # `describe component` in these cases. Compared: the sections both print, as data.
        # atmos's `import` (the stack manifest's raw import list) has no counterpart in kit's document.
        shown = {k: v for k, v in da.items() if k != "import"}
        diffs = data_diff(shown, {k: dk.get(k) for k in shown})
        check.update(ok=not diffs, mode="data", ndiffs=len(diffs), provenance_view=True,
                     detail=("same data in the sections atmos's provenance view prints (" +
                             ", ".join(sorted(shown)) + "; 'import' not compared)") if not diffs
                     else "atmos's provenance view vs kit: " + summarize_diff(diffs),
                     diffs=[{"path": p, "kind": kd, "atmos": _short(a, 300), "kit": _short(k, 300)}
                            for p, kd, a, k in diffs[:60]])
        return check
    if da is not None:
        if dk is None:
            check.update(ok=False, mode="data", detail="atmos prints data; kit's stdout does not parse as JSON/YAML")
            return check
        diffs = data_diff(da, dk)
        check.update(ok=not diffs, mode="data", ndiffs=len(diffs),
                     detail=summarize_diff(diffs) if diffs else "same data",
                     diffs=[{"path": p, "kind": kd, "atmos": _short(a, 300), "kit": _short(k, 300)}
                            for p, kd, a, k in diffs[:60]])
        return check
    le, la = _norm_text(expected), _norm_text(actual)
    if le == la:
        check.update(ok=True, mode="text", detail="same text")
    elif sorted(le) == sorted(la):
        check.update(ok=False, mode="text", detail="same lines, different order")
    else:
        missing = [ln for ln in le if ln not in la][:5]
        extra = [ln for ln in la if ln not in le][:5]
        check.update(ok=False, mode="text", detail=f"text differs: atmos-only lines {missing}; kit-only lines {extra}")
    return check


def check_patterns(stream, text, patterns, counts):
    checks = []
    for p in patterns or []:
        try:
            matched = _go_regex(p["pattern"]).search(text) is not None
        except re.error as e:
            checks.append({"name": f"{stream} regex", "ok": False, "counts": False,
                           "detail": f"pattern {p['pattern']!r} is no Python regex: {e}"})
            continue
        ok = matched != p["negate"]
        checks.append({"name": f"{stream} regex", "ok": ok, "counts": counts,
                       "detail": f"{'!not ' if p['negate'] else ''}{p['pattern']!r} {'ok' if ok else 'FAILED'}"})
    return checks


def check_valid(out, formats):
    checks = []
    for fmt in formats or []:
        ok = True
        try:
            if fmt == "json":
                json.loads(out)
            else:
                yaml.load(out, Loader=_AnyTagLoader)
        except (ValueError, yaml.YAMLError):
            ok = False
        checks.append({"name": f"valid {fmt}", "ok": ok, "counts": True,
                       "detail": f"stdout is {'valid' if ok else 'not valid'} {fmt}"})
    return checks


def check_files(workdir, expect):
    checks = []
    for f in expect.get("file_exists") or []:
        ok = os.path.exists(os.path.join(workdir, f))
        checks.append({"name": "file_exists", "ok": ok, "counts": True, "detail": f"{f} {'exists' if ok else 'MISSING'}"})
    for f in expect.get("file_not_exists") or []:
        ok = not os.path.exists(os.path.join(workdir, f))
        checks.append({"name": "file_not_exists", "ok": ok, "counts": True,
                       "detail": f"{f} {'absent' if ok else 'EXISTS'}"})
    for f, pats in (expect.get("file_contains") or {}).items():
        p = os.path.join(workdir, f)
        text = open(p, encoding="utf-8", errors="replace").read() if os.path.exists(p) else ""
        for pat in pats or []:
            pat = pat if isinstance(pat, dict) else {"pattern": str(pat), "negate": False}
            try:
                ok = (_go_regex(pat["pattern"]).search(text) is not None) != pat["negate"]
            except re.error:
                ok = False
            checks.append({"name": "file_contains", "ok": ok, "counts": True,
                           "detail": f"{f}: {pat['pattern']!r} {'ok' if ok else 'FAILED'}"})
    return checks


_ORDER = re.compile(r"^\(\?s\)Would (\S+(?: \S+)?) (\S+) in (\S+)\.\*Would \1 (\S+) in (\S+)$")


def check_translated_order(out, stderr_patterns):
    """atmos asserts estate order on its stderr ('(?s)Would plan A in S.*Would plan B in S'); kit prints
    each component's lines on stdout prefixed '[S/A]'. The order is compared on kit's first line per
    component: the same assertion, translated."""
    checks = []
    for p in stderr_patterns or []:
        m = _ORDER.match(p["pattern"])
        if not m or p["negate"]:
            continue
        _, a, sa, b, sb = m.groups()
        ia, ib = out.find(f"[{sa}/{a}]"), out.find(f"[{sb}/{b}]")
        ok = ia >= 0 and ib >= 0 and ia < ib
        checks.append({"name": "order (atmos stderr pattern, translated)", "ok": ok, "counts": True,
                       "detail": f"{sa}/{a} before {sb}/{b}: {'ok' if ok else 'FAILED'} (kit stdout positions {ia}, {ib})"})
    return checks
