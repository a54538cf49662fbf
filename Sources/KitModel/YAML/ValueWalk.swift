/// Where a node sits in a value: its keys (map keys and list indices as text, for locating it in a
/// manifest through `ValuePath.key`) and its display text (`vars.subnets[0].cidr`).
public struct ValueLocation: Sendable, Equatable {
    public var keys: [String]
    public var text: String

    /// The root of a section (`vars`, `settings`, …).
    public init(section: String) {
        keys = [section]
        text = section
    }

    public init(keys: [String], text: String) {
        self.keys = keys
        self.text = text
    }

    func appending(key: String) -> ValueLocation { ValueLocation(keys: keys + [key], text: text + "." + key) }
    func appending(index: Int) -> ValueLocation { ValueLocation(keys: keys + [String(index)], text: text + "[\(index)]") }

    /// The keys joined with dots (`vars.subnets.0.cidr`), as function errors name a value.
    public var dotted: String { keys.joined(separator: ".") }
}

/// The one recursive walk over stack values. Every phase that looks at or replaces values inside a
/// component — templates, YAML functions, references, reference scans, locating a string in a
/// manifest, "does it hold a function" — goes through these three functions, so they all agree on
/// what is visited and in which order: maps by sorted key, lists by index, tagged values through
/// their content, scalars as leaves.
public enum ValueWalk {
    /// `value` with every node `replace` answers for replaced by its answer; a node it returns nil for
    /// is kept (scalars) or descended into (maps, lists, tagged values). Maps are visited in sorted
    /// key order, so the first error thrown is the same on every run.
    public static func rewrite(_ value: Value, at location: ValueLocation,
                               _ replace: (Value, ValueLocation) throws -> Value?) rethrows -> Value {
        if let replaced = try replace(value, location) { return replaced }
        switch value {
        case .map(let m):
            var out = m
            for k in m.keys.sorted() { out[k] = try rewrite(m[k]!, at: location.appending(key: k), replace) }
            return .map(out)
        case .list(let l):
            var out: [Value] = []
            out.reserveCapacity(l.count)
            for (i, item) in l.enumerated() { out.append(try rewrite(item, at: location.appending(index: i), replace)) }
            return .list(out)
        case .tagged(let tag, let inner):
            return .tagged(tag, try rewrite(inner, at: location, replace))
        default:
            return value
        }
    }

    /// What a visitor wants after seeing a node.
    public enum Step { case visitChildren, skipChildren, stop }

    /// Visits every node in document order — the node itself, then its children: maps by sorted
    /// key, lists by index, tagged values through their content — until `visit` says `.stop`.
    public static func visit(_ value: Value, at location: ValueLocation, _ visit: (Value, ValueLocation) -> Step) {
        // Iterative: values can be deep.
        var work: [(Value, ValueLocation)] = [(value, location)]
        while let (node, at) = work.popLast() {
            switch visit(node, at) {
            case .stop: return
            case .skipChildren: continue
            case .visitChildren: break
            }
            switch node {
            case .map(let m):
                for k in m.keys.sorted().reversed() { work.append((m[k]!, at.appending(key: k))) }
            case .list(let l):
                for (i, item) in l.enumerated().reversed() { work.append((item, at.appending(index: i))) }
            case .tagged(_, let inner):
                work.append((inner, at))
            default:
                break
            }
        }
    }

    /// The first non-nil answer of `match` in document order (as `visit`), or nil.
    public static func first<T>(in value: Value, at location: ValueLocation, _ match: (Value, ValueLocation) -> T?) -> T? {
        var found: T?
        visit(value, at: location) { node, at in
            found = match(node, at)
            return found == nil ? .visitChildren : .stop
        }
        return found
    }

    /// True when some scalar or tagged node satisfies `test` (no locations are built: this runs on
    /// every component to skip the walks that would find nothing).
    public static func contains(_ value: Value, where test: (Value) -> Bool) -> Bool {
        var work: [Value] = [value]
        while let node = work.popLast() {
            switch node {
            case .map(let m): work.append(contentsOf: m.values)
            case .list(let l): work.append(contentsOf: l)
            case .tagged(_, let inner):
                if test(node) { return true }
                work.append(inner)
            default:
                if test(node) { return true }
            }
        }
        return false
    }
}
