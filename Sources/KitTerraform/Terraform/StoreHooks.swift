import KitPluginSDK
import KitModel
import KitStacks

/// atmos's `hooks:` section after a successful `terraform apply` (or `deploy`): a hook of kind
/// `store` (`command: store` in older manifests) writes terraform outputs — `.name` — or literal
/// values to a configured store, under the component's key (`store.Set(stack, component, key)`), through
/// the plugin that serves the store's kind. Hooks run for single and estate runs alike (they are part of
/// `TerraformRunner.execute`). A hook whose event matches but whose kind kit does not run is a warning
/// naming it; a store hook that fails stops with an error naming the hook, component and stack (the apply
/// itself has succeeded).
struct StoreHooks {
    var component: ResolvedComponent
    var stores: [String: StoreConfiguration]
    var environment: [String: String]
    var plugins: () throws -> [LoadedPlugin]
    /// `terraform output -json` of the component, read once when a hook needs an output.
    var readOutputs: () throws -> [String: Value]
    var report: (RunEvent) -> Void

    /// atmos's event matching: no `events` matches every event; `after-terraform-apply` and
    /// `after.terraform.apply` are the same; `deploy` is `apply`.
    static func matchesAfterApply(_ hook: [String: Value]) -> Bool {
        guard let events = hook["events"]?.listValue, !events.isEmpty else { return true }
        return events.contains { e in
            let name = (e.stringValue ?? "").replacingOccurrences(of: "-", with: ".")
            return name == "after.terraform.apply" || name == "after.terraform.deploy"
        }
    }

    struct Failure: Error, CustomStringConvertible {
        var hook: String
        var component: String
        var stack: String
        var message: String
        var description: String {
            "hook \(UserText.quoted(hook)) of component \(UserText.quoted(component)) in stack \(UserText.quoted(stack)) failed after a successful apply: \(message)"
        }
    }

    func run() throws {
        var outputs: [String: Value]?
        for name in component.hooks.keys.sorted() {
            guard case .map(let hook) = component.hooks[name]!, Self.matchesAfterApply(hook) else { continue }
            let kind = hook["kind"]?.stringValue ?? hook["command"]?.stringValue ?? ""
            guard kind == "store" else {
                report(.warning("hook \(UserText.quoted(name)) of component \(UserText.quoted(component.name)) in stack \(UserText.quoted(component.stackName)) has kind \(UserText.quoted(kind)), which kit does not run (kit runs 'store' hooks)"))
                continue
            }
            func fail(_ message: String) -> Failure { Failure(hook: name, component: component.name, stack: component.stackName, message: message) }
            guard let storeName = hook["name"]?.stringValue, !storeName.isEmpty else { throw fail("a store hook needs 'name:' (the store in 'stores:')") }
            guard let store = stores[storeName] else { throw fail("store \(UserText.quoted(storeName)) is not configured in 'stores:'") }
            guard case .map(let wanted)? = hook["outputs"], !wanted.isEmpty else {
                report(.note("hook \(UserText.quoted(name)): no outputs configured, nothing stored"))
                continue
            }
            var written: [String] = []
            for key in wanted.keys.sorted() {
                let spec = wanted[key]!
                let value: Value
                if case .string(let s) = spec, s.hasPrefix(".") {
                    if outputs == nil {
                        do { outputs = try readOutputs() } catch { throw fail("cannot read the terraform outputs: \(error)") }
                    }
                    let outputName = String(s.dropFirst())
                    guard let v = outputs?[outputName] else { throw fail("the component has no terraform output \(UserText.quoted(outputName)) (for key \(UserText.quoted(key)))") }
                    value = v
                } else {
                    value = spec
                }
                let request = StoreRequest(action: .set, kind: store.kind, name: store.name, options: store.options, secret: store.secret,
                                           stack: component.stackName, component: component.name, key: key,
                                           value: ValueJSON.convert(value), env: environment)
                let loaded: [any FunctionServing]
                do { loaded = try plugins() } catch { throw fail("cannot load the plugins: \(error)") }
                let answer: StoreResponse?
                do { answer = try loaded.store(request) } catch { throw fail("\(error)") }
                guard answer != nil else { throw fail("no loaded plugin serves \(UserText.quoted(store.kind)) stores (store \(UserText.quoted(store.name)))") }
                written.append(key)
            }
            report(.note("hook \(UserText.quoted(name)): stored \(written.map { UserText.quoted($0) }.joined(separator: ", ")) of \(UserText.quoted(component.name)) in store \(UserText.quoted(store.name))"))
        }
    }

    /// The `value`s of `terraform output -json`.
    static func outputValues(_ bytes: [UInt8]) throws -> [String: Value] {
        let json = try JSONValue.parse(bytes: bytes)
        guard case .object(let members) = json else { throw TerraformError.invalidPlanJSON("terraform output -json did not print an object") }
        var out: [String: Value] = [:]
        for (name, entry) in members { out[name] = ValueJSON.convert(entry["value"] ?? .null) }
        return out
    }
}
