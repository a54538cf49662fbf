// swift-tools-version:6.0
import PackageDescription

// The kernel is split into layered targets (KitModel → KitStacks → KitTerraform → KitCore); the hot
// paths (values, merging, JSON writing) cross those module boundaries, so release builds let the
// optimiser specialise and inline across them as it did inside one module.
let layerOptimization: [SwiftSetting] = [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]

let package = Package(
    name: "kit",
    products: [
        .executable(name: "kit", targets: ["kit"]),
        .executable(name: "kit-plugin-host", targets: ["kit-plugin-host"]),
        .library(name: "KitPluginSDK", targets: ["KitPluginSDK"]),
        .library(name: "KitPluginTesting", targets: ["KitPluginTesting"]),
        .library(name: "KitAWS", type: .dynamic, targets: ["KitAWSPlugin"]),
        .library(name: "KitAzure", type: .dynamic, targets: ["KitAzurePlugin"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // `swift package generate-documentation` (scripts/docs): the SDK's API reference. A plugin,
        // not linked into anything kit ships.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
        // Plugin pins and plugins.lock: a vetted SHA-256 (BoringSSL's), not a hand-written one.
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
    ],
    targets: [
        .systemLibrary(name: "CLibYAML", pkgConfig: "yaml-0.1",
                       providers: [.apt(["libyaml-dev"])]),
        // libjq evaluates queries (docs/query.md). Debian's libjq-dev ships no pkg-config file.
        .systemLibrary(name: "CLibJQ", providers: [.apt(["libjq-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "CKitPlugin"),
        .target(name: "CKitProcess"),
        .target(name: "KitPluginSDK", dependencies: ["CKitPlugin"], linkerSettings: [.linkedLibrary("m")]),
        .target(name: "KitPluginTesting", dependencies: ["KitPluginSDK", "CKitPlugin"]),
        // The plugin runtime: loading a plugin library and calling it (what kit-plugin-host needs, and nothing else).
        .target(name: "KitPluginRuntime", dependencies: ["CKitPlugin", "CKitProcess", "KitPluginSDK",
                                                         .product(name: "Crypto", package: "swift-crypto")]),
        // The layers along the data path; each target sees only the ones above it, so a back-edge does
        // not build. KitModel: values, YAML and JSON text, HCL tokens, files, user text, located errors.
        .target(name: "KitModel", dependencies: ["CLibYAML", "CKitPlugin", "KitPluginSDK"], swiftSettings: layerOptimization),
        // KitStacks: configuration, stack manifests, inheritance, templates, YAML functions, queries and
        // the documents describe prints — everything between the YAML on disk and a resolved component.
        .target(name: "KitStacks", dependencies: ["KitModel", "CLibJQ", "KitPluginSDK",
                                                  .product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: layerOptimization),
        // KitTerraform: one component's run — the typed pipeline (rendered → evaluated → validated →
        // references → runnable), the files kit writes, the terraform runner and process effects, and
        // the plugins (registry, isolation, hooks, stores).
        .target(name: "KitTerraform", dependencies: ["KitModel", "KitStacks", "CKitPlugin", "CKitProcess", "KitPluginSDK", "KitPluginRuntime",
                                                     .product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: layerOptimization),
        // KitCore: many runs — estates, affected, run records, workflows, vendoring and the session
        // (the composition root). It re-exports the layers below.
        .target(name: "KitCore", dependencies: ["KitModel", "KitStacks", "KitTerraform", "CLibYAML", "CLibJQ", "CSQLite", "CKitPlugin", "CKitProcess", "KitPluginSDK", "KitPluginRuntime",
                                                .product(name: "Crypto", package: "swift-crypto")]),
        // KitCommandLine: the syntax of kit's own arguments (what the CLI hands the kernel is typed).
        .target(name: "KitCommandLine", dependencies: ["KitModel", "KitStacks", "KitTerraform"]),
        .executableTarget(name: "kit", dependencies: [
            "KitCommandLine", "KitCore", "KitModel", "KitStacks", "KitTerraform", "KitPluginSDK",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "kit-plugin-host", dependencies: ["KitPluginRuntime", "KitPluginSDK", "CKitProcess"]),
        // Each plugin is its logic (tested directly) plus a one-file target exporting `kit_plugin_v1`,
        // so the tests can link both plugins' logic without two definitions of the entry symbol.
        // What both first-party plugins need besides the SDK (a blocking HTTP GET, UTC dates for signing).
        .target(name: "CKitHTTP", path: "Plugins/CHTTP"),
        .target(name: "KitPluginSupport", dependencies: ["CKitHTTP"], path: "Plugins/Support"),
        .target(name: "KitAWS", dependencies: ["KitPluginSDK", "KitPluginSupport"], path: "Plugins/AWS"),
        .target(name: "KitAWSPlugin", dependencies: ["KitAWS", "KitPluginSDK"], path: "Plugins/AWSExport"),
        .target(name: "KitAzure", dependencies: ["KitPluginSDK", "KitPluginSupport"], path: "Plugins/Azure"),
        .target(name: "KitAzurePlugin", dependencies: ["KitAzure", "KitPluginSDK"], path: "Plugins/AzureExport"),
        .testTarget(name: "KitCoreTests", dependencies: ["KitCore", "KitModel", "KitStacks", "KitTerraform", "KitCommandLine"]),
        .testTarget(name: "KitCLITests", dependencies: ["KitCore", "KitModel", "KitStacks", "KitTerraform"], exclude: ["Fixtures", "Golden"]),
        .testTarget(name: "KitPluginTests", dependencies: ["KitCore", "KitModel", "KitStacks", "KitTerraform", "KitPluginSDK", "KitPluginTesting", "KitAWS", "KitAzure", "KitPluginSupport"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "KitIntegrationTests", dependencies: ["KitCore", "KitModel", "KitStacks", "KitTerraform"], exclude: ["Fixtures", "Golden"]),
    ],
    swiftLanguageModes: [.v6]
)
