import Foundation
import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

/// Generated hostile inputs (docs/hostile-input.md): each ends in one located error, fast.
/// The release build is held to 2 s and 512 MB by `bench/hostile`; here a debug build gets 5 s.
enum Hostile {
    static let budget = 5.0
    static let vpc = "components:\n  terraform:\n    vpc:\n      vars:\n        name: vpc\n"

    /// The error `body` throws, and how long it took.
    static func timed(_ body: () throws -> Void) -> (Error?, Double) {
        let start = Date()
        let e = caught(body)
        return (e, Date().timeIntervalSince(start))
    }

    static func aliasChain(_ n: Int) -> String {
        var lines = ["vars:", "  a0: &a0 [x]"]
        for i in 1..<n { lines.append("  a\(i): &a\(i) [*a\(i - 1)]") }
        return lines.joined(separator: "\n") + "\n"
    }

    static func aliasBomb(_ levels: Int) -> String {
        var lines = ["vars:", "  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for i in 1...levels { lines.append("  l\(i): &l\(i) [" + Array(repeating: "*l\(i - 1)", count: 9).joined(separator: ", ") + "]") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A one-stack repository whose stack file is `stack`.
    static func repo(_ stack: String, _ more: [String: String] = [:], kitYAML: String? = FixtureRepo.kitYAML()) throws -> FixtureRepo {
        try FixtureRepo(["stacks/deploy/dev.yaml": stack, "components/terraform/vpc/main.tf": "variable \"name\" {}\n"].merging(more) { $1 }, kitYAML: kitYAML)
    }
}

@Suite struct HostileYAMLTests {
    @Test("40,000 chained aliases: one error at the alias that passes the depth cap, fast")
    func aliasChain() throws {
        let (error, seconds) = Hostile.timed { _ = try YAMLParser.parse(Hostile.aliasChain(40_000)) }
        let f = try #require(error as? YAMLParser.Failure)
        #expect(f.limitKey == "max_depth")
        #expect(f.message.contains("deeper than 256 levels"))
        #expect(f.mark.line > 200 && f.mark.line < 300)
        #expect(seconds < Hostile.budget)
    }

    @Test("an alias bomb is refused by the expansion limit", arguments: [6, 8])
    func aliasBomb(levels: Int) throws {
        let (error, seconds) = Hostile.timed { _ = try YAMLParser.parse(Hostile.aliasBomb(levels)) }
        let f = try #require(error as? YAMLParser.Failure)
        #expect(f.limitKey == "max_alias_expansion")
        #expect(f.message.contains("aliases expand this document by more than 1000000"))
        #expect(seconds < Hostile.budget)
    }

    @Test("modest aliases stay within the budget")
    func modestAliases() throws {
        let (value, _) = try YAMLParser.parse("tags: &t {a: 1, b: 2}\nx: [*t, *t, *t]\ny: {<<: *t, c: 3}\n")
        #expect(value["x"]?.listValue?.count == 3)
        #expect(value["y"]?["c"] == .int(3))
    }

    @Test("nesting 10,000–50,000 deep is one error at the level that passes the cap", arguments: [10_000, 20_000, 50_000])
    func deepNesting(depth: Int) throws {
        let flow = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let (error, seconds) = Hostile.timed { _ = try YAMLParser.parse("deep: " + flow, recordMarks: true) }
        let f = try #require(error as? YAMLParser.Failure)
        #expect(f.limitKey == "max_depth")
        #expect(f.mark == Mark(line: 1, column: 7 + 255))  // the map, then bracket 256 is level 257
        #expect(seconds < Hostile.budget)
        var block = ""
        for i in 0..<min(depth, 1000) { block += String(repeating: " ", count: i) + "k:\n" }
        let (blockError, _) = Hostile.timed { _ = try YAMLParser.parse(block) }
        #expect((blockError as? YAMLParser.Failure)?.mark.line == 257)
    }

    @Test("NUL bytes and invalid UTF-8 are reported at their own line and column")
    func readerErrors() throws {
        let prefix = Array(String(repeating: "a: 1\n", count: 12).utf8) + Array("b: xy".utf8)
        for bad: [UInt8] in [[0], [0xFF], [0xC3, 0x28]] {
            let bytes = prefix + bad + Array("z\n".utf8)
            let error = caught { _ = try bytes.withUnsafeBytes { try YAMLParser.parse(bytes: $0) } }
            let f = try #require(error as? YAMLParser.Failure)
            #expect(f.mark.line == 13 && (6...7).contains(f.mark.column), "\(bad): \(f.message) at \(f.mark)")
            print("reader error \(bad): \(f.message) at \(f.mark)")
        }
    }

    @Test("the writers and deep merge handle the deepest document kit accepts, on a worker thread too")
    func deepestAcceptedDocument() throws {
        var limits = InputLimits.standard
        limits.maxDepth = InputLimits.depthCeiling
        let depth = InputLimits.depthCeiling - 1
        let text = "deep: " + String(repeating: "{a: ", count: depth - 1) + "1" + String(repeating: "}", count: depth - 1)
        let value = try YAMLParser.parse(text, limits: limits).value
        let merged = DeepMerge.merge([value.mapValue!, value.mapValue!])
        let check: @Sendable () -> Void = {
            #expect(JSONWriter.prettyBytes(.map(merged)).count > depth)
            #expect(YAMLWriter.documentBytes(.map(merged)).count > depth)
            #expect(DeepMerge.finalize(.map(merged)) == .map(merged))
        }
        check()
        DispatchQueue.concurrentPerform(iterations: 2) { _ in check() }
    }

    @Test("templates and fromJson refuse runaway nesting instead of recursing without bound")
    func templateNesting() throws {
        let text = String(repeating: "{{ if 1 }}", count: 50_000) + String(repeating: "{{ end }}", count: 50_000)
        let (error, seconds) = Hostile.timed { _ = try GoTemplate(text) }
        #expect((error as? TemplateError)?.message.contains("nest deeper than 200 levels") == true)
        let parens = "{{ " + String(repeating: "(", count: 50_000) + "1" + String(repeating: ")", count: 50_000) + " }}"
        #expect((caught { _ = try GoTemplate(parens) } as? TemplateError) != nil)
        #expect(GoJSON.decode(String(repeating: "[", count: 100_000)) == nil)
        #expect(seconds < Hostile.budget)
    }
}

@Suite struct HostileFileTests {
    @Test("a sparse 100 GB import fails fast on the size cap, without allocating it")
    func sparseImport() throws {
        let repo = try Hostile.repo("import: [catalog/big]\n" + Hostile.vpc)
        try repo.write("stacks/catalog/big.yaml", "")
        #expect(truncate(repo.root + "/stacks/catalog/big.yaml", 100 << 30) == 0)
        let (error, seconds) = Hostile.timed { _ = try repo.catalog().merged("deploy/dev.yaml") }
        #expect("\(error!)" == "stacks/catalog/big.yaml: the file is larger than 4194304 bytes — split it, or raise stacks.limits.max_manifest_bytes in kit.yaml")
        #expect(seconds < Hostile.budget)
    }

    @Test("stacks.limits.max_manifest_bytes is configurable and counts what a manifest includes")
    func configurableSize() throws {
        let kit = FixtureRepo.kitYAML(extra: "") .replacingOccurrences(of: "stacks:\n", with: "stacks:\n  limits:\n    max_manifest_bytes: 200\n")
        let repo = try Hostile.repo(Hostile.vpc + "        blob: \(String(repeating: "x", count: 300))\n", kitYAML: kit)
        #expect("\(caught { _ = try repo.catalog().merged("deploy/dev.yaml") }!)".contains("larger than 200 bytes"))
        try repo.write("stacks/deploy/dev.yaml", Hostile.vpc + "        a: !include.raw data.txt\n        b: !include.raw data.txt\n")
        try repo.write("data.txt", String(repeating: "y", count: 120))
        let error = caught { _ = try repo.catalog().merged("deploy/dev.yaml") }
        #expect("\(error!)".hasPrefix("stacks/deploy/dev.yaml:7:12: the files this manifest includes are larger than 200 bytes"))
    }

    @Test("imports and !include of a device or FIFO are refused as not regular files")
    func deviceFiles() throws {
        let repo = try Hostile.repo("import: [catalog/zero]\n" + Hostile.vpc)
        try FileManager.default.createDirectory(atPath: repo.root + "/stacks/catalog", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: repo.root + "/stacks/catalog/zero.yaml", withDestinationPath: "/dev/zero")
        #expect("\(caught { _ = try repo.catalog() }!)".hasPrefix("stacks/catalog/zero.yaml: the link's target '/dev/zero' is outside the repository"))
        try repo.write("kit.yaml", FixtureRepo.kitYAML().replacingOccurrences(of: "stacks:\n", with: "stacks:\n  allowed_external_paths: [/dev]\n"))
        let (error, seconds) = Hostile.timed { _ = try repo.catalog().merged("deploy/dev.yaml") }
        #expect("\(error!)" == "stacks/catalog/zero.yaml: cannot read the file: it is a character device, not a regular file — check that it exists and is readable")
        #expect(seconds < Hostile.budget)
        #expect(mkfifo(repo.root + "/pipe.txt", 0o600) == 0)
        try repo.write("stacks/deploy/dev.yaml", Hostile.vpc + "        z: !include.raw pipe.txt\n")
        #expect("\(caught { _ = try repo.catalog().merged("deploy/dev.yaml") }!)".contains("!include 'pipe.txt' cannot be read: it is a FIFO, not a regular file"))
    }

    @Test("a remote !include (https://, s3::, git::) is one located error saying kit does not download, not 'not found'")
    func remoteInclude() throws {
        let repo = try Hostile.repo(Hostile.vpc)
        for address in ["https://raw.githubusercontent.com/org/repo/main/stacks/nonprod.yaml", "s3::https://s3.amazonaws.com/b/k.yaml",
                        "git::https://example.com/r.git//a.yaml"] {
            try repo.write("stacks/deploy/dev.yaml", Hostile.vpc + "        z: !include \(address)\n")
            let text = "\(caught { _ = try repo.catalog().merged("deploy/dev.yaml") }!)"
            #expect(text.hasPrefix("stacks/deploy/dev.yaml:6:12: !include"), "\(text)")
            #expect(text.contains("!include '\(address)' is a remote address; kit includes files of the repository only"), "\(text)")
            #expect(!text.contains("not found"), "\(text)")
        }
        // A path with '::' or '://' inside but no scheme before it is still a path.
        #expect(!Paths.isRemoteAddress("./a::b.yaml") && !Paths.isRemoteAddress("dir/x://y") && Paths.isRemoteAddress("http://h/a"))
        for remote in ["github.com/org/repo//stacks", "s3::https://b/k", "git::ssh://h/r", "https://h/a.yaml", "git+ssh://h/r"] {
            #expect(Paths.isRemoteAddress(remote), "\(remote)")
        }
        for local in ["catalog/vpc", "/abs/path.yaml", "HTTPS://x", "", "::x", "a b://c"] { #expect(!Paths.isRemoteAddress(local), "\(local)") }
    }

    @Test("!include outside the repository is refused unless stacks.allowed_external_paths lists it; it never prints the file")
    func includeOutside() throws {
        let outside = FixtureRepo.sessionRoot + "/outside-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try "secret: hunter2\nline2\n".write(toFile: outside + "/secret.txt", atomically: true, encoding: .utf8)
        let repo = try Hostile.repo(Hostile.vpc + "        s: !include.raw \(outside)/secret.txt\n")
        let error = "\(caught { _ = try repo.catalog().merged("deploy/dev.yaml") }!)"
        #expect(error.contains("is outside the repository"))
        #expect(!error.contains("hunter2"))
        try repo.write("stacks/deploy/dev.yaml", Hostile.vpc + "        s: !include.raw ../../../\(Paths.basename(outside))/secret.txt\n")
        #expect("\(caught { _ = try repo.catalog().merged("deploy/dev.yaml") }!)".contains("is outside the repository"))
        let allowed = FixtureRepo.kitYAML().replacingOccurrences(of: "stacks:\n", with: "stacks:\n  allowed_external_paths: ['\(outside)']\n")
        try repo.write("kit.yaml", allowed)
        try repo.write("stacks/deploy/dev.yaml", Hostile.vpc + "        s: !include.raw \(outside)/secret.txt\n")
        #expect(try repo.component("vpc", "deploy/dev").vars["s"] == .string("secret: hunter2\nline2\n"))
    }

    @Test("a whole file pulled in as an import path is refused without echoing it")
    func includeAsImport() throws {
        let repo = try Hostile.repo("import:\n  - !include.raw notes.txt\n" + Hostile.vpc, ["notes.txt": "root:x:0:0:root:/root:/bin/bash\nsecond line\n"])
        let error = "\(caught { _ = try repo.catalog().merged("deploy/dev.yaml") }!)"
        #expect(error == "stacks/deploy/dev.yaml:2:5: invalid import: import entry 1 is not a path (44 bytes on 3 lines) — use a path of at most 4096 bytes on one line")
    }

    @Test("a 1,000,000-character import path fails fast with a short message")
    func longImportPath() throws {
        let repo = try Hostile.repo("import:\n  - " + String(repeating: "a", count: 1_000_000) + "\n" + Hostile.vpc)
        let (error, seconds) = Hostile.timed { _ = try repo.catalog().merged("deploy/dev.yaml") }
        let message = "\(error!)"
        #expect(message.hasPrefix("stacks/deploy/dev.yaml:2:5: invalid import: import entry 1 is not a path (1000000 bytes on 1 line)"))
        #expect(message.count < 300)
        #expect(seconds < Hostile.budget)
    }

    @Test("control characters in user values are escaped, long values capped")
    func escapedValues() throws {
        let repo = try Hostile.repo("import: [\"a\\tb\\e[31mRED\"]\n" + Hostile.vpc)
        let message = "\(caught { _ = try repo.catalog().merged("deploy/dev.yaml") }!)"
        #expect(message.hasPrefix(#"stacks/deploy/dev.yaml:1:10: import 'a\tb\u{1B}[31mRED' not found"#))
        #expect(!message.unicodeScalars.contains { $0.value < 0x20 })
        #expect(UserText.quoted(String(repeating: "z", count: 1000)).hasSuffix("… (800 more characters)'"))
    }

    @Test("template errors name the template's file, line and column")
    func templateLocation() throws {
        let repo = try Hostile.repo("import: [{path: catalog/t, context: {x: 1}}]\n" + Hostile.vpc,
                                    ["stacks/catalog/t.yaml": "vars:\n  a: 1\n  b: '{{ .x | nosuch }}'\n"])
        let message = "\(caught { _ = try repo.catalog().merged("deploy/dev.yaml") }!)"
        #expect(message == "stacks/catalog/t.yaml:3:15: template error: function 'nosuch' is not supported by kit's template engine")
    }
}

@Suite struct HostileWalkTests {
    func repoWithLink(_ link: String, to target: String) throws -> FixtureRepo {
        let repo = try Hostile.repo(Hostile.vpc)
        try FileManager.default.createSymbolicLink(atPath: repo.root + "/" + link, withDestinationPath: target)
        return repo
    }

    @Test("a directory link loop is one error naming the link")
    func loop() throws {
        let repo = try repoWithLink("stacks/deploy/x", to: "..")
        let (error, seconds) = Hostile.timed { _ = try repo.catalog() }
        #expect("\(error!)" == "stacks/deploy/x: the folder link leads back to 'stacks', which contains it (a loop) — remove the link")
        #expect(seconds < Hostile.budget)
    }

    @Test("a link to / and a stacks base path of /usr stay refused: outside the repository")
    func outside() throws {
        let repo = try repoWithLink("stacks/deploy/root", to: "/")
        let (error, seconds) = Hostile.timed { _ = try repo.catalog() }
        #expect("\(error!)".hasPrefix("stacks/deploy/root: the link's target '/' is outside the repository"))
        #expect(seconds < Hostile.budget)
        let usr = try Hostile.repo(Hostile.vpc, kitYAML: "stacks:\n  base_path: /usr\n  included_paths: ['**/*']\n")
        let (usrError, usrSeconds) = Hostile.timed { _ = try usr.catalog() }
        #expect("\(usrError!)".contains("the stacks base path '/usr' is outside the repository"))
        #expect(usrSeconds < Hostile.budget)
    }

    @Test("an unreadable folder is an error, not a silent gap")
    func unreadableFolder() throws {
        struct Unlistable: FileSystem {
            let base = LocalFileSystem()
            func read(_ path: String) throws -> [UInt8] { try base.read(path) }
            func exists(_ path: String) -> Bool { base.exists(path) }
            func isDirectory(_ path: String) -> Bool { base.isDirectory(path) }
            func walk(_ root: String) -> [String] { base.walk(root) }
            func readRegularFile(_ path: String, limit: Int) throws -> [UInt8] { try base.readRegularFile(path, limit: limit) }
            func walk(_ root: String, options: WalkOptions) throws -> [String] {
                throw WalkFailure.unreadable(path: root + "/deploy/private", reason: "permission denied")
            }
        }
        let repo = try Hostile.repo(Hostile.vpc)
        let error = caught { _ = try StackCatalog(config: repo.config(), fileSystem: Unlistable(), templates: GoTemplateRendering(environment: [:])) }
        #expect("\(error!)" == "stacks/deploy/private: cannot list the folder: permission denied — fix its permissions, or move it out of the stacks directory")
    }

    @Test("stacks.limits.max_files bounds the walk")
    func maxFiles() throws {
        let kit = FixtureRepo.kitYAML().replacingOccurrences(of: "stacks:\n", with: "stacks:\n  limits: {max_files: 3}\n")
        let repo = try Hostile.repo(Hostile.vpc, ["stacks/a.yaml": "", "stacks/b.yaml": "", "stacks/c.yaml": ""], kitYAML: kit)
        #expect("\(caught { _ = try repo.catalog() }!)".hasPrefix("stacks: the stacks directory holds more than 3 files and folders"))
    }
}

@Suite struct HostileConfigTests {
    func load(_ kitYAML: String, environment: [String: String] = [:]) throws -> Error? {
        let repo = try Hostile.repo(Hostile.vpc, kitYAML: kitYAML)
        return caught { _ = try repo.config(environment: environment) }
    }

    @Test("configuration is validated: types, unknown keys with a suggestion, limits, name-pattern tokens")
    func validation() throws {
        #expect("\(try load("stacks: 42\n")!)".hasSuffix("kit.yaml: 'stacks' must be a map, found a int — fix it in the configuration"))
        #expect("\(try load("stacks:\n  base_pth: stacks\n")!)".hasSuffix("kit.yaml: unknown configuration key 'stacks.base_pth' — did you mean 'stacks.base_path'?"))
        #expect("\(try load("stack:\n  base_path: stacks\n")!)".hasSuffix("did you mean 'stacks'?"))
        #expect("\(try load("stacks:\n  limits: {max_depth: 100000}\n")!)".hasSuffix("'stacks.limits.max_depth' is '100000', expected a whole number from 1 to 2000"))
        // A name pattern is checked when stack names are needed (a session's catalog), not at load.
        #expect(try load("stacks:\n  name_pattern: '{tennant}-{stage}'\n") == nil)
        let repo = try Hostile.repo(Hostile.vpc, kitYAML: "stacks:\n  name_pattern: '{tennant}-{stage}'\n")
        let config = try repo.config()
        #expect("\(caught { try config.checkStackNaming() }!)".hasSuffix("stacks.name_pattern '{tennant}-{stage}' has an unknown token '{tennant}' — did you mean '{tenant}'?"))
    }

    @Test("KIT_CLI_CONFIG_PATH pointing nowhere and KIT_NO_PLUGINS=maybe are errors")
    func environment() throws {
        #expect("\(try load(FixtureRepo.kitYAML(), environment: ["KIT_CLI_CONFIG_PATH": "/nowhere"])!)" ==
                "KIT_CLI_CONFIG_PATH is '/nowhere', but there is no kit.yaml or atmos.yaml there — point it at the folder holding the configuration, or unset it")
        #expect("\(try load(FixtureRepo.kitYAML(), environment: ["KIT_NO_PLUGINS": "maybe"])!)" ==
                "environment: 'KIT_NO_PLUGINS' is 'maybe', expected '1' (plugins off) or '0'")
    }

    @Test("unknown keys in atmos.yaml are warnings (atmos has keys kit does not know)")
    func atmosWarnings() throws {
        let repo = try FixtureRepo(["atmos.yaml": "base_path: .\nstacks:\n  base_path: stacks\n  included_paths: ['deploy/**/*']\n  name_pattern: '{stage}'\nfuturekey: 1\n"], kitYAML: nil)
        let config = try repo.config()
        #expect(config.warnings.contains { $0.severity == .warning && $0.message.contains("unknown configuration key 'futurekey'") })
    }

    @Test("a stack named '..' (or with a '..' segment, or absolute) is refused", arguments: ["..", "a/../b", "/etc"])
    func stackNames(name: String) throws {
        let repo = try Hostile.repo("name: '\(name)'\n" + Hostile.vpc)
        let error = caught { _ = try repo.catalog().components(in: "deploy/dev.yaml").first!.result.get().stackName }
        let placements = try repo.catalog().placements()
        #expect(placements.placements.isEmpty)
        #expect(placements.warnings.first?.contains("stack name \(UserText.quoted(name))") == true, "\(placements.warnings) \(String(describing: error))")
    }
}
