import ArgumentParser
import Foundation
import KitCore

extension PluginCommand {
    /// `kit plugin new NAME`: scaffolds an out-of-tree plugin package.
    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "new",
            abstract: "Create a new out-of-tree plugin package.",
            discussion: "The package depends on kit's KitPluginSDK product and builds 'libKit<Name>.so'.")

        @Argument(help: "The plugin name, e.g. 'gcp' or 'acme-policy' (lowercase letters, digits and hyphens, starting with a letter).")
        var name: String

        @Option(help: "Directory to create (default: ./Kit<Name>).")
        var output: String?

        @Option(name: .customLong("sdk-url"), help: "The git URL of kit's package, which provides KitPluginSDK (default: KIT_SDK_URL, else \(PluginScaffold.defaultSDKURL)).")
        var sdkURL: String?

        @Option(name: .customLong("sdk-version"), help: "The KitPluginSDK version (a tag of kit's repository) to build against, up to the next minor (default: this kit's, \(BuildInfo.sdkVersion)).")
        var sdkVersion: String?

        @Option(name: .customLong("sdk-path"), help: "Depend on a local kit checkout by path instead of by URL (for developing kit itself).")
        var sdkPath: String?

        func validate() throws {
            guard let first = name.unicodeScalars.first, CharacterSet.letters.contains(first), !name.hasSuffix("-"), !name.contains("--"),
                  name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
                throw ValidationError("plugin name '\(name)' must be ASCII letters, digits and single hyphens, starting with a letter, e.g. 'gcp' or 'acme-policy'")
            }
        }

        func run() throws {
            let env = ProcessInfo.processInfo.environment
            let dependency: PluginScaffold.Dependency = sdkPath.map { .path(Paths.join(Paths.currentDirectory(), $0)) }
                ?? .url(sdkURL ?? env["KIT_SDK_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? PluginScaffold.defaultSDKURL,
                        from: sdkVersion ?? BuildInfo.sdkVersion)
            let scaffold = PluginScaffold(name: name, dependency: dependency)
            let dir = output ?? scaffold.productName
            let fm = FileManager.default
            if let existing = try? fm.contentsOfDirectory(atPath: dir), !existing.isEmpty {
                throw ValidationError("directory '\(dir)' already exists and is not empty; choose another with --output")
            }
            for (path, contents) in scaffold.files {
                let full = URL(fileURLWithPath: dir).appendingPathComponent(path)
                try fm.createDirectory(at: full.deletingLastPathComponent(), withIntermediateDirectories: true)
                try contents.write(to: full, atomically: true, encoding: .utf8)
            }
            print("created plugin package '\(dir)' (product \(scaffold.productName), plugin name '\(scaffold.pluginName)')")
            switch scaffold.dependency {
            case .url(let url, let from):
                print("the SDK:   \(url) \(from) up to the next minor (kit's release tags; a mirror or a local clone: --sdk-url or KIT_SDK_URL)")
            case .path(let path):
                print("the SDK:   the kit checkout at \(path)")
            }
            print("build it:  cd \(dir) && swift build -c release --product \(scaffold.productName)")
            print("test it:   swift test, and kit plugin test .build/release/lib\(scaffold.productName).so --request requests/validate.json")
            print("install:   kit plugin install .build/release/lib\(scaffold.productName).so")
        }
    }
}

/// The files of a new plugin package.
struct PluginScaffold {
    /// What the user typed, e.g. `gcp`.
    let name: String
    /// How the package depends on kit's package.
    enum Dependency {
        /// `.package(url:_:)` with `.upToNextMinor(from:)`: the normal way, by git URL and kit's release tag.
        case url(String, from: String)
        /// `.package(path:)`: a local kit checkout.
        case path(String)
    }

    /// The URL `kit plugin new` uses unless told otherwise (`--sdk-url`, `KIT_SDK_URL`): kit's own
    /// repository, whose release tags carry the SDK's version (one version line: `kit version`).
    static let defaultSDKURL = "https://github.com/kit-project/kit"

    let dependency: Dependency

