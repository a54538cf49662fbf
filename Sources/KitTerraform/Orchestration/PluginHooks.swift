import Synchronization
import Foundation
import KitPluginSDK
import KitModel
import KitStacks

/// Terraform hooks backed by provider plugins: the plugins that answer for a component are chosen by
/// its `backend_type` and `settings.kit.providers` (plugin names, or provider names such as `azurerm`).
public struct PluginHooks: TerraformHooks {
    public let registry: PluginRegistry
    let environment: [String: String]

    public init(registry: PluginRegistry, environment: [String: String]) {
        self.registry = registry
        self.environment = environment
    }

    /// Every loaded plugin.
    public func plugins() throws -> [LoadedPlugin] { registry.plugins }

    /// The plugins for a component, in order.
    public func plugins(for c: ResolvedComponent) throws -> [LoadedPlugin] {
        let requested = (c.settings["kit"]?["providers"]?.listValue ?? []).compactMap(\.stringValue).map { name -> String in
            if registry.plugin(named: name) != nil { return name }
            return registry.plugins.first { $0.description.providers.contains(name) }?.name ?? name
        }
        return try registry.plugins(forBackendType: c.backendType, requested: requested)
    }

    /// The component document plugins receive (what `kit describe component` prints, core sections).
    public static func document(_ c: ResolvedComponent) -> JSONValue {
        ValueJSON.convert(.map(ComponentDocument.sections(c)))
    }

    public func adapt(_ c: ResolvedComponent, operation: String) throws -> (RunAdaptation, [Finding]) {
        var result = RunAdaptation()
        var findings: [Finding] = []
        let doc = Self.document(c)
        for plugin in try plugins(for: c) {
            // kit checks the plugin's settings block against its declared schema before asking it.
            let invalid = PluginContract.settingsFindings(plugin: plugin, component: doc)
            if !invalid.isEmpty {
                findings += invalid
                continue
            }
            let response = try plugin.adapt(AdaptRequest(operation: operation, component: doc, stack: c.stackName,
                                                         workspace: c.workspace, ci: environment["CI"] != nil))
            if let b = response.backend, case .map(let m) = ValueJSON.convert(b) { result.backend = m }
            for e in response.env {
                result.env[e.name] = e.value
                if e.secret { result.secretEnv.insert(e.name) }
            }
            if let p = response.providersOverride, case .map(let m) = ValueJSON.convert(p) {
                result.providers = DeepMerge.merge([result.providers, m])
            }
            result.args += response.args
            findings += PluginContract.applyPolicies(response.findings, plugin: plugin, component: doc, settingsWarnings: true)
            result.reviewsPlans = true
        }
        return (result, findings)
    }

    public func review(_ c: ResolvedComponent, operation: String, plan: JSONValue) throws -> [Finding] {
        let doc = Self.document(c)
        return try plugins(for: c).flatMap { plugin -> [Finding] in
            let invalid = PluginContract.settingsFindings(plugin: plugin, component: doc)
            guard invalid.isEmpty else { return invalid }
            return PluginContract.applyPolicies(try plugin.review(ReviewRequest(operation: operation, component: doc, plan: plan)),
                                                plugin: plugin, component: doc, settingsWarnings: false)
        }
    }

    /// Configuration checks with no terraform run (`kit validate component`).
    public func validate(_ c: ResolvedComponent) throws -> [Finding] {
        let doc = Self.document(c)
        return try plugins(for: c).flatMap { plugin -> [Finding] in
            let invalid = PluginContract.settingsFindings(plugin: plugin, component: doc)
            guard invalid.isEmpty else { return invalid }
            return PluginContract.applyPolicies(try plugin.validate(ValidateRequest(component: doc)),
                                                plugin: plugin, component: doc, settingsWarnings: true)
        }
    }

