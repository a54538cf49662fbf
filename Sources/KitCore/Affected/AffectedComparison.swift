import KitModel
import KitStacks
import KitTerraform
/// The comparison of one pair's resolved configuration at two refs, in atmos's reason order.
struct Comparison {
    let id: InstanceID
    let component: ResolvedComponent
    let old: ResolvedComponent?
    /// (reason key, text), in the order found.
    private(set) var findings: [(String, String)] = []
    var file: String?
    var folder: String?

    init(id: InstanceID, component: ResolvedComponent, old: ResolvedComponent?) {
        self.id = id
        self.component = component
        self.old = old
    }

    /// atmos's order of reason keys (reference §11.4), with kit's `stack.hooks` before settings.
    static let order = ["stack.metadata", "component.module", "component", "stack.vars", "stack.env", "stack.providers",
                        "stack.required_providers", "stack.required_version", "stack.generate", "stack.backend",
                        "stack.backend_type", "stack.remote_state_backend", "stack.remote_state_backend_type", "stack.auth",
                        "stack.command", "stack.dependencies", "stack.hooks", "stack.settings", "file", "folder"]

    mutating func add(_ key: String, _ text: String) { findings.append((key, text)) }

    /// `metadata` and the terraform folder.
    mutating func compareMetadata() {
        guard let old else { return }
        if old.folder != component.folder {
            add("stack.metadata", "terraform folder renamed from '\(old.folder)' to '\(component.folder)'")
        }
        diff("stack.metadata", "metadata", old.metadata, component.metadata)
    }

    /// Every other section, by deep equality.
    mutating func compareSections() {
        guard let old else { return }
        let c = component
        diff("stack.vars", "vars", old.vars, c.vars)
        diff("stack.env", "env", old.env, c.env)
        diff("stack.providers", "providers", old.providers, c.providers)
        diff("stack.required_providers", "required_providers", old.requiredProviders, c.requiredProviders)
        scalar("stack.required_version", "required_version", old.requiredVersion ?? "", c.requiredVersion ?? "")
        diff("stack.generate", "generate", old.generate, c.generate)
        diff("stack.backend", "backend", old.backend, c.backend)
        scalar("stack.backend_type", "backend_type", old.backendType, c.backendType)
        diff("stack.remote_state_backend", "remote_state_backend", old.remoteStateBackend, c.remoteStateBackend)
        scalar("stack.remote_state_backend_type", "remote_state_backend_type", old.remoteStateBackendType, c.remoteStateBackendType)
        diff("stack.auth", "auth", old.auth, c.auth)
        scalar("stack.command", "command", old.command, c.command)
        diff("stack.dependencies", "dependencies", old.dependencies, c.dependencies)
        diff("stack.hooks", "hooks", old.hooks, c.hooks)
        diff("stack.settings", "settings", old.settings, c.settings)
    }

    mutating func scalar(_ key: String, _ name: String, _ a: String, _ b: String) {
        if a != b { add(key, "\(name) changed") }
    }

    /// One finding per changed top-level key of the section: `vars.cidr changed`, `vars.x added`.
    mutating func diff(_ key: String, _ name: String, _ a: [String: Value], _ b: [String: Value]) {
        if a == b { return }
        for k in Set(a.keys).union(b.keys).sorted() where a[k] != b[k] {
            let what = a[k] == nil ? "added" : b[k] == nil ? "removed" : "changed"
            add(key, "\(name).\(k) \(what)")
        }
    }

    /// The reported pair, or nil when nothing changed.
    func instance(folder: String, enabled: Bool) -> AffectedInstance? {
        if findings.isEmpty { return nil }
        let keys = Set(findings.map(\.0))
        let all = Self.order.filter { keys.contains($0) } + keys.subtracting(Self.order).sorted()
        var reasons: [String] = []
        for k in all { for (key, text) in findings where key == k && !reasons.contains(text) { reasons.append(text) } }
        return AffectedInstance(id: id, folder: folder, affectedAll: all, reasons: reasons, file: file, changedFolder: self.folder,
                                enabled: enabled)
    }
}
