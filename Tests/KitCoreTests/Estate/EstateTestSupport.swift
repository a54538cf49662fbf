@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

/// A resolved component for graph and runner tests: only the fields the estate layer reads.
func estateComponent(_ name: String, stack: String = "dev", vars: [String: Value] = [:], settings: [String: Value] = [:],
                     dependencies: [String: Value] = [:], metadata: [String: Value] = [:]) -> ResolvedComponent {
    ResolvedComponent(
        name: name, stackFile: "\(stack).yaml", stackFileID: stack, stackName: stack,
        baseComponentName: name, folder: name, vars: vars, settings: settings, env: [:],
        metadata: metadata, providers: [:], overrides: [:], hooks: [:], generate: [:], auth: [:], dependencies: dependencies,
        command: "terraform", backendType: "local", backend: [:], remoteStateBackendType: "local",
        remoteStateBackend: [:], requiredVersion: nil, requiredProviders: [:], inheritance: [],
        workspace: "\(stack)-\(name)", imports: [], layers: [], listMergeStrategy: .replace)
}

/// `dependencies.components: [{component: …}]`.
func dependsOn(_ names: String...) -> [String: Value] {
    ["components": .list(names.map { .map(["component": .string($0)]) })]
}

func id(_ component: String, _ stack: String = "dev") -> InstanceID { InstanceID(stack: stack, component: component) }
