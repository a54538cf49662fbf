import KitPluginSDK

/// The tags kit puts into the aws provider's `default_tags`: `vars.tags` plus the required tag keys
/// it can find elsewhere in vars.
///
/// Mapping for a required key that `vars.tags` lacks (the first match wins):
/// - `Environment` ← `vars.stage`, then `vars.Environment` (never `vars.environment`: in atmos stacks
///   that is the region code, e.g. `ue1`)
/// - any other key `K` ← `vars.K`, then `vars.<snake_case of K>` (`Owner` ← `vars.owner`,
///   `CostCenter` ← `vars.cost_center`)
/// Only scalar, non-empty values count.
enum AWSDefaultTags {
    /// `vars.tags` ∪ the derived required tags.
    static func tags(for component: AWSComponent) -> [String: String] {
        var tags = AWSTagValue.map(component.vars["tags"])
        for key in component.requiredTags where (tags[key] ?? "").isEmpty {
            if let value = derivedValue(for: key, vars: component.vars) { tags[key] = value }
        }
        return tags
    }

    /// The vars keys consulted for a required tag key, in order.
    static func sourceKeys(for tagKey: String) -> [String] {
        // In atmos stacks `vars.environment` is the region code (`ue1`), not the environment.
        if tagKey == "Environment" { return ["stage", "Environment"] }
        let snake = snakeCase(tagKey)
        return snake == tagKey ? [tagKey] : [tagKey, snake]
    }

    private static func derivedValue(for tagKey: String, vars: [String: JSONValue]) -> String? {
        for source in sourceKeys(for: tagKey) {
            if let value = vars[source].flatMap(AWSTagValue.text), !value.isEmpty { return value }
        }
        return nil
    }

    /// `CostCenter` → `cost_center`.
    static func snakeCase(_ text: String) -> String {
        var result = ""
        for (index, character) in text.enumerated() {
            if character.isUppercase {
                if index > 0 { result.append("_") }
                result.append(contentsOf: character.lowercased())
            } else {
                result.append(character)
            }
        }
        return result
    }
}
