import Foundation
import KitModel
import KitStacks
import KitTerraform

/// A seeded mutation fuzzer for the YAML parser and the stack loader.
///
/// Each iteration takes a corpus manifest, applies a few mutations (byte flips, inserted bytes
/// including NUL, invalid UTF-8 and escape characters, deleted and duplicated ranges, YAML tokens
/// such as anchors, aliases, tags, `!include`, template braces and deep nesting), writes it as the
/// one top-level stack of a scratch repository (the other corpus files beside it as importable
/// catalog manifests), then loads, resolves and serialises everything. An iteration passes when it
/// ends within the time budget either with output or with a typed kit error whose message is one
/// line without control characters. The same seed gives the same inputs.
public struct ManifestFuzzer {
    /// Something an iteration did that kit must never do.
    public struct Finding: Sendable, CustomStringConvertible {
        /// The iteration (0-based) that produced it; rerun with the same seed to reproduce.
        public var iteration: Int
        /// The corpus file mutated and the mutations applied.
        public var input: String
        /// What went wrong.
        public var problem: String
        /// The mutated manifest.
        public var bytes: [UInt8]
        public var description: String { "iteration \(iteration) (\(input)): \(problem)" }
    }

    /// The outcome of a run.
    public struct Report: Sendable {
        public var iterations = 0
        /// Iterations that resolved and serialised without error.
        public var resolved = 0
        /// Iterations that ended in a typed kit error (the expected outcome for most mutations).
        public var rejected = 0
        /// The slowest iteration, in seconds.
        public var slowest = 0.0
        public var findings: [Finding] = []
    }

    let corpus: [(name: String, bytes: [UInt8])]
    let workDirectory: String
    let timeBudget: Double
    var random: SplitMix64

    /// `corpus` maps file names (`vpc.yaml`) to contents; `workDirectory` is an empty scratch folder.
    public init(corpus: [String: [UInt8]], seed: UInt64, workDirectory: String, timeBudget: Double = 2) {
        self.corpus = corpus.keys.sorted().map { ($0, corpus[$0]!) }
        self.workDirectory = workDirectory
        self.timeBudget = timeBudget
        self.random = SplitMix64(seed: seed)
    }

    /// Runs `iterations` iterations and reports what happened.
    public mutating func run(iterations: Int, progress: (Int) -> Void = { _ in }) throws -> Report {
        var report = Report()
        guard !corpus.isEmpty else { return report }
        try prepareRepository()
        for i in 0..<iterations {
            progress(i)
            let pick = corpus[random.next(below: corpus.count)]
            var bytes = pick.bytes
            var applied: [String] = []
            for _ in 0...random.next(below: 4) { applied.append(mutate(&bytes)) }
            let input = pick.name + ": " + applied.joined(separator: ", ")
            let start = Date()
            let outcome = check(bytes)
            let elapsed = Date().timeIntervalSince(start)
            report.iterations += 1
            report.slowest = max(report.slowest, elapsed)
            switch outcome {
            case .resolved: report.resolved += 1
            case .rejected: report.rejected += 1
            case .problem(let p): report.findings.append(Finding(iteration: i, input: input, problem: p, bytes: bytes))
            }
            if elapsed > timeBudget {
                report.findings.append(Finding(iteration: i, input: input, problem: String(format: "took %.2f s (budget %.1f s)", elapsed, timeBudget), bytes: bytes))
            }
        }
        return report
    }

    enum Outcome { case resolved, rejected, problem(String) }

    func prepareRepository() throws {
        let fm = FileManager.default
        for dir in ["stacks/catalog", "stacks/orgs/fuzz", "components/terraform/vpc"] {
            try fm.createDirectory(atPath: workDirectory + "/" + dir, withIntermediateDirectories: true)
        }
        try Data("stacks:\n  base_path: stacks\n  included_paths: ['orgs/**/*']\ncomponents:\n  terraform:\n    base_path: components/terraform\n".utf8)
            .write(to: URL(fileURLWithPath: workDirectory + "/kit.yaml"))
        try Data("variable \"name\" {}\nvariable \"password\" {\n  sensitive = true\n}\n".utf8)
            .write(to: URL(fileURLWithPath: workDirectory + "/components/terraform/vpc/main.tf"))
        for (name, bytes) in corpus {
            try Data(bytes).write(to: URL(fileURLWithPath: workDirectory + "/stacks/catalog/" + name))
        }
    }

