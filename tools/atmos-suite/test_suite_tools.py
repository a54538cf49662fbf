"""Tests of the harness's own logic (no atmos tree or kit needed):
    python3 -m unittest discover -s tools/atmos-suite -p 'test_*.py'"""

import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from suite_cases import go_subtest_name, snapshot_base, load_cases  # noqa: E402
from suite_compare import check_translated_order, data_diff, parse_data, sanitize, compare_stdout, check_patterns, _custom_sanitize  # noqa: E402
from suite_map import map_args, unsupported_signal, refusal_is_the_point, skip_reason  # noqa: E402


class Naming(unittest.TestCase):
    def test_snapshot_name_as_go(self):
        sub = go_subtest_name("describe component with current directory (.)")
        self.assertEqual(snapshot_base("TestCLICommands/" + sub),
                         "TestCLICommands_describe_component_with_current_directory_(.)")
        self.assertEqual(snapshot_base("TestCLICommands/a:b?"), "TestCLICommands_a_b_")

    def test_duplicates_numbered_in_file_order(self):
        with tempfile.TemporaryDirectory() as d:
            os.makedirs(os.path.join(d, "test-cases"))
            for f in ("a.yaml", "b.yaml"):
                with open(os.path.join(d, "test-cases", f), "w") as fh:
                    fh.write("tests:\n  - name: same name\n    enabled: true\n    command: atmos\n"
                             "    args: [list, stacks]\n    expect:\n      exit_code: 0\n"
                             "      stderr:\n        - !not 'boom'\n")
            cases = load_cases(d)
            self.assertEqual([c["subtest"] for c in cases], ["same_name", "same_name#01"])
            self.assertEqual(cases[0]["expect"]["stderr"], [{"pattern": "boom", "negate": True}])


class Compare(unittest.TestCase):
    def test_data_diff_paths(self):
        d = data_diff({"a": 1, "b": {"c": [1, 2]}, "x": "y"}, {"a": 1.0, "b": {"c": [1, 3]}, "z": 0})
        self.assertEqual([(p, k) for p, k, _, _ in d],
                         [(".b.c[1]", "differs"), (".x", "missing in kit"), (".z", "extra in kit")])

    def test_bool_is_not_int(self):
        self.assertEqual(len(data_diff({"a": True}, {"a": 1})), 1)
        self.assertEqual(len(data_diff({"a": "true"}, {"a": True})), 1)

    def test_parse_yaml_with_tags_and_json(self):
        self.assertEqual(parse_data("a: !terraform.state vpc .id\n"), {"a": "!terraform.state vpc .id"})
        self.assertEqual(parse_data('{"a": [1]}'), {"a": [1]})
        self.assertIsNone(parse_data("dev\nprod\n"))

    def test_sanitize_paths(self):
        self.assertEqual(sanitize("at /tmp/x/atmos//tests/f", "/tmp/x/atmos"), "at /absolute/path/to/repo/tests/f")

    def test_go_replacement_syntax(self):
        self.assertEqual(_custom_sanitize("id-42 x", {r"id-(\d+)": "N${1}-$1"}), "N42-42 x")

    def test_snapshot_data_compare_with_filters(self):
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "T.stdout.golden"), "w") as f:
                f.write("vars:\n  a: 1\n  when: 2020\n")
            case = {"snapshot": True, "snapshot_base": "T", "expect": {"diff": ["when:"]}}
            ok = compare_stdout(case, "vars:\n  a: 1\n  when: 2026\n", d, data_command=True)
            self.assertTrue(ok["ok"], ok)
            bad = compare_stdout(case, '{"vars": {"a": 2}}', d, data_command=True)
            self.assertFalse(bad["ok"])
            self.assertIn(".vars.a", bad["detail"])

    def test_empty_atmos_stdout(self):
        with tempfile.TemporaryDirectory() as d:
            open(os.path.join(d, "T.stdout.golden"), "w").close()
            case = {"snapshot": True, "snapshot_base": "T", "expect": {}}
            self.assertFalse(compare_stdout(case, "a: 1\n", d, data_command=True)["ok"])
            plan = compare_stdout(case, "# kit: write x\n", d, data_command=False)
            self.assertTrue(plan["ok"])
            self.assertFalse(plan["counts"])

    def test_negated_patterns(self):
        # Go semantics: without (?m), ^ and $ are the ends of the whole text ($ not before a final newline).
        c = check_patterns("stdout", "dev\nprod\n", [{"pattern": "^prod$", "negate": True}], counts=True)
        self.assertTrue(c[0]["ok"])
        c = check_patterns("stdout", "prod\n", [{"pattern": "^prod$", "negate": True}], counts=True)
        self.assertTrue(c[0]["ok"])
        c = check_patterns("stdout", "dev\nprod", [{"pattern": "(?m)^prod$", "negate": True}], counts=True)
        self.assertFalse(c[0]["ok"])
        c = check_patterns("stdout", "prod", [{"pattern": "^prod$", "negate": True}], counts=True)
        self.assertFalse(c[0]["ok"])
        c = check_patterns("stdout", "production", [{"pattern": "^prod$", "negate": True}], counts=True)
        self.assertTrue(c[0]["ok"])


