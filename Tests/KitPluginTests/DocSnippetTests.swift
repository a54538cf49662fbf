import Foundation
import KitPluginSDK
import Testing

/// The documentation cannot drift from the SDK and the C header: every fenced Swift and C block in
/// `docs/`, `README.md` and the DocC catalogs is compiled, and every version the docs state is the
/// one the header and the SDK declare.
///
/// - Swift blocks with `import PackageDescription` are whole manifests: `swift package dump-package`
///   evaluates them. Other Swift blocks are type-checked (`swiftc -typecheck`) against this build's
///   `KitPluginSDK` and `KitPluginTesting` modules.
/// - C blocks are compiled with `-Wall -Werror` against the public header alone (`kit_plugin.h` is
///   force-included, so a block that restates the header's macros must restate them exactly).
@Suite("documentation snippets", .serialized)
struct DocSnippetTests {
    /// One fenced block.
    struct Snippet: CustomStringConvertible {
        var file: String
        var line: Int
        var language: String
        var text: String
        var description: String { "\(file):\(line) (\(language))" }
    }

    /// The markdown files whose snippets are compiled (repository-relative).
    static func documents() throws -> [String] {
        let root = LoaderFixtures.packageRoot.path
        let fm = FileManager.default
        var files = ["README.md"]
        files += try fm.contentsOfDirectory(atPath: root + "/docs").filter { $0.hasSuffix(".md") }.map { "docs/" + $0 }
        for catalog in ["Sources/KitPluginSDK/KitPluginSDK.docc", "Sources/KitPluginTesting/KitPluginTesting.docc"] {
            files += try fm.contentsOfDirectory(atPath: root + "/" + catalog).filter { $0.hasSuffix(".md") }.map { catalog + "/" + $0 }
        }
        return files.sorted()
    }

