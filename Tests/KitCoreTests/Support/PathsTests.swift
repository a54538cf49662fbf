import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

@Suite struct PathsTests {
    @Test(arguments: [
        ("/repo", "stacks", "/repo/stacks"),
        ("/repo/stacks", "catalog/vpc.yaml", "/repo/stacks/catalog/vpc.yaml"),
        ("/repo/stacks", "./x.yaml", "/repo/stacks/x.yaml"),
        ("/repo/stacks/orgs", "../catalog/x", "/repo/stacks/catalog/x"),
        ("/repo/stacks", "a//b/", "/repo/stacks/a/b"),
        ("/repo/stacks/", "a", "/repo/stacks/a"),
        ("/repo", "/abs/path", "/abs/path"),
        ("/", "x", "/x"),
        ("rel", "..", "."),
        ("a", ".hidden/...", "a/.hidden/..."),
    ])
    func joinNormalises(a: String, b: String, expected: String) {
        #expect(Paths.join(a, b) == expected)
    }

    @Test(arguments: [
        ("", "."), (".", "."), ("./", "."), ("/", "/"), ("//", "/"), ("/..", "/"), ("/../a", "/a"),
        ("..", ".."), ("../..", "../.."), ("a/../..", ".."), ("../a/../b", "../b"), ("a/./b/", "a/b"),
        ("a//b///c", "a/b/c"), ("/a/b/../../..", "/"), ("x/...", "x/..."), (".a/..b/a..", ".a/..b/a.."),
        ("é/ü/../ß", "é/ß"), ("a/b/c/../../d", "a/d"),
    ])
    func normalizeFoldsSegments(path: String, expected: String) {
        #expect(Paths.normalize(path) == expected)
    }

    @Test(arguments: [
        ("orgs/dev.yaml", "orgs/dev"), ("orgs/dev.yml", "orgs/dev"), ("orgs/dev.yaml.tmpl", "orgs/dev.yaml.tmpl"),
        (".yaml", ""), ("yaml", "yaml"), ("a.YAML", "a.YAML"), ("é/ß.yaml", "é/ß"), ("x.yamlx", "x.yamlx"), ("", ""),
    ])
    func stripExtensionDropsOnlyYAMLSuffixes(path: String, expected: String) {
        #expect(stripExtension(path) == expected)
    }

    @Test func cleanPathsAreRecognised() {
        #expect(Paths.isClean("/repo/stacks"))
        #expect(Paths.isClean("catalog/vpc.yaml"))
        #expect(Paths.isClean("/"))
        #expect(!Paths.isClean("a/./b"))
        #expect(!Paths.isClean("a/../b"))
        #expect(!Paths.isClean("a//b"))
        #expect(!Paths.isClean("a/"))
        #expect(!Paths.isClean(".."))
        #expect(!Paths.isClean(""))
    }
}
