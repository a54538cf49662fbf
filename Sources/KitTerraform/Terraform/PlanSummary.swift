import KitPluginSDK
import KitModel
import KitStacks

/// Counts of a plan's resource changes, from terraform's `show -json` document.
public enum PlanSummary {
    /// `{"add": n, "change": n, "destroy": n, "replace": n}`.
    public static func summarize(_ plan: JSONValue) -> JSONValue {
        var add = 0, change = 0, destroy = 0, replace = 0
        var addresses: [JSONValue] = []
        for rc in plan["resource_changes"]?.arrayValue ?? [] {
            let actions = (rc.value(at: ["change", "actions"])?.arrayValue ?? []).compactMap(\.stringValue)
            if !actions.isEmpty && actions != ["no-op"] && actions != ["read"], let a = rc["address"]?.stringValue { addresses.append(.string(a)) }
            switch actions {
            case ["create"]: add += 1
            case ["update"]: change += 1
            case ["delete"]: destroy += 1
            case ["delete", "create"], ["create", "delete"]: replace += 1
            default: break
            }
        }
        return .object(["add": .int(add), "change": .int(change), "destroy": .int(destroy), "replace": .int(replace),
                        "addresses": .array(addresses)])
    }

    /// "2 to add, 0 to change, 1 to destroy, 0 to replace".
    public static func line(_ s: JSONValue) -> String {
        let n = { (k: String) in s[k]?.intValue ?? 0 }
        return "\(n("add")) to add, \(n("change")) to change, \(n("destroy")) to destroy, \(n("replace")) to replace"
    }
}