    /// `read_state` through the plugin that handles the component's backend type (the first whose
    /// `backend_types` include it, as for `adapt`). The request carries the backend map the plugin's
    /// `adapt` returns (so its defaults apply) and kit's environment, overlaid with the component's
    /// `env` and the adaptation's. Nil when no plugin handles the backend, the plugin is older than
    /// ABI 1.1, its settings block is invalid, or it answers `unsupported_op`.
    public func readState(_ c: ResolvedComponent) throws -> StateReadResult? {
        guard !c.backendType.isEmpty, c.backendType != "local",
              let plugin = registry.plugins.first(where: { $0.description.backendTypes.contains(c.backendType) }),
              plugin.speaksReadState else { return nil }
        let doc = Self.document(c)
        guard PluginContract.settingsFindings(plugin: plugin, component: doc).isEmpty else { return nil }
        let adapted = try plugin.adapt(AdaptRequest(operation: "output", component: doc, stack: c.stackName,
                                                    workspace: c.workspace, ci: environment["CI"] != nil))
        var env = environment
        for (k, v) in c.env {
            if case .null = v { continue }
            env[k] = v.interpolated
        }
        for e in adapted.env { env[e.name] = e.value }
        let request = ReadStateRequest(backendType: c.backendType, backend: adapted.backend ?? ValueJSON.convert(.map(c.backend)),
                                       workspace: c.workspace, env: env)
        switch try plugin.readState(request) {
        case nil: return nil
        case .state(let document)?: return .state(document)
        case .missing(let detail)?:
            return .missing(detail: detail.isEmpty ? "plugin '\(plugin.name)' found no \(c.backendType) state" : detail)
        }
    }

    public func after(_ c: ResolvedComponent, operation: String, exitCode: Int32, planSummary: JSONValue) -> [Finding] {
        guard let list = try? plugins(for: c) else { return [] }
        return list.flatMap { (try? $0.after(AfterRequest(operation: operation, exitCode: Int(exitCode), planSummary: planSummary))) ?? [] }
    }
}

/// Loads plugins only when a component needs them (a backend type other than `local`, or
/// `settings.kit.providers`), so local components never pay for, or depend on, plugins.
public final class LazyPluginHooks: TerraformHooks {
    let load: @Sendable () throws -> PluginHooks
    /// Loaded on first use; many components of an estate may ask at once.
    private let loaded = Mutex<PluginHooks?>(nil)

    public init(load: @escaping @Sendable () throws -> PluginHooks) { self.load = load }

    /// True when the component needs a plugin.
    public static func needsPlugins(_ c: ResolvedComponent) -> Bool {
        !(c.backendType.isEmpty || c.backendType == "local") || !(c.settings["kit"]?["providers"]?.listValue ?? []).isEmpty
    }

    func hooks() throws -> PluginHooks {
        try loaded.withLock { current in
            if let current { return current }
            let h = try load()
            current = h
            return h
        }
    }

    public func adapt(_ c: ResolvedComponent, operation: String) throws -> (RunAdaptation, [Finding]) {
        guard Self.needsPlugins(c) else { return (RunAdaptation(), []) }
        return try hooks().adapt(c, operation: operation)
    }

    public func review(_ c: ResolvedComponent, operation: String, plan: JSONValue) throws -> [Finding] {
        guard Self.needsPlugins(c) else { return [] }
        return try hooks().review(c, operation: operation, plan: plan)
    }

    /// Only for backends other than `local` (the kernel reads local state itself).
    public func readState(_ c: ResolvedComponent) throws -> StateReadResult? {
        guard !(c.backendType.isEmpty || c.backendType == "local") else { return nil }
        return try hooks().readState(c)
    }

    /// Every plugin, loaded on first use.
    public func plugins() throws -> [LoadedPlugin] { try hooks().registry.plugins }

    public func after(_ c: ResolvedComponent, operation: String, exitCode: Int32, planSummary: JSONValue) -> [Finding] {
        guard Self.needsPlugins(c), let h = try? hooks() else { return [] }
        return h.after(c, operation: operation, exitCode: exitCode, planSummary: planSummary)
    }
}
