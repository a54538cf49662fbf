import KitModel
/// One (stack, component) pair: the unit an estate run plans, applies or destroys.
public struct InstanceID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var stack: String
    public var component: String

    public init(stack: String, component: String) {
        self.stack = stack
        self.component = component
    }

    /// `component (stack)`, as messages and the summary table show it.
    public var description: String { "\(component) (\(stack))" }

    public static func < (a: InstanceID, b: InstanceID) -> Bool { (a.stack, a.component) < (b.stack, b.component) }
}
