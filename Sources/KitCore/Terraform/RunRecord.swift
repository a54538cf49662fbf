import Foundation
import KitPluginSDK

/// Appends one JSON line per notable event to `<base>/.kit/runs/<stack>/<component>.jsonl`:
/// who, what, when, and what happened (e.g. guardrails overridden, with the reason and the findings).
public enum RunRecord {
    public static func append(config: KitConfig, c: ResolvedComponent, inv: TerraformInvocation, event: String,
                              detail: String, findings: [Finding]) {
        let env = ProcessInfo.processInfo.environment
        let record: Value = .map([
            "event": .string(event),
            "detail": .string(detail),
            "stack": .string(c.stackName),
            "component": .string(c.name),
            "subcommand": .string(inv.subcommand),
            "user": .string(env["USER"] ?? env["LOGNAME"] ?? "unknown"),
            "ci": .bool(env["CI"] != nil),
            "time": .string(ISO8601DateFormatter().string(from: Date())),
            "findings": .list(findings.map { f in
                .map(["severity": .string(f.severity.rawValue), "policy": .string(f.policy), "message": .string(f.message),
                      "path": f.path.map(Value.string) ?? .null])
            }),
        ])
        let path = Paths.join(config.stateDirectory, "runs/\(c.stackName)/\(c.name.replacingAll("/", with: "-")).jsonl")
        try? AtomicFile.makeDirectories(Paths.dirname(path))
        let line = JSONWriter.compact(record) + "\n"
        if let h = FileHandle(forWritingAtPath: path) {
            h.seekToEndOfFile(); h.write(line.data(using: .utf8)!); try? h.close()
        } else {
            try? AtomicFile.write(line, to: path, mode: 0o600)
        }
    }
}