    /// Loads the mutated manifest as the only stack and serialises everything it resolves to.
    func check(_ bytes: [UInt8]) -> Outcome {
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: workDirectory + "/stacks/orgs/fuzz/dev.yaml"))
            let config = try ConfigLoader(environment: [:], workingDirectory: workDirectory).load()
            let catalog = try StackCatalog(config: config, templates: GoTemplateRendering(environment: [:]))
            let manifest = try catalog.merged("orgs/fuzz/dev.yaml")
            _ = JSONWriter.prettyBytes(.map(manifest.config))
            for (_, result) in try catalog.components(in: "orgs/fuzz/dev.yaml") {
                let c = try result.get()
                _ = JSONWriter.prettyBytes(.map(c.vars))
                _ = YAMLWriter.documentBytes(.map(ComponentDocument.sections(c)))
            }
            return .resolved
        } catch let e as StackError {
            return Self.judge(e.description)
        } catch let e as ConfigError {
            return Self.judge(e.description)
        } catch {
            return .problem("untyped error \(type(of: error)): \(UserText.escaped("\(error)"))")
        }
    }

    /// A typed error passes when its message is one line, free of control characters and not huge.
    static func judge(_ message: String) -> Outcome {
        if message.unicodeScalars.contains(where: UserText.isControl) {
            return .problem("message holds control characters: \(UserText.escaped(message))")
        }
        if message.utf8.count > 4000 { return .problem("message is \(message.utf8.count) bytes long") }
        return .rejected
    }

    static let tokens: [String] = [
        "&a ", "*a", "<<: *a\n", "!include ", "!include.raw ", "!include /dev/zero", "!include ../../kit.yaml", "{{ ", " }}",
        "{{ .vars.x }}", "{{ if", "[", "]", "{", "}", "- ", ": ", "!append ", "!unset", "import:\n  - ", "\t", "---\n",
        "\"", "'", "\\", "~", "0x", "1e309", ".inf", "name: ..\n", "? ", "|\n", ">-\n", "%YAML 1.1\n", "!!binary ",
        "\u{1B}[31m", "\u{0}", "\u{FEFF}", "é", "\u{2028}",
    ]

    /// Applies one mutation and says which.
    mutating func mutate(_ bytes: inout [UInt8]) -> String {
        let at = bytes.isEmpty ? 0 : random.next(below: bytes.count + 1)
        switch random.next(below: 8) {
        case 0 where !bytes.isEmpty:
            let i = random.next(below: bytes.count)
            bytes[i] = UInt8(truncatingIfNeeded: random.next(below: 256))
            return "flip@\(i)"
        case 1:
            let chunk = (0..<(1 + random.next(below: 4))).map { _ in UInt8(truncatingIfNeeded: random.next(below: 256)) }
            bytes.insert(contentsOf: chunk, at: at)
            return "bytes@\(at)"
        case 2 where !bytes.isEmpty:
            let n = min(1 + random.next(below: 16), bytes.count - min(at, bytes.count))
            bytes.removeSubrange(min(at, bytes.count)..<(min(at, bytes.count) + n))
            return "delete@\(at)+\(n)"
        case 3 where bytes.count > 1:
            let from = random.next(below: bytes.count)
            let n = min(1 + random.next(below: 64), bytes.count - from)
            bytes.insert(contentsOf: bytes[from..<(from + n)], at: at)
            return "duplicate@\(from)+\(n)"
        case 4:
            let depth = 1 + random.next(below: 400)
            let open = random.next(below: 2) == 0 ? "[" : "{a: "
            let close = open == "[" ? "]" : "}"
            bytes.insert(contentsOf: Array((String(repeating: open, count: depth) + String(repeating: close, count: depth)).utf8), at: at)
            return "nest\(depth)@\(at)"
        case 5:
            let levels = 1 + random.next(below: 9)
            var text = "\nbomb:\n  l0: &l0 [x, x, x, x, x, x, x, x, x]\n"
            for l in 1...levels { text += "  l\(l): &l\(l) [" + Array(repeating: "*l\(l - 1)", count: 9).joined(separator: ", ") + "]\n" }
            bytes.append(contentsOf: Array(text.utf8))
            return "bomb\(levels)"
        default:
            let token = Self.tokens[random.next(below: Self.tokens.count)]
            bytes.insert(contentsOf: Array(token.utf8), at: at)
            return "token\(UserText.quoted(token))@\(at)"
        }
    }
}

/// A small, fast, seedable generator (SplitMix64), so a fuzz seed names the same inputs on every machine.
public struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// A number in `0..<n` (n > 0).
    public mutating func next(below n: Int) -> Int { Int(next() % UInt64(n)) }
}