class Order(unittest.TestCase):
    def test_translated_order(self):
        pats = [{"pattern": "(?s)Would plan vpc in prod.*Would plan eks/cluster in prod", "negate": False},
                {"pattern": "Would plan", "negate": False}]
        ok = check_translated_order("[prod/vpc] a\n[prod/eks/cluster] b\n[prod/vpc] c\n", pats)
        self.assertEqual([c["ok"] for c in ok], [True])
        bad = check_translated_order("[prod/eks/cluster] b\n[prod/vpc] a\n", pats)
        self.assertEqual([c["ok"] for c in bad], [False])
        self.assertFalse(check_translated_order("[prod/vpc] a\n", pats)[0]["ok"])


class Mapping(unittest.TestCase):
    def test_aliases_and_dropped_flags(self):
        args, notes, _ = map_args(["describe", "config", "-f", "yaml", "--pager=more", "--logs-level", "Debug"])
        self.assertEqual(args, ["describe", "config", "--format", "yaml"])
        self.assertEqual(len(notes), 3)
        args, notes, _ = map_args(["terraform", "plan", "c", "-s", "dev", "--init-pass-vars", "--dry-run"])
        self.assertEqual(args[-2:], ["--init-pass-vars", "--dry-run"])
        self.assertTrue(any("--init-pass-vars" in n for n in notes))

    def test_unsupported_signals(self):
        self.assertEqual(unsupported_signal(64, "error: 'kit auth' is not supported by kit — x")["kind"], "command")
        self.assertEqual(unsupported_signal(64, "Error: 2 unexpected arguments: 'greet', 'Neo'")["token"], "greet")
        self.assertEqual(unsupported_signal(64, "Error: Unknown option '--identity'")["kind"], "option")
        self.assertIsNone(unsupported_signal(1, "Error: Unknown option '--identity'"))
        self.assertIsNone(unsupported_signal(64, "error: the component 'vpc' cannot be used with --all"))

    def test_refusal_is_the_point_only_for_the_unknown_token(self):
        case = {"expect": {"exit_code": 1}, "name": "atmos auth invalid-command"}
        self.assertTrue(refusal_is_the_point(case, unsupported_signal(64, "Error: Unexpected argument 'non-existent'")))
        self.assertFalse(refusal_is_the_point(case, unsupported_signal(64, "error: 'kit auth' is not supported by kit")))
        self.assertFalse(refusal_is_the_point({"expect": {"exit_code": 0}, "name": "x"},
                                              unsupported_signal(64, "Error: Unexpected argument 'invalid'")))

    def test_skip_reasons(self):
        base = {"command": "atmos", "tty": False, "skip_os": None, "preconditions": [], "args": ["list", "stacks"]}
        self.assertIsNone(skip_reason(base))
        self.assertIn("terminal", skip_reason(dict(base, tty=True)))
        self.assertIn("network", skip_reason(dict(base, preconditions=["github_token"])))
        self.assertIn("help", skip_reason(dict(base, args=["terraform", "--help"])))
        self.assertIn("version", skip_reason(dict(base, args=["--logs-level", "Info", "version"])))
        self.assertIsNone(skip_reason(dict(base, args=["install", "--version", "1.2.3"])))
        self.assertIn("version", skip_reason(dict(base, args=["--chdir", "examples/demo-stacks", "version"])))
        self.assertIn("version", skip_reason(dict(base, args=["-C", "x", "version"], expect={"exit_code": 0})))
        self.assertIsNone(skip_reason(dict(base, args=["--chdir", "bad", "version"], expect={"exit_code": 1})))
        self.assertIn("linux", skip_reason(dict(base, skip_os={"pattern": "linux", "negate": True})))


if __name__ == "__main__":
    unittest.main()
