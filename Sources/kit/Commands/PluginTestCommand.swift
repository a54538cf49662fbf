import ArgumentParser
import Foundation
import KitCore
import KitPluginSDK

extension PluginCommand {
    /// `kit plugin test PLUGIN --request FILE`: sends a plugin requests and checks its answers.
    struct Test: ReportingCommand {
        static let configuration = CommandConfiguration(commandName: "test",
            abstract: "Send a plugin describe/adapt/review/validate requests from a file and check the answers.",
            discussion: "See docs/plugins.md ('Testing a plugin') for the request file format. Exits 1 when a case fails.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "A plugin name kit finds, or the path of a plugin library ('lib<Name>.so').")
        var plugin: String

        @Option(help: "The request file (JSON).")
        var request: String

        @Flag(name: .customLong("in-process"), help: "Load the plugin into kit's process instead of a kit-plugin-host.")
        var inProcess = false

        func run(_ diagnostics: Diagnostics) throws {
            let context = CLIContext(global, diagnostics)
            try context.run {
                try context.refuseUntrusted("'kit plugin test' loads or installs a plugin file")
                let loaded: LoadedPlugin
                if plugin.contains("/") || plugin.hasSuffix(".so") {
                    var settings = (try? context.pluginSettings().0) ?? PluginSettings()
                    if inProcess { settings.isolation = .never }
                    let path = Paths.join(Paths.currentDirectory(), plugin)
                    let exe = PluginSearchPath.runningExecutable()
                    loaded = try PluginRegistry.loadOne(path: path, displayPath: plugin, settings: settings,
                                                        hostExecutable: exe.map { URL(fileURLWithPath: $0).deletingLastPathComponent().appendingPathComponent("kit-plugin-host").path },
                                                        log: PluginHookSetup.pluginLog(diagnostics))
                } else {
                    loaded = try PluginCommand.plugin(named: plugin, in: PluginCommand.loadRegistry(context, isolated: inProcess ? false : nil))
                }
                let file = try PluginRequestFile.load(path: request)
                var failed = 0
                for testCase in file.cases {
                    let response = PluginRequestFile.respond(loaded, testCase.request)
                    let problems = PluginRequestFile.check(response, against: testCase.expect)
                    print("--- \(testCase.name)")
                    print(response.serialized(pretty: true), terminator: "")
                    if problems.isEmpty {
                        print("ok: \(testCase.name)")
                    } else {
                        failed += 1
                        for p in problems { print("FAIL: \(testCase.name): \(p)") }
                    }
                }
                loaded.shutdown()
                print("\(file.cases.count - failed) passed, \(failed) failed")
                if failed > 0 { throw ExitCode(1) }
            }
        }
    }
}
