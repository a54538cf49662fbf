import Foundation
import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

/// The differential test: every template of `Tests/TemplateOracle/corpus.txt` is rendered by kit and
/// by Go's `text/template` with Sprig 3.2.3 (tools/go-template-oracle, built offline from Debian's Go
/// tree by `tools/go-template-oracle/build`, which scripts/setup also runs). Outputs must be byte
/// identical; where Go fails, kit must fail too.
@Suite struct TemplateOracleTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
    static let corpusPath = repository + "/Tests/TemplateOracle/corpus.txt"

    /// The zone both sides format local times in (Go's `time.Local` from `TZ`; kit's `timeZone`).
    static let zone = "America/New_York"
    /// The environment both sides see (`env`, `expandenv`).
    static let environment = ["TZ": zone, "KIT_ORACLE_NAME": "kit", "KIT_ORACLE_EMPTY": "", "KIT_ORACLE_PATH": "/a/b"]

    @Test("kit renders every corpus template byte-identically to Go text/template + Sprig")
    func corpusMatchesGo() throws {
        let corpus = try TemplateOracleCorpus.load(Self.corpusPath)
        #expect(corpus.cases.count >= 300)
        let oracle = try Self.runOracle(corpus.cases)
        try #require(oracle.count == corpus.cases.count)
        var identical = 0
        var bothFailed = 0
        for (c, expected) in zip(corpus.cases, oracle) {
            let kit = Self.renderInKit(c)
            switch (expected, kit) {
            case (.output(let go), .output(let ours)) where go == ours:
                identical += 1
            case (.error, .error):
                bothFailed += 1
            default:
                Issue.record("corpus.txt:\(c.line): \(c.template)\n  go:  \(expected)\n  kit: \(kit)")
            }
        }
        print("template oracle: \(corpus.cases.count) templates, \(identical) identical outputs, \(bothFailed) failing in both, "
              + "\(corpus.cases.count - identical - bothFailed) different")
    }

    @Test("the corpus calls every Sprig function kit knows")
    func corpusCoversEverySprigFunction() throws {
        let corpus = try TemplateOracleCorpus.load(Self.corpusPath)
        let text = corpus.cases.map(\.template).joined(separator: "\n")
        let missing = TemplateFunction.allCases.filter { !$0.isGomplate && $0 != .atmosComponent && !$0.isKitExtension }
            .filter { function in
                !text.contains("{{ \(function.name) ") && !text.contains("| \(function.name)")
                    && !text.contains("(\(function.name) ") && !text.contains("{{ \(function.name) }}")
                    && !text.contains("{{\(function.name) ") && !text.contains("| \(function.name) }}")
            }
        #expect(missing.isEmpty, "not in the corpus: \(missing.map(\.name))")
    }

    enum Outcome: Equatable, CustomStringConvertible {
        case output(String)
        case error(String)

        var description: String {
            switch self {
            case .output(let s): return "output \(GoFormat.quote(s))"
            case .error(let e): return "error \(e)"
            }
        }
    }

    static func renderInKit(_ c: TemplateOracleCorpus.Case) -> Outcome {
        var options = TemplateOptions(missingKey: c.missingKey == "default" ? .noValue : .error,
                                      environment: environment,
                                      timeZone: TimeZone(identifier: zone)!)
        options.gomplate = false
        do {
            let data = try YAMLParser.parse(c.data).value
            return .output(try GoTemplate(c.template, name: "oracle").render(data, options: options))
        } catch {
            return .error("\(error)")
        }
    }

    /// Builds (when stale) and runs the Go oracle over all cases at once.
    static func runOracle(_ cases: [TemplateOracleCorpus.Case]) throws -> [Outcome] {
        let build = try run(repository + "/tools/go-template-oracle/build", input: Data(), environment: ProcessInfo.processInfo.environment)
        let binary = String(decoding: build, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let wrapped = try run(binary, input: Data(Self.withRawData(cases).utf8), environment: environment)
        guard case .list(let results)? = GoJSON.decode(String(decoding: wrapped, as: UTF8.self)) else {
            throw OracleFailure(message: "the oracle printed no JSON array")
        }
        return results.map { r in
            guard case .map(let m) = r else { return .error("not an object") }
            if case .string(let s)? = m["output"] { return .output(s) }
            if case .string(let e)? = m["error"] { return .error(e) }
            return .error("neither output nor error")
        }
    }

    /// The oracle's input: each case's data is spliced in as JSON (it is JSON text already).
    static func withRawData(_ cases: [TemplateOracleCorpus.Case]) -> String {
        var out = "["
        for (i, c) in cases.enumerated() {
            if i > 0 { out += "," }
            out += "{\"template\":" + GoJSON.encode(.string(c.template), pretty: false)
            out += ",\"missingkey\":" + GoJSON.encode(.string(c.missingKey), pretty: false)
            out += ",\"data\":" + c.data + "}"
        }
        return out + "]"
    }

    struct OracleFailure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    static func run(_ executable: String, input: Data, environment: [String: String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.environment = environment
        let stdin = Pipe(), stdout = Pipe()
        let errorPath = FileManager.default.temporaryDirectory.appendingPathComponent("oracle-\(UUID().uuidString).err")
        FileManager.default.createFile(atPath: errorPath.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorPath) }
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = try FileHandle(forWritingTo: errorPath)
        try process.run()
        let writer = Thread {
            stdin.fileHandleForWriting.write(input)
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errorText = (try? Data(contentsOf: errorPath)) ?? Data()
        guard process.terminationStatus == 0 else {
            throw OracleFailure(message: "\(executable) exited \(process.terminationStatus): \(String(decoding: errorText, as: UTF8.self))")
        }
        return output
    }
}

/// `Tests/TemplateOracle/corpus.txt`: one template per line. `# …` lines are comments;
/// `@data <JSON>` sets the data of the templates after it; `@missingkey error|default` sets Go's
/// `missingkey` option (kit: `.error` / `.noValue`); `@text <JSON string>` is a template with
/// characters a line cannot hold (newlines, leading blanks).
struct TemplateOracleCorpus {
    struct Case {
        let line: Int
        let template: String
        let data: String
        let missingKey: String
    }

    var cases: [Case] = []

    static func load(_ path: String) throws -> TemplateOracleCorpus {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var corpus = TemplateOracleCorpus()
        var data = "{}"
        var missingKey = "error"
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw)
            if line.trimmingCharacters(in: .whitespaces).isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("@data ") {
                data = String(line.dropFirst(6))
            } else if line.hasPrefix("@missingkey ") {
                missingKey = String(line.dropFirst(12))
            } else if line.hasPrefix("@text ") {
                guard case .string(let template)? = GoJSON.decode(String(line.dropFirst(6))) else {
                    throw TemplateOracleTests.OracleFailure(message: "corpus.txt:\(index + 1): @text needs a JSON string")
                }
                corpus.cases.append(Case(line: index + 1, template: template, data: data, missingKey: missingKey))
            } else {
                corpus.cases.append(Case(line: index + 1, template: line, data: data, missingKey: missingKey))
            }
        }
        return corpus
    }
}
