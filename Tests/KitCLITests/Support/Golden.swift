import Foundation
import Testing

/// Golden files in `Tests/KitCLITests/Golden/`: the exact transcript of a kit run.
///
/// A transcript is the command line, the exit code, stdout, stderr and any files the test reads back,
/// each verbatim (a stream that does not end in a newline gets a `[no newline at end]` marker).
/// The comparison is exact.
///
/// Re-recording: run the tests with `KIT_RECORD_GOLDEN=1` in the environment, e.g.
/// `KIT_RECORD_GOLDEN=1 flock /tmp/kit-build.lock swift test --skip-build --filter KitCLITests`.
/// Only then are golden files written; without it a missing or different golden file fails the test.
/// Review the diff before committing re-recorded files.
enum Golden {
    /// The directory holding the golden files.
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Golden")

    /// Whether this run records instead of comparing (`KIT_RECORD_GOLDEN=1`).
    static var recording: Bool { ProcessInfo.processInfo.environment["KIT_RECORD_GOLDEN"] == "1" }

    /// A generated file to include in a transcript.
    struct File {
        var path: String
        var mode: Int
        var content: String
    }

    /// The transcript of `run` in `repository`, with `atmos_cli_config.base_path` normalised.
    static func transcript(_ run: KitRun, in repository: FixtureRepository, files: [File] = []) -> String {
        var text = "$ kit \(run.arguments.joined(separator: " "))\n"
        text += "exit \(run.exitCode)\n"
        text += section("stdout", repository.normalizingBasePath(run.stdout))
        text += section("stderr", run.stderr)
        for file in files {
            text += section("file \(file.path) (mode 0\(String(file.mode, radix: 8)))", file.content)
        }
        return text
    }

    private static func section(_ title: String, _ body: String) -> String {
        if body.isEmpty { return "--- \(title): empty\n" }
        return "--- \(title)\n" + body + (body.hasSuffix("\n") ? "" : "\n[no newline at end]\n")
    }

    /// Compares `actual` with `Golden/<name>.golden` (or records it with `KIT_RECORD_GOLDEN=1`).
    static func check(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let url = directory.appendingPathComponent(name + ".golden")
        if recording {
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                try actual.write(to: url, atomically: true, encoding: .utf8)
            } catch {
                Issue.record("cannot record golden file '\(url.path)': \(error)", sourceLocation: sourceLocation)
            }
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("golden file 'Golden/\(name).golden' is missing — record it with KIT_RECORD_GOLDEN=1\nactual:\n\(actual)",
                         sourceLocation: sourceLocation)
            return
        }
        if expected != actual {
            Issue.record("output differs from 'Golden/\(name).golden' (if the new output is right, re-record with KIT_RECORD_GOLDEN=1):\n\(difference(expected: expected, actual: actual))",
                         sourceLocation: sourceLocation)
        }
    }

    /// A line-by-line listing of the lines that differ (`-` expected, `+` actual).
    static func difference(expected: String, actual: String) -> String {
        let e = expected.components(separatedBy: "\n")
        let a = actual.components(separatedBy: "\n")
        var out: [String] = []
        for i in 0..<max(e.count, a.count) {
            let l = i < e.count ? e[i] : nil
            let r = i < a.count ? a[i] : nil
            if l == r { continue }
            if let l { out.append("line \(i + 1) - \(l)") }
            if let r { out.append("line \(i + 1) + \(r)") }
            if out.count > 40 { out.append("…"); break }
        }
        return out.joined(separator: "\n")
    }
}
