import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks

/// `describe stacks --format json` masks while it writes (`JSONWriter.KeyMask`); the bytes must be
/// those of `SecretMask`'s masked sections written as before, for random components.
@Suite struct JSONMaskTests {
    static let keys = ["name", "password", "db_password", "api_key", "apiKey", "token_ttl", "TOKEN", "region", "tags",
                       "private_key_path", "secret", "client_secret", "nested", "items", "plain_name", "sensitive_one"]

    static func random(_ depth: Int, _ g: inout SystemRandomNumberGenerator) -> Value {
        switch Int.random(in: 0 ..< (depth > 2 ? 4 : 7), using: &g) {
        case 0: return .string(["v", "hunter2", "x y", "é"].randomElement(using: &g)!)
        case 1: return .int(Int.random(in: -5 ... 500, using: &g))
        case 2: return .null
        case 3: return .bool(Bool.random(using: &g))
        case 4, 5: return .map(randomMap(depth + 1, &g))
        default: return .list((0 ..< Int.random(in: 0 ... 3, using: &g)).map { _ in random(depth + 1, &g) })
        }
    }

    static func randomMap(_ depth: Int, _ g: inout SystemRandomNumberGenerator) -> [String: Value] {
        var m: [String: Value] = [:]
        for _ in 0 ..< Int.random(in: 0 ... 6, using: &g) { m[keys.randomElement(using: &g)!] = random(depth, &g) }
        return m
    }

    @Test func maskingWhileWritingWritesWhatSecretMaskMasks() throws {
        var g = SystemRandomNumberGenerator()
        var components: [String: Value] = [:]
        for i in 0 ..< 40 {
            components["c\(i)"] = .map(["vars": .map(Self.randomMap(0, &g)), "env": .map(Self.randomMap(1, &g))])
        }
        let manifest = YAMLWriter.documentBytes(.map(["components": .map(["terraform": .map(components)])]))
        let repo = try FixtureRepo(["stacks/deploy/dev.yaml": String(decoding: manifest, as: UTF8.self)])
        let catalog = try repo.catalog()
        var masked = 0
        for i in 0 ..< 40 {
            let c = try catalog.find(component: "c\(i)", stack: "deploy/dev")
            #expect(c.secretPaths.isEmpty)
            for sensitive in [Set<String>(), ["plain_name", "region"]] {
                var before = ComponentDocument.entries(c, componentType: false)
                let mask = SecretMask(c, raw: nil, sensitiveNames: sensitive)
                for k in before.indices where before[k].key == "vars" || before[k].key == "env" {
                    before[k].value = .map(before[k].key == "vars" ? mask.vars : mask.env)
                }
                if !mask.paths.isEmpty { masked += 1 }
                let expected = StacksDocumentWriter.fragment(entries: before, json: true)
                let written = StacksDocumentWriter.fragment(entries: ComponentDocument.entries(c, componentType: false), json: true,
                                                            mask: SecretMask.keyMask(sensitiveNames: sensitive))
                #expect(written == expected, "c\(i): \(String(decoding: written, as: UTF8.self))")
            }
        }
        // The comparison is not vacuous: most random components hold something to mask.
        #expect(masked > 20)
    }
}
