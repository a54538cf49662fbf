import Foundation
import Testing

/// `kit plugin list|info|new`, run with the real built kit so that the plugins beside it
/// (`.build/debug/libKitAWS.so`, `libKitAzure.so`) are found. The other CLI tests run a copy of kit
/// in a directory of its own, which finds none.
///
/// Absolute paths in the output are replaced with `<kit-dir>` (the directory of the built kit, its
/// symlinks resolved), `<home>` and `<tmp>` before the comparison with `Golden/plugin-*.golden`.
@Suite("kit plugin")
struct PluginCommandTests {
    @Test("plugin list shows the built aws and azure plugins with their backend types", arguments: [
        (["plugin", "list"], "plugin-list"),
        (["plugin", "list", "--isolated"], "plugin-list-isolated"),
    ])
    func list(arguments: [String], golden: String) throws {
        let repo = try FixtureRepository("acme")
        let run = try BuiltKit.run(arguments, in: repo)
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.stderr.isEmpty, "\(run.stderr)")
        let rows = run.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(rows.dropFirst().map { Array($0.prefix(5)) } == [
            ["aws", "1.0.0", "1.1", "s3", "aws"],
            ["azure", "1.0.0", "1.1", "azurerm", "azurerm"],
        ], "\(run.stdout)")
        Golden.check(Golden.transcript(try BuiltKit.normalized(run), in: repo), named: golden)
    }

    @Test("plugin list --format json: sorted keys, both plugins with their backend types and providers")
    func listJSON() throws {
        let repo = try FixtureRepository("acme")
        let run = try BuiltKit.run(["plugin", "list", "--format", "json"], in: repo)
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(JSONKeyOrder.problems(in: run.stdout).isEmpty, "\(JSONKeyOrder.problems(in: run.stdout))")
        let plugins = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(plugins.map { $0["name"] as? String } == ["aws", "azure"])
        #expect(plugins.map { $0["backend_types"] as? [String] } == [["s3"], ["azurerm"]])
        #expect(plugins.map { $0["providers"] as? [String] } == [["aws"], ["azurerm"]])
        let kitDir = try BuiltKit.directory()
        #expect(plugins.map { $0["path"] as? String } == [kitDir + "/libKitAWS.so", kitDir + "/libKitAzure.so"])
    }

    @Test("plugin info aws lists the policies with their default severities")
    func infoAWS() throws {
        let repo = try FixtureRepository("acme")
        let run = try BuiltKit.run(["plugin", "info", "aws"], in: repo)
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.stderr.isEmpty, "\(run.stderr)")
        let policyRows = Dictionary(uniqueKeysWithValues: run.stdout.split(separator: "\n")
            .filter { $0.hasPrefix("  aws.") }
            .map { line -> (String, String) in
                let cells = line.split(separator: " ", omittingEmptySubsequences: true)
                return (String(cells[0]), String(cells[1]))
            })
        #expect(policyRows == [
            "aws.backend.s3": "error", "aws.tags.required": "error", "aws.destroy.tagged-only": "error",
            "aws.rds.production": "error", "aws.s3.force-destroy": "error", "aws.ec2.imdsv2": "error",
            "aws.sg.public-ingress": "warning", "aws.ec2.user-data-size": "error", "aws.iam.permissions-boundary": "error",
        ], "\(run.stdout)")
        Golden.check(Golden.transcript(try BuiltKit.normalized(run), in: repo), named: "plugin-info-aws")
    }

    @Test("plugin info azure --format json: sorted keys, policies with default severities, the settings schema")
    func infoAzureJSON() throws {
        let repo = try FixtureRepository("acme")
        let run = try BuiltKit.run(["plugin", "info", "azure", "--format", "json"], in: repo)
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(JSONKeyOrder.problems(in: run.stdout).isEmpty, "\(JSONKeyOrder.problems(in: run.stdout))")
        let info = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any] ?? [:]
        #expect(info["name"] as? String == "azure")
        #expect(info["backend_types"] as? [String] == ["azurerm"])
        let policies = (info["policies"] as? [[String: Any]] ?? []).map { "\($0["id"] ?? "")=\($0["default_severity"] ?? "")" }
        #expect(policies.contains("azure.backend.azurerm=error"), "\(policies)")
        #expect(policies.contains("azure.naming=error"), "\(policies)")
        #expect(policies.count == 8, "\(policies)")
        #expect((info["settings_schema"] as? [String: Any])?["type"] as? String == "object")
    }

    @Test("plugin info with an unknown name exits 1 with kit's error line naming what was found")
    func infoUnknown() throws {
        let repo = try FixtureRepository("acme")
        let run = try BuiltKit.run(["plugin", "info", "gcp"], in: repo)
        #expect(run.exitCode == 1, "\(run.stderr)")
        #expect(run.stdout.isEmpty)
        // Like every other kit error: one lowercase `error: ` line with the hint.
        #expect(run.stderr.hasPrefix("error: plugin 'gcp' not found; found: 'aws', 'azure'; kit looked in "), "\(run.stderr)")
        #expect(run.stderr.hasSuffix("— put 'lib<Name>.so' in one of them or add its directory to 'plugins.paths'\n"), "\(run.stderr)")
    }

    @Test("plugin new creates a package with a dynamic library product that depends on kit's SDK")
    func newPackage() throws {
        let repo = try FixtureRepository("acme")
        let output = repo.parent.appendingPathComponent("new-plugin").path
        let run = try BuiltKit.run(["plugin", "new", "acme-policy", "--output", output, "--sdk-path", KitBinary.packageRoot().path], in: repo)
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.stderr.isEmpty, "\(run.stderr)")
        let made = repo.files(under: URL(fileURLWithPath: output))
        #expect(made == [".gitignore", "Package.swift", "README.md", "Sources/KitAcmePolicy/Plugin.swift",
                         "Tests/KitAcmePolicyTests/AcmePolicyPluginTests.swift", "requests/validate.json"])

        let manifest = try String(contentsOfFile: output + "/Package.swift", encoding: .utf8)
        #expect(manifest.contains(#".library(name: "KitAcmePolicy", type: .dynamic, targets: ["KitAcmePolicy"])"#), "\(manifest)")
        let packageRoot = KitBinary.packageRoot()
        #expect(manifest.contains(".package(path: \"\(packageRoot.path)\")"), "the SDK path is not this checkout:\n\(manifest)")
        #expect(manifest.contains(#".product(name: "KitPluginSDK", package: "\#(packageRoot.lastPathComponent)")"#), "\(manifest)")
        let source = try String(contentsOfFile: output + "/Sources/KitAcmePolicy/Plugin.swift", encoding: .utf8)
        #expect(source.contains("@_cdecl(\"kit_plugin_v1\")"), "\(source)")
        #expect(source.contains("KitPluginExport.table(for: AcmePolicyPlugin.self)"), "\(source)")
        #expect(source.contains("name: \"acme-policy\""), "\(source)")

        let normalizedRun = try BuiltKit.normalized(run, replacing: [(KitBinary.packageRoot().path, "<kit-checkout>"), (repo.parent.path, "<tmp>")])
        let manifestMode = try FileManager.default.attributesOfItem(atPath: output + "/Package.swift")[.posixPermissions] as? Int ?? 0
        let manifestFile = Golden.File(path: "Package.swift", mode: manifestMode & 0o7777,
                                       content: manifest.replacingOccurrences(of: packageRoot.path, with: "<kit-checkout>")
                                           .replacingOccurrences(of: "package: \"\(packageRoot.lastPathComponent)\"", with: "package: \"<kit-checkout-name>\""))
        Golden.check(Golden.transcript(normalizedRun, in: repo, files: [manifestFile]), named: "plugin-new")
    }

    @Test("plugin new refuses a name that is not letters, digits and single hyphens, and creates nothing")
    func newRejectsName() throws {
        let repo = try FixtureRepository("acme")
        let output = repo.parent.appendingPathComponent("acme_policy").path
        let run = try BuiltKit.run(["plugin", "new", "acme_policy", "--output", output], in: repo)
        #expect(run.exitCode == 64, "\(run.stderr)")
        #expect(run.stderr.contains("'acme_policy'"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}

/// Runs `<package root>/.build/debug/kit` itself (not the isolated copy), so plugins beside it load.
enum BuiltKit {
    /// The directory of the built kit, symlinks resolved (what kit prints in plugin paths).
    static func directory() throws -> String {
        try KitBinary.built().resolvingSymlinksInPath().deletingLastPathComponent().path
    }

    /// Runs kit in the fixture copy with the same environment as `FixtureRepository.run`.
    static func run(_ arguments: [String], in repository: FixtureRepository) throws -> KitRun {
        let out = repository.parent.appendingPathComponent("stdout-\(UUID().uuidString)")
        let err = repository.parent.appendingPathComponent("stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        let process = Process()
        process.executableURL = try KitBinary.built()
        process.arguments = arguments
        process.currentDirectoryURL = repository.root
        process.environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin",
            "HOME": FixtureRepository.home,
            "NO_COLOR": "1",
            "LANG": "C.UTF-8",
        ]
        let outHandle = try FileHandle(forWritingTo: out)
        let errHandle = try FileHandle(forWritingTo: err)
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        return KitRun(arguments: arguments, exitCode: process.terminationStatus,
                      stdout: try String(contentsOf: out, encoding: .utf8),
                      stderr: try String(contentsOf: err, encoding: .utf8))
    }

    /// The run with machine-specific paths replaced: `extra` first, then the kit directory and HOME.
    static func normalized(_ run: KitRun, replacing extra: [(String, String)] = []) throws -> KitRun {
        let kitDir = try directory()
        let unresolved = try KitBinary.built().deletingLastPathComponent().path
        let replacements = extra + [(kitDir, "<kit-dir>"), (unresolved, "<kit-dir>"), (FixtureRepository.home, "<home>")]
        func clean(_ text: String) -> String {
            replacements.reduce(text) { $0.replacingOccurrences(of: $1.0, with: $1.1) }
        }
        var copy = run
        copy.arguments = run.arguments.map(clean)
        copy.stdout = clean(run.stdout)
        copy.stderr = clean(run.stderr)
        return copy
    }
}
