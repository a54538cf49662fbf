import Foundation
import KitModel
import KitStacks
import KitTerraform

/// Renders recorded runs for people (a table, a detail page) and machines (a JSON `Value`).
/// Times are UTC; nothing here depends on the locale or the time zone of the machine.
public enum RunReport {
    /// The column headers of `table`.
    static let headers = ["ID", "STARTED (UTC)", "STACK", "COMPONENT", "COMMAND", "RESULT", "EXIT", "DURATION", "+/~/-"]

    /// One line per run under a header line, columns padded to their widest cell; "" for no runs.
    public static func table(_ runs: [RecordedRun]) -> String {
        if runs.isEmpty { return "" }
        let rows = [headers] + runs.map { run in
            [run.id.map(String.init) ?? "-", time(run.startedAt), run.stack, run.component,
             run.subcommand + (run.dryRun ? " (dry run)" : ""), shownResult(run), run.result == RunRecorder.running ? "-" : String(run.exitCode),
             duration(run.durationMilliseconds), changes(run)]
        }
        var widths = [Int](repeating: 0, count: headers.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        return rows.map { row in
            row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }.joined(separator: "  ") + "\n"
        }.joined()
    }

    /// Every field of one run, one `label  value` line each, for `kit runs show`.
    public static func text(_ run: RecordedRun) -> String {
        var lines: [(String, String)] = [
            ("run", run.id.map(String.init) ?? "-"),
            ("started", time(run.startedAt, milliseconds: true) + " UTC"),
            ("duration", duration(run.durationMilliseconds)),
            ("user", run.user),
            ("git commit", run.gitCommit ?? "-"),
            ("group", run.group ?? "-"),
            ("stack", run.stack),
            ("component", run.component),
            ("command", ([run.subcommand] + run.arguments).joined(separator: " ")),
            ("dry run", run.dryRun ? "yes" : "no"),
            ("result", shownResult(run)),
            ("exit code", run.result == RunRecorder.running ? "-" : String(run.exitCode)),
            ("plan", changes(run)),
        ]
        lines += labelled("changed", run.changedAddresses)
        lines += labelled("findings", run.findings.map { f in
            "\(f.severity) \(f.policy): \(f.message)" + (f.path.map { " (\($0))" } ?? "")
        })
        lines.append(("override", run.overrideReason ?? "-"))
        let width = lines.map(\.0.count).max() ?? 0
        return lines.map { label, value in
            var line = label.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value
            while line.hasSuffix(" ") { line.removeLast() }
            return line + "\n"
        }.joined()
    }

    /// The run as a JSON object; keys are the database's column names (see docs/runs.md).
    public static func value(_ run: RecordedRun) -> Value {
        func optional(_ s: String?) -> Value { s.map(Value.string) ?? .null }
        func optional(_ i: Int?) -> Value { i.map(Value.int) ?? .null }
        return .map([
            "id": run.id.map { .int(Int($0)) } ?? .null,
            "group": optional(run.group),
            "started_at": .string(iso8601(run.startedAt)),
            "duration_ms": .int(run.durationMilliseconds),
            "user": .string(run.user),
            "git_commit": optional(run.gitCommit),
            "stack": .string(run.stack),
            "component": .string(run.component),
            "subcommand": .string(run.subcommand),
            "arguments": .list(run.arguments.map(Value.string)),
            "dry_run": .bool(run.dryRun),
            "exit_code": .int(Int(run.exitCode)),
            "result": .string(run.result),
            "plan_add": optional(run.planAdd),
            "plan_change": optional(run.planChange),
            "plan_destroy": optional(run.planDestroy),
            "changed_addresses": .list(run.changedAddresses.map(Value.string)),
            "findings": .list(run.findings.map { f in
                .map(["severity": .string(f.severity), "policy": .string(f.policy),
                      "message": .string(f.message), "path": optional(f.path)])
            }),
            "override_reason": optional(run.overrideReason),
        ])
    }

    /// The result as people read it: a row still `running` is a run in progress or one whose kit was
    /// killed (SIGKILL, power loss) before it could record the end — either way its outcome is unknown,
    /// and terraform may have changed infrastructure.
    static func shownResult(_ run: RecordedRun) -> String {
        run.result == RunRecorder.running ? "running (unknown outcome)" : run.result
    }

    /// `+add ~change -destroy`, or `-` when the run made no plan.
    static func changes(_ run: RecordedRun) -> String {
        guard run.planAdd != nil || run.planChange != nil || run.planDestroy != nil else { return "-" }
        return "+\(run.planAdd ?? 0) ~\(run.planChange ?? 0) -\(run.planDestroy ?? 0)"
    }

    /// `850ms`, `12.3s`, `4m05s`, `1h02m`.
    static func duration(_ milliseconds: Int) -> String {
        if milliseconds < 1_000 { return "\(milliseconds)ms" }
        if milliseconds < 60_000 { return String(format: "%.1fs", Double(milliseconds) / 1000) }
        let seconds = milliseconds / 1000
        if seconds < 3_600 { return "\(seconds / 60)m\(two(seconds % 60))s" }
        return "\(seconds / 3_600)h\(two((seconds % 3_600) / 60))m"
    }

    /// `2026-11-30 08:05:09` (optionally `.123`), UTC.
    static func time(_ date: Date, milliseconds: Bool = false) -> String {
        let f = fields(date)
        let base = "\(f.year)-\(two(f.month))-\(two(f.day)) \(two(f.hour)):\(two(f.minute)):\(two(f.second))"
        return milliseconds ? base + "." + three(f.millisecond) : base
    }

    /// `2026-11-30T08:05:09.123Z`.
    static func iso8601(_ date: Date) -> String {
        let f = fields(date)
        return "\(f.year)-\(two(f.month))-\(two(f.day))T\(two(f.hour)):\(two(f.minute)):\(two(f.second)).\(three(f.millisecond))Z"
    }

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    private static func three(_ n: Int) -> String { n < 10 ? "00\(n)" : n < 100 ? "0\(n)" : "\(n)" }

    private static func fields(_ date: Date) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, millisecond: Int) {
        let total = RunRows.milliseconds(date)
        let millisecond = Int(((total % 1000) + 1000) % 1000)
        let whole = Date(timeIntervalSince1970: Double((total - Int64(millisecond)) / 1000))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: whole)
        return (c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0, millisecond)
    }

    /// The first item beside `label`, the rest on lines of their own with an empty label; `-` for none.
    private static func labelled(_ label: String, _ items: [String]) -> [(String, String)] {
        guard let first = items.first else { return [(label, "-")] }
        return [(label, first)] + items.dropFirst().map { ("", $0) }
    }
}
