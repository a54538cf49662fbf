import KitPluginSDK
import KitModel
import KitStacks
import KitTerraform

/// Renders an `EstateSummary`: a table for the terminal, JSON and Markdown for files and pull requests.
public enum EstateSummaryFormat {
    /// A fixed-width table with one row per component and a totals line.
    public static func table(_ s: EstateSummary) -> String {
        let header = ["COMPONENT", "STACK", "RESULT", "DURATION", "+ADD", "~CHANGE", "-DESTROY", "FINDINGS"]
        var rows: [[String]] = [header]
        for r in s.results {
            rows.append([r.id.component, r.id.stack, r.status.rawValue, seconds(r.durationMilliseconds),
                         r.counts.map { String($0.add) } ?? "-", r.counts.map { String($0.change) } ?? "-",
                         r.counts.map { String($0.destroy) } ?? "-", findingsText(r.findings)])
        }
        var widths = [Int](repeating: 0, count: header.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        var out = ""
        for row in rows {
            out += row.enumerated().map { i, cell in i == row.count - 1 ? cell : cell.padding(widths[i]) }.joined(separator: "  ")
                .trimmingTrailingSpaces() + "\n"
        }
        for r in s.results where r.message != nil {
            out += "  \(r.id.component) (\(r.id.stack)): \(r.message!)\n"
        }
        out += totals(s) + "\n"
        return out
    }

    /// `6 components in 4.2s: 5 succeeded, 1 failed` (+ interrupted).
    public static func totals(_ s: EstateSummary) -> String {
        let parts = EstateStatus.allCases.compactMap { st -> String? in
            guard let n = s.tally[st], n > 0 else { return nil }
            return "\(n) \(st.rawValue)"
        }
        var line = "\(s.results.count) component(s) in \(seconds(s.durationMilliseconds)): " + parts.joined(separator: ", ")
        if s.interrupted { line += " (interrupted)" }
        return line
    }

    /// The summary as a JSON value (sorted keys when written).
    public static func value(_ s: EstateSummary) -> Value {
        var tally: [String: Value] = [:]
        for (k, v) in s.tally { tally[k.rawValue] = .int(v) }
        return .map([
            "subcommand": .string(s.subcommand),
            "exit_code": .int(Int(s.exitCode)),
            "interrupted": .bool(s.interrupted),
            "duration_ms": .int(s.durationMilliseconds),
            "totals": .map(tally),
            "components": .list(s.results.map { r in
                var m: [String: Value] = [
                    "component": .string(r.id.component),
                    "stack": .string(r.id.stack),
                    "result": .string(r.status.rawValue),
                    "wave": .int(r.wave),
                    "exit_code": .int(Int(r.exitCode)),
                    "started_after_ms": .int(r.startedAfterMilliseconds),
                    "duration_ms": .int(r.durationMilliseconds),
                    "findings": .list(r.findings.map { f in
                        .map(["severity": .string(f.severity.rawValue), "policy": .string(f.policy),
                              "message": .string(f.message), "path": f.path.map(Value.string) ?? .null,
                              "hint": f.hint.map(Value.string) ?? .null])
                    }),
                ]
                if let c = r.counts { m["add"] = .int(c.add); m["change"] = .int(c.change); m["destroy"] = .int(c.destroy) }
                if let msg = r.message { m["message"] = .string(msg) }
                if let p = r.plan {
                    m["replacements"] = .list(p.replacements.map(Value.string))
                    m["destroys"] = .list(p.destroys.map(Value.string))
                    m["plan"] = .string(p.text)
                }
                return .map(m)
            }),
        ])
    }

    /// Markdown for a pull-request comment or a job summary: replacements, destroys, drift and
    /// failures first, then a table with `+/~/-` counts, guardrail findings, and each component's plan
    /// text in a collapsed `<details>` block (secrets masked; bounded so the comment fits GitHub's limit).
    public static func markdown(_ s: EstateSummary) -> String {
        var out = "## kit terraform \(s.subcommand)\n\n"
        out += totals(s) + "\n\n"
        let risky = s.results.filter { !($0.plan?.replacements.isEmpty ?? true) || ($0.counts?.destroy ?? 0) > 0 || !($0.plan?.destroys.isEmpty ?? true) }
        if !risky.isEmpty {
            out += "### :warning: Replacements and destroys\n\n"
            for r in risky {
                var parts: [String] = []
                if let p = r.plan, !p.replacements.isEmpty { parts.append("replaces " + p.replacements.map { "`\($0)`" }.joined(separator: ", ")) }
                if let p = r.plan, !p.destroys.isEmpty { parts.append("destroys " + p.destroys.map { "`\($0)`" }.joined(separator: ", ")) }
                if parts.isEmpty, let c = r.counts { parts.append("\(c.destroy) to destroy") }
                out += "- `\(r.id.component)` in `\(r.id.stack)`: " + parts.joined(separator: "; ") + "\n"
            }
            out += "\n"
        }
        let drifted = s.results.filter { $0.status == .drifted }
        if !drifted.isEmpty {
            out += "**Drifted:** " + drifted.map { "`\($0.id.component)` in `\($0.id.stack)`" }.joined(separator: ", ") + "\n\n"
        }
        let failed = s.results.filter { $0.status == .failed }
        if !failed.isEmpty {
            out += "**Failed:** " + failed.map { "`\($0.id.component)` in `\($0.id.stack)`" }.joined(separator: ", ") + "\n\n"
        }
        out += "| component | stack | result | duration | + | ~ | - | ± | findings |\n|---|---|---|---:|---:|---:|---:|---:|---|\n"
        for r in s.results {
            let c = r.counts
            out += "| \(escape(r.id.component)) | \(escape(r.id.stack)) | \(r.status.rawValue) | \(seconds(r.durationMilliseconds)) | "
            out += "\(c.map { String($0.add) } ?? "") | \(c.map { String($0.change) } ?? "") | \(c.map { String($0.destroy) } ?? "") | "
            out += "\(r.plan.map { String($0.replacements.count) } ?? "") | "
            out += escape(findingsText(r.findings)) + " |\n"
        }
        let notes = s.results.filter { $0.message != nil }
        if !notes.isEmpty {
            out += "\n"
            for r in notes { out += "- `\(r.id.component)` in `\(r.id.stack)`: \(escape(r.message!))\n" }
        }
        let findings = s.results.filter { !$0.findings.isEmpty }
        if !findings.isEmpty {
            out += "\n### Guardrail findings\n\n"
            for r in findings {
                for f in r.findings {
                    var line = "- `\(r.id.component)` in `\(r.id.stack)`: **\(f.severity.rawValue)** [\(f.policy)]"
                    if let p = f.path { line += " `\(p)`:" }
                    line += " \(escape(f.message))"
                    if let h = f.hint { line += " — \(escape(h))" }
                    out += line + "\n"
                }
            }
        }
        let plans = s.results.filter { !($0.plan?.text.isEmpty ?? true) }
        if !plans.isEmpty {
            out += "\n### Plans\n"
            for r in plans {
                let block = details(r)
                if out.utf8.count + block.utf8.count > markdownLimit {
                    out += "\n_Plan text of `\(r.id.component)` in `\(r.id.stack)` and later components left out: the comment would pass \(markdownLimit / 1000) KB. See the job log._\n"
                    break
                }
                out += block
            }
        }
        return out
    }

    /// The most bytes of Markdown kit writes (GitHub comments hold 65,536 characters).
    public static let markdownLimit = 60_000

    /// One component's collapsible plan text.
    static func details(_ r: EstateResult) -> String {
        let c = r.counts.map { "+\($0.add) ~\($0.change) -\($0.destroy)" } ?? r.status.rawValue
        let fence = r.plan!.text.contains("```") ? "~~~~" : "```"
        return "\n<details><summary><code>\(html(r.id.component))</code> in <code>\(html(r.id.stack))</code> (\(c))</summary>\n\n"
            + fence + "text\n" + r.plan!.text + (r.plan!.text.hasSuffix("\n") ? "" : "\n") + fence + "\n\n</details>\n"
    }

    static func html(_ s: String) -> String {
        s.replacingAll("&", with: "&amp;").replacingAll("<", with: "&lt;").replacingAll(">", with: "&gt;")
    }

    static func findingsText(_ findings: [Finding]) -> String {
        let e = findings.filter { $0.severity == .error }.count
        let w = findings.filter { $0.severity == .warning }.count
        if e == 0 && w == 0 { return "-" }
        return [e > 0 ? "\(e) error(s)" : nil, w > 0 ? "\(w) warning(s)" : nil].compactMap { $0 }.joined(separator: ", ")
    }

    static func seconds(_ ms: Int) -> String {
        let tenths = (ms + 50) / 100
        return "\(tenths / 10).\(tenths % 10)s"
    }

    static func escape(_ s: String) -> String {
        s.replacingAll("|", with: "\\|").replacingAll("\n", with: " ")
    }
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