    /// Every ```swift and ```c block of `file`.
    static func snippets(in file: String) throws -> [Snippet] {
        let text = try String(contentsOfFile: LoaderFixtures.packageRoot.path + "/" + file, encoding: .utf8)
        var found: [Snippet] = []
        var current: Snippet?
        var inOtherBlock = false
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if var open = current {
                if trimmed == "```" {
                    found.append(open)
                    current = nil
                } else {
                    open.text += line + "\n"
                    current = open
                }
            } else if inOtherBlock {
                if trimmed == "```" { inOtherBlock = false }
            } else if trimmed.hasPrefix("```") {
                let language = String(trimmed.dropFirst(3)).trimmingCharacters(in: .whitespaces)
                if ["swift", "c"].contains(language) {
                    current = Snippet(file: file, line: index + 1, language: language, text: "")
                } else {
                    inOtherBlock = true
                }
            }
        }
        return found
    }

    static func allSnippets() throws -> [Snippet] { try documents().flatMap { try snippets(in: $0) } }

    /// This test run's build products directory (holds `Modules/` and the C targets' module maps).
    static func buildProducts() throws -> String {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<5 {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Modules/KitPluginSDK.swiftmodule").path) { return dir.path }
            dir = dir.deletingLastPathComponent()
        }
        throw LoaderFixtureError("no Modules/KitPluginSDK.swiftmodule above '\(CommandLine.arguments[0])'; run 'swift build --build-tests' first")
    }

    @Test("the docs have Swift and C snippets to compile")
    func snippetsFound() throws {
        let all = try Self.allSnippets()
        #expect(all.filter { $0.language == "swift" }.count >= 5, "\(all)")
        #expect(all.filter { $0.language == "c" }.count >= 2, "\(all)")
        #expect(all.contains { $0.file == "docs/plugins.md" && $0.text.contains("events.emit(") },
                "docs/plugins.md has no compiled example of emitting a log event")
    }

    @Test("every Swift snippet compiles against KitPluginSDK (manifests evaluate)")
    func swiftSnippetsCompile() throws {
        let products = try Self.buildProducts()
        let work = try LoaderFixtures.makeTempDir("doc-swift")
        for (n, snippet) in try Self.allSnippets().filter({ $0.language == "swift" }).enumerated() {
            let dir = work + "/snippet-\(n)"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            if snippet.text.contains("import PackageDescription") {
                try snippet.text.write(toFile: dir + "/Package.swift", atomically: true, encoding: .utf8)
                let (status, log) = try LoaderFixtures.run("/usr/bin/env", ["swift", "package", "--package-path", dir, "dump-package"],
                                                           environment: ProcessInfo.processInfo.environment.merging(["HOME": dir]) { $1 })
                #expect(status == 0, "\(snippet): the manifest does not evaluate:\n\(log)")
            } else {
                try snippet.text.write(toFile: dir + "/Snippet.swift", atomically: true, encoding: .utf8)
                let moduleMaps = ["CKitPlugin"].map { "-fmodule-map-file=\(products)/\($0).build/module.modulemap" }
                let (status, log) = try LoaderFixtures.run("/usr/bin/env", ["swiftc", "-typecheck", "-parse-as-library", "-module-name", "DocSnippet",
                                                                             "-I", products + "/Modules"]
                                                           + moduleMaps.flatMap { ["-Xcc", $0] } + [dir + "/Snippet.swift"])
                #expect(status == 0, "\(snippet) does not compile:\n\(log)\n--- snippet\n\(snippet.text)")
            }
        }
    }

    @Test("every C snippet compiles with -Wall -Werror against the public header alone")
    func cSnippetsCompile() throws {
        let work = try LoaderFixtures.makeTempDir("doc-c")
        for (n, snippet) in try Self.allSnippets().filter({ $0.language == "c" }).enumerated() {
            let source = work + "/snippet-\(n).c"
            try snippet.text.write(toFile: source, atomically: true, encoding: .utf8)
            let (status, log) = try LoaderFixtures.run("/usr/bin/env", ["cc", "-std=c11", "-D_GNU_SOURCE", "-Wall", "-Werror", "-fPIC",
                                                                         "-I", LoaderFixtures.header, "-include", "kit_plugin.h",
                                                                         "-c", source, "-o", work + "/snippet-\(n).o"])
            #expect(status == 0, "\(snippet) does not compile:\n\(log)\n--- snippet\n\(snippet.text)")
        }
    }

    @Test("the public header declares nothing a plugin cannot link: kit's bridging helpers are in kit_plugin_bridge.h")
    func publicHeaderHasNoHostHelpers() throws {
        let header = try String(contentsOfFile: LoaderFixtures.header + "/kit_plugin.h", encoding: .utf8)
        for helper in ["kit_host_emit", "kit_plugin_call_handle", "kit_plugin_call_free"] {
            #expect(!header.contains(helper), "kit_plugin.h declares kit's helper '\(helper)'")
        }
        // A C plugin that calls a helper does not compile against the public header.
        let work = try LoaderFixtures.makeTempDir("doc-header")
        try """
        #include "kit_plugin.h"
        void f(const kit_host_v1 *host) { kit_host_emit(host, "{}", 2); }

        """.write(toFile: work + "/uses-helper.c", atomically: true, encoding: .utf8)
        let (status, log) = try LoaderFixtures.run("/usr/bin/env", ["cc", "-std=c11", "-Wall", "-Werror", "-I", LoaderFixtures.header,
                                                                     "-c", work + "/uses-helper.c", "-o", work + "/uses-helper.o"])
        #expect(status != 0, "a call to kit_host_emit compiled against the public header:\n\(log)")
        #expect(log.contains("kit_host_emit"), "\(log)")
    }

    /// The header's ABI version, read from its macros.
    static func headerABI() throws -> (major: Int, minor: Int) {
        let header = try String(contentsOfFile: LoaderFixtures.header + "/kit_plugin.h", encoding: .utf8)
        func value(_ name: String) throws -> Int {
            let pattern = try NSRegularExpression(pattern: "#define \(name) ([0-9]+)u")
            guard let m = pattern.firstMatch(in: header, range: NSRange(header.startIndex..., in: header)),
                  let r = Range(m.range(at: 1), in: header), let v = Int(header[r]) else {
                throw LoaderFixtureError("kit_plugin.h has no '#define \(name) <n>u'")
            }
            return v
        }
        return (try value("KIT_PLUGIN_ABI_MAJOR"), try value("KIT_PLUGIN_ABI_MINOR"))
    }

    @Test("every ABI and SDK version the docs state is the header's and the SDK's")
    func versionsMatchTheHeader() throws {
        let abi = try Self.headerABI()
        let abiText = "\(abi.major).\(abi.minor)"
        let sdk = KitPluginSDKInfo.version
        #expect(sdk.hasPrefix(abiText + "."), "KitPluginSDKInfo.version \(sdk) does not follow the header's ABI \(abiText)")
        // (pattern, expected): each capture must be the current version.
        let rules: [(String, String)] = [
            (#"plugin abi ([0-9]+\.[0-9]+)"#, abiText),
            (#"this kit speaks ABI ([0-9]+\.[0-9]+)"#, abiText),
            (#"KIT_PLUGIN_ABI_MINOR ([0-9]+)u"#, "\(abi.minor)"),
            (#"plugin sdk ([0-9]+\.[0-9]+\.[0-9]+)"#, sdk),
            (#"from: \"([0-9]+\.[0-9]+\.[0-9]+)\""#, sdk),
            (#"KitPluginSDK version \(`([0-9]+\.[0-9]+\.[0-9]+)`\)"#, sdk),
            (#"SDK version ([0-9]+\.[0-9]+\.[0-9]+) speaks"#, sdk),
            (#"`version` = `\"([0-9]+\.[0-9]+\.[0-9]+)\"`"#, sdk),
            (#"kit plugin list +# +[a-z]+ +[0-9.]+ +([0-9]+\.[0-9]+)"#, abiText),
        ]
        var checked = 0
        for file in try Self.documents() {
            let text = try String(contentsOfFile: LoaderFixtures.packageRoot.path + "/" + file, encoding: .utf8)
            for (pattern, expected) in rules {
                let regex = try NSRegularExpression(pattern: pattern)
                for m in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                    guard let r = Range(m.range(at: 1), in: text) else { continue }
                    checked += 1
                    let line = text[..<r.lowerBound].filter { $0 == "\n" }.count + 1
                    #expect(String(text[r]) == expected, "\(file):\(line): states '\(text[r])' where the header/SDK say '\(expected)'")
                }
            }
        }
        #expect(checked >= 5, "the version rules matched only \(checked) place(s): a rule no longer finds what it checks")
    }
}