    /// `gcp` → `gcp` (what components select in `settings.kit.providers`).
    var pluginName: String { name.lowercased() }
    /// `gcp` → `KitGcp`, `GCP` → `KitGCP`.
    /// `acme-policy` → `KitAcmePolicy` (each hyphen-separated word capitalised).
    var productName: String {
        "Kit" + name.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
    var typeName: String { productName.dropFirst(3) + "Plugin" }
    /// SwiftPM's identity of kit's package: the last path component of the URL or path, lowercased, without `.git`.
    var packageIdentity: String {
        let location: String
        switch dependency {
        case .url(let url, _): location = url
        case .path(let path): location = path
        }
        var last = String(location.split(separator: "/").last ?? "kit")
        if last.hasSuffix(".git") { last.removeLast(4) }
        return last
    }

    var dependencyLine: String {
        switch dependency {
        // Up to the next minor: the plugin keeps speaking the ABI minor it was written for, so it
        // loads in every kit of that minor or later (a newer SDK minor would make older kits refuse it).
        case .url(let url, let version): return ".package(url: \"\(url)\", .upToNextMinor(from: \"\(version)\"))"
        case .path(let path): return ".package(path: \"\(path)\")"
        }
    }

    var files: [(String, String)] {
        [("Package.swift", manifest), ("Sources/\(productName)/Plugin.swift", source),
         ("Tests/\(productName)Tests/\(typeName)Tests.swift", test), ("requests/validate.json", requests),
         ("README.md", readme), (".gitignore", ".build/\n")]
    }

    var manifest: String {
        """
        // swift-tools-version:6.0
        import PackageDescription

        let package = Package(
            name: "\(productName)",
            products: [
                // A dynamic library: kit loads lib\(productName).so at run time.
                .library(name: "\(productName)", type: .dynamic, targets: ["\(productName)"]),
            ],
            dependencies: [
                \(dependencyLine),
            ],
            targets: [
                .target(name: "\(productName)", dependencies: [
                    .product(name: "KitPluginSDK", package: "\(packageIdentity)"),
                ]),
                .testTarget(name: "\(productName)Tests", dependencies: [
                    "\(productName)",
                    .product(name: "KitPluginTesting", package: "\(packageIdentity)"),
                ]),
            ]
        )

        """
    }

    var source: String {
        """
        import KitPluginSDK

        /// The '\(pluginName)' provider plugin for kit.
        struct \(typeName): ProviderPlugin {
            init() {}

            func describe() -> PluginDescription {
                PluginDescription(
                    name: "\(pluginName)",
                    version: "0.1.0",
                    backendTypes: [],          // e.g. ["gcs"]: components with this backend_type use this plugin
                    providers: ["\(pluginName)"],
                    policies: [
                        PolicyInfo(id: "\(pluginName).tags.required", summary: "components set vars.tags", defaultSeverity: .warning),
                    ],
                    settingsSchema: .object(["type": .string("object")]))
            }

            func adapt(_ request: AdaptRequest, events: PluginEventSink) throws -> AdaptResponse {
                events.emit(.object(["event": .string("log"), "level": .string("info"),
                                     "message": .string("\(pluginName): \\(request.operation) in '\\(request.stack)'")]))
                return AdaptResponse(findings: try validate(ValidateRequest(component: request.component), events: events))
            }

            func validate(_ request: ValidateRequest, events: PluginEventSink) throws -> [Finding] {
                guard request.component.value(at: ["vars", "tags"]) == nil else { return [] }
                return [Finding(severity: .warning, policy: "\(pluginName).tags.required",
                                message: "component sets no 'tags'", path: "vars.tags", hint: "add vars.tags")]
            }
        }

        @_cdecl("kit_plugin_v1")
        public func kitPluginV1() -> UnsafeRawPointer { KitPluginExport.table(for: \(typeName).self) }

        """
    }

    var test: String {
        """
        import KitPluginTesting
        import Testing
        @testable import \(productName)

        /// Drives the plugin through its C table, as kit does, without kit or terraform.
        @Test func validateFlagsAComponentWithoutTags() throws {
            let harness = PluginHarness(\(typeName).self)
            #expect(try harness.describe().name == "\(pluginName)")
            let findings = try harness.validate(component: .object(["vars": .object([:])]))
            #expect(findings.map(\\.policy) == ["\(pluginName).tags.required"])
            #expect(try harness.validate(component: .object(["vars": .object(["tags": .object([:])])])).isEmpty)
        }

        """
    }

    var requests: String {
        """
        {
          "cases": [
            {
              "name": "validate flags a component without tags",
              "request": {"op": "validate", "component": {"vars": {}}},
              "expect": {"ok": true, "finding_count": 1, "findings": [{"policy": "\(pluginName).tags.required", "severity": "warning"}]}
            },
            {
              "name": "describe names the plugin",
              "request": {"op": "describe"},
              "expect": {"ok": true}
            }
          ]
        }

        """
    }

    var readme: String {
        """
        # \(productName)

        A provider plugin for kit named `\(pluginName)`.

        ## Build

        ```sh
        swift build -c release --product \(productName)
        ```

        This produces `.build/release/lib\(productName).so`. Build it with the same Swift version as kit
        (`kit plugin list` shows the versions), or — recommended: it then loads in a couple of
        milliseconds instead of bringing the shared Swift runtime into kit — self-contained with
        `swift build -c release --product \(productName) -Xswiftc -static-stdlib`.

        ## Test

        ```sh
        swift test                                   # Tests/: PluginHarness from KitPluginTesting
        kit plugin test .build/release/lib\(productName).so --request requests/validate.json
        ```

        ## Install

        `kit plugin install .build/release/lib\(productName).so` copies it into your plugin directory and
        records its sha256 in `plugins.lock`. Or copy the `.so` into one of the places kit searches:

        - a directory listed in `plugins.paths` in kit.yaml,
        - a directory in `KIT_PLUGIN_PATH` (colon-separated),
        - `~/.kit/plugins`, or `<prefix>/lib/kit/plugins` next to an installed kit.

        The file and its directory must not be writable by group or others (`chmod go-w`).
        Check it with `kit plugin list` and `kit plugin info \(pluginName)`.

        Components use it through their backend type (see `backendTypes` in `describe()`) or with
        `settings.kit.providers: [\(pluginName)]`. See kit's docs/plugins.md for every message and field.

        """
    }
}
