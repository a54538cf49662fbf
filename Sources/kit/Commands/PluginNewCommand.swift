import ArgumentParser
import Foundation
import KitCore

extension PluginCommand {
    /// `kit plugin new NAME`: scaffolds an out-of-tree plugin package.
    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a new out-of-tree plugin package.",
            discussion: "The package depends on kit's KitPluginSDK product and builds 'libKit<Name>.so'.")

        @Argument(help: "The plugin name, e.g. 'gcp' or 'acme-policy' (lowercase letters, digits and hyphens, starting with a letter).")
        var name: String

        @Option(help: "Directory to create (default: ./Kit<Name>).")
        var output: String?

        @Option(name: .customLong("sdk-path"), help: "The kit source checkout providing KitPluginSDK (default: KIT_SDK_PATH, else the checkout kit was built from).")
        var sdkPath: String?

        /// The kit checkout this binary was built from (Sources/kit/Commands/<this file> → the package root).
        static let builtFromCheckout: String = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

        func validate() throws {
            guard let first = name.unicodeScalars.first, CharacterSet.letters.contains(first), !name.hasSuffix("-"), !name.contains("--"),
                  name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
                throw ValidationError("plugin name '\(name)' must be ASCII letters, digits and single hyphens, starting with a letter, e.g. 'gcp' or 'acme-policy'")
            }
        }

        func run() throws {
            let scaffold = PluginScaffold(name: name, sdkPath: resolvedSDKPath())
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
            print("build it:  cd \(dir) && swift build -c release --product \(scaffold.productName)")
            print("install:   cp .build/release/lib\(scaffold.productName).so ~/.kit/plugins/  (or any directory in KIT_PLUGIN_PATH / plugins.paths)")
        }

        func resolvedSDKPath() -> String {
            if let sdkPath { return URL(fileURLWithPath: sdkPath).standardizedFileURL.path }
            if let env = ProcessInfo.processInfo.environment["KIT_SDK_PATH"], !env.isEmpty { return env }
            return Self.builtFromCheckout
        }
    }
}

/// The files of a new plugin package.
struct PluginScaffold {
    /// What the user typed, e.g. `gcp`.
    let name: String
    /// The kit checkout to depend on.
    let sdkPath: String

    /// `gcp` → `gcp` (what components select in `settings.kit.providers`).
    var pluginName: String { name.lowercased() }
    /// `gcp` → `KitGcp`, `GCP` → `KitGCP`.
    /// `acme-policy` → `KitAcmePolicy` (each hyphen-separated word capitalised).
    var productName: String {
        "Kit" + name.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
    var typeName: String { productName.dropFirst(3) + "Plugin" }
    var packageIdentity: String { URL(fileURLWithPath: sdkPath).lastPathComponent }

    var files: [(String, String)] {
        [("Package.swift", manifest), ("Sources/\(productName)/Plugin.swift", source), ("README.md", readme), (".gitignore", ".build/\n")]
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
                .package(path: "\(sdkPath)"),
            ],
            targets: [
                .target(name: "\(productName)", dependencies: [
                    .product(name: "KitPluginSDK", package: "\(packageIdentity)"),
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

    var readme: String {
        """
        # \(productName)

        A provider plugin for kit named `\(pluginName)`.

        ## Build

        ```sh
        swift build -c release --product \(productName)
        ```

        This produces `.build/release/lib\(productName).so`. Build it with the same Swift version as kit
        (`kit plugin list` shows the versions), or self-contained with
        `swift build -c release --product \(productName) -Xswiftc -static-stdlib`.

        ## Install

        Copy the `.so` into one of the places kit searches (and nowhere else):

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
