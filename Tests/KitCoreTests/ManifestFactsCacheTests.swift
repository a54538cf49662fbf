import Foundation
import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

/// `ManifestFactsCache`: the stack index read from records kept between runs must be the index built
/// by parsing — for every file of a repository that exercises every naming rule — and a record is
/// used only for the bytes and the binary it was computed from.
@Suite struct ManifestFactsCacheTests {
    static func cachePath() -> String {
        FixtureRepo.sessionRoot + "/facts-\(UUID().uuidString)"
    }

    static func catalog(_ repo: FixtureRepo, cache: String?, identity: String = "test-binary") throws -> StackCatalog {
        try StackCatalog(config: repo.config(), templates: GoTemplateRendering(environment: [:]),
                         persistentFacts: ManifestFactsCache(path: cache, binaryIdentity: identity))
    }

    static func snapshot(_ index: StackIndex) -> [String] {
        index.entries.map { e in
            "\(e.file) layers=\(e.layers ?? ["nil"]) names=\(e.names.map { $0.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" } } ?? ["nil"]) " +
                "components=\(e.components.map { $0.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value.sorted())" } } ?? ["nil"])"
        }
    }

    @Test("a warm index (no manifest parsed) equals the cold one and the one without a cache")
    func warmEqualsCold() throws {
        let repo = try StackIndexTests.repo()
        let path = Self.cachePath()
        let plain = try Self.catalog(repo, cache: nil)
        let cold = try Self.catalog(repo, cache: path)
        #expect(Self.snapshot(cold.stackIndex) == Self.snapshot(plain.stackIndex))
        #expect(cold.imports.persistentFacts.statistics.computed > 0)
        #expect(FileManager.default.fileExists(atPath: path))
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        let warm = try Self.catalog(repo, cache: path)
        #expect(Self.snapshot(warm.stackIndex) == Self.snapshot(plain.stackIndex))
        #expect(warm.imports.persistentFacts.statistics.computed == 0)
        // Nothing is parsed: even the broken file parses (only its import is missing), so it has a record.
        #expect(warm.store.statistics.parsed == 0)
        // The answers commands give from it are the same.
        #expect(warm.stackFilesReporting(types: StackCatalog.allComponentTypes).stacks == plain.stackFilesReporting(types: StackCatalog.allComponentTypes).stacks)
    }

    @Test("changed bytes are parsed again; another binary's records are never read")
    func changesAndOtherBinaries() throws {
        let repo = try StackIndexTests.repo()
        let path = Self.cachePath()
        _ = try Self.catalog(repo, cache: path).stackIndex
        // Same size, different token: a timestamp or size check could miss this; the content key cannot.
        try repo.write("stacks/deploy/_tenant.yaml", "vars: {tenant: acmf}\n")
        let after = try Self.catalog(repo, cache: path)
        #expect(after.stackIndex.entry("deploy/dev.yaml")?.names == ["terraform": "acmf-dev"])
        #expect(after.imports.persistentFacts.statistics.computed == 1)
        #expect(Self.snapshot(after.stackIndex) == Self.snapshot(try Self.catalog(repo, cache: nil).stackIndex))

        let other = try Self.catalog(repo, cache: path, identity: "another-binary")
        _ = other.stackIndex
        #expect(other.imports.persistentFacts.statistics.hits == 0)
    }

    @Test("a manifest with !include is never recorded; a damaged file is ignored")
    func includesAndDamage() throws {
        let repo = try FixtureRepo(["stacks/deploy/dev.yaml": "vars: !include ../../vars.yaml\ncomponents: {terraform: {app: {}}}\n",
                                    "vars.yaml": "stage: dev\n"])
        let path = Self.cachePath()
        let first = try Self.catalog(repo, cache: path)
        _ = first.stackIndex
        #expect(first.imports.persistentFacts.statistics.computed == 0)
        try "kit-manifest-facts garbage\n{not json\n".write(toFile: path, atomically: true, encoding: .utf8)
        // An include spelled through a %TAG directive holds no "!include" bytes; the parse still says it read a file.
        let tagged = try FixtureRepo(["stacks/deploy/dev.yaml": "%TAG !k! !inc\n---\nvars: !k!lude ../../vars.yaml\ncomponents: {terraform: {app: {}}}\n",
                                      "vars.yaml": "stage: dev\n"])
        let viaTag = try Self.catalog(tagged, cache: Self.cachePath())
        _ = viaTag.stackIndex
        #expect(!viaTag.store.includes(of: "deploy/dev.yaml").isEmpty)
        #expect(viaTag.imports.persistentFacts.statistics.computed == 0)
        let damaged = try Self.catalog(repo, cache: path)
        #expect(Self.snapshot(damaged.stackIndex) == Self.snapshot(try Self.catalog(repo, cache: nil).stackIndex))
    }

    @Test("a manifest that may read other files is recognised wherever `!include` stands", arguments: [
        ("!include", true), ("x: !include a.yaml", true), ("a: 1\nb: !!include\n", true), ("a: !includ", false),
        ("", false), ("!", false), ("a: !env X\nb: '!inc'lude", false), ("!!!!!!!!!include", true), ("include!", false),
    ])
    func includeIsFound(text: String, expected: Bool) {
        #expect(ManifestFactsCache.dependsOnOtherFiles(Array(text.utf8)) == expected)
    }

    @Test("records survive the file format: encode then decode gives them back")
    func roundTrip() throws {
        var facts = LayerFacts()
        facts.components = ["terraform": ["a", "b/c"], "helmfile": []]
        facts.name = ""
        facts.globalTokens = ["stage": "dev\tx"]
        facts.typeTokens = ["terraform": ["tenant": "é"]]
        facts.componentTokens = ["stage"]
        facts.opaque = true
        let records: [String: ManifestFactsCache.Record] = [
            "k1": .init(imports: [.init(path: "catalog/*", skipIfMissing: true, skipTemplates: false, ignoreMissing: true, hasContext: true)], facts: facts),
            "k2": .init(imports: nil, facts: LayerFacts()),
        ]
        let bytes = ManifestFactsCache.encode(records, header: "h 1 x")
        #expect(ManifestFactsCache.decode(Data(bytes), header: "h 1 x") == records)
        #expect(ManifestFactsCache.decode(Data(bytes), header: "h 1 y").isEmpty)
        // A cut file gives back whole records only (those before the cut), never a wrong one.
        for end in 0 ..< bytes.count {
            let read = ManifestFactsCache.decode(Data(bytes[..<end]), header: "h 1 x")
            #expect(read.allSatisfy { records[$0.key] == $0.value }, "cut at \(end)")
            #expect(read.count < records.count)
        }
        // A damaged body is skipped; the records after it are read.
        var damaged = bytes
        damaged[Array("h 1 x\n".utf8).count + 4] = 0xFF   // the first key's length: now longer than its body
        #expect(ManifestFactsCache.decode(Data(damaged), header: "h 1 x") == ["k2": records["k2"]!])
    }

    @Test("list stacks' pairs are placements' pairs, with and without a component filter")
    func stackFilesMatchPlacements() throws {
        let catalog = try StackIndexTests.catalog()
        for only: Set<String>? in [nil, ["vpc"], ["a"], ["chart"], ["nope"]] {
            let types = StackCatalog.allComponentTypes
            let fromPlacements = Set(catalog.placementsReporting(onlyComponents: only, types: types).placements
                .map { CatalogPair(stack: $0.stackName, file: $0.stackFileID) })
            let fromFiles = Set(catalog.stackFilesReporting(onlyComponents: only, types: types).stacks
                .map { CatalogPair(stack: $0.stackName, file: $0.stackFileID) })
            #expect(fromFiles == fromPlacements, "only: \(String(describing: only))")
        }
    }

    struct CatalogPair: Hashable { var stack: String; var file: String }

    @Test("off in untrusted mode and with KIT_CACHE=off; the parse limits are part of the header")
    func whenOff() throws {
        let repo = try StackIndexTests.repo()
        var config = try repo.config()
        let env = ["HOME": FixtureRepo.sessionRoot + "/home-\(UUID().uuidString)"]
        #expect(ManifestFactsCache.forStacks(config.stacksBasePath, config: config, environment: env).isActive)
        #expect(!ManifestFactsCache.forStacks(config.stacksBasePath, config: config, environment: env.merging(["KIT_CACHE": "off"]) { $1 }).isActive)
        let before = ManifestFactsCache.forStacks(config.stacksBasePath, config: config, environment: env).header
        config.limits.maxDepth = 7
        #expect(ManifestFactsCache.forStacks(config.stacksBasePath, config: config, environment: env).header != before)
        config.trust = TrustPolicy(untrusted: true)
        #expect(!ManifestFactsCache.forStacks(config.stacksBasePath, config: config, environment: env).isActive)
    }
}
