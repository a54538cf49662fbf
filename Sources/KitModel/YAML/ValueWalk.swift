/// Where a node sits in a value: its keys (map keys and list indices as text, for locating it in a
/// manifest through `ValuePath.key`) and its display text (`vars.subnets[0].cidr`).
///
/// Built lazily: a walk makes a location for every node it visits, and almost none is ever read (only
/// the nodes a phase replaces or reports), so each location is one small node pointing at its parent,
/// and `keys` and `text` are assembled when asked for.
public struct ValueLocation: Sendable, Equatable {
    private enum Step: Sendable {
        case root(keys: [String], text: String)
        case key(String)
        case index(Int)
    }

    private final class Node: Sendable {
        let parent: Node?
        let step: Step
        init(parent: Node?, step: Step) {
            self.parent = parent
            self.step = step
        }
    }

    private let node: Node

    private init(node: Node) { self.node = node }

    /// The root of a section (`vars`, `settings`, …).
    public init(section: String) {
        node = Node(parent: nil, step: .root(keys: [section], text: section))
    }

    public init(keys: [String], text: String) {
        node = Node(parent: nil, step: .root(keys: keys, text: text))
    }

    /// The steps from the root to this node, root first.
    private var steps: [Step] {
        var out: [Step] = []
        var at: Node? = node
        while let n = at { out.append(n.step); at = n.parent }
        return out.reversed()
    }

    /// The keys from the section down: map keys, and list indices as text.
    public var keys: [String] {
        var out: [String] = []
        for step in steps {
            switch step {
            case .root(let keys, _): out += keys
            case .key(let k): out.append(k)
            case .index(let i): out.append(String(i))
            }
        }
        return out
    }

    /// The display text: `vars.subnets[0].cidr`.
    public var text: String {
        var out = ""
        for step in steps {
            switch step {
            case .root(_, let text): out += text
            case .key(let k): out += "." + k
            case .index(let i): out += "[\(i)]"
            }
        }
        return out
    }

    func appending(key: String) -> ValueLocation { ValueLocation(node: Node(parent: node, step: .key(key))) }
    func appending(index: Int) -> ValueLocation { ValueLocation(node: Node(parent: node, step: .index(index))) }

    /// The keys joined with dots (`vars.subnets.0.cidr`), as function errors name a value.
    public var dotted: String { keys.joined(separator: ".") }

    public static func == (a: ValueLocation, b: ValueLocation) -> Bool { a.keys == b.keys && a.text == b.text }
}

/// The one recursive walk over stack values. Every phase that looks at or replaces values inside a
/// component — templates, YAML functions, references, reference scans, locating a string in a
/// manifest, "does it hold a function" — goes through these functions, so they all agree on what is
/// visited and in which order: maps by sorted key, lists by index, tagged values through their
/// content, scalars as leaves (`rewriteLeaves` finds its leaves in any order, then asks about them in
/// that one).
public enum ValueWalk {
    /// `value` with every node `replace` answers for replaced by its answer; a node it returns nil for
    /// is kept (scalars) or descended into (maps, lists, tagged values). Maps are visited in sorted
    /// key order, so the first error thrown is the same on every run.
    public static func rewrite(_ value: Value, at location: ValueLocation,
                               _ replace: (Value, ValueLocation) throws -> Value?) rethrows -> Value {
        try rewritten(value, at: location, replace) ?? value
    }

    /// `rewrite`'s walk; nil when nothing at or under `value` was replaced. A map or list is copied only
    /// when one of its children changed, so untouched subtrees keep their storage (no copy per map, and
    /// the JSON writer still recognises them as shared).
    static func rewritten(_ value: Value, at location: ValueLocation,
                          _ replace: (Value, ValueLocation) throws -> Value?) rethrows -> Value? {
        if let replaced = try replace(value, location) { return replaced }
        switch value {
        case .map(let m):
            var out: [String: Value]?
            for k in m.keys.sorted() {
                guard let changed = try rewritten(m[k]!, at: location.appending(key: k), replace) else { continue }
                if out == nil { out = m }
                out![k] = changed
            }
            return out.map(Value.map)
        case .list(let l):
            var out: [Value]?
            for (i, item) in l.enumerated() {
                guard let changed = try rewritten(item, at: location.appending(index: i), replace) else { continue }
                if out == nil { out = l }
                out![i] = changed
            }
            return out.map(Value.list)
        case .tagged(let tag, let inner):
            return try rewritten(inner, at: location, replace).map { .tagged(tag, $0) }
        default:
            return nil
        }
    }

    /// `rewrite` for a replacement that answers only for some leaves: `replace` is asked about the
    /// scalars `candidate` accepts (and nothing else), in document order, so a walk that finds nothing
    /// to do sorts no keys and builds no locations. Same result and same first error as `rewrite` with
    /// a closure that returns nil for every other node. nil when nothing was replaced.
    public static func rewriteLeaves(_ value: Value, at location: ValueLocation, where candidate: (Value) -> Bool,
                                     _ replace: (Value, ValueLocation) throws -> Value?) rethrows -> Value? {
        var found: [(path: [PathStep], leaf: Value)] = []
        var path: [PathStep] = []
        collect(value, &path, &found, candidate)
        if found.isEmpty { return nil }
        found.sort { documentOrder($0.path, $1.path) }
        var out = value
        var changed = false
        for (path, leaf) in found {
            var at = location
            for step in path {
                switch step {
                case .key(let k): at = at.appending(key: k)
                case .index(let i): at = at.appending(index: i)
                case .tagged: break
                }
            }
            guard let replaced = try replace(leaf, at) else { continue }
            set(&out, path[...], replaced)
            changed = true
        }
        return changed ? out : nil
    }

    /// One step from a node to a child: a map key, a list index, a tagged value's content.
    enum PathStep: Sendable, Equatable {
        case key(String)
        case index(Int)
        case tagged
    }

    private static func collect(_ value: Value, _ path: inout [PathStep], _ found: inout [(path: [PathStep], leaf: Value)],
                                _ candidate: (Value) -> Bool) {
        switch value {
        case .map(let m):
            for (k, v) in m {
                path.append(.key(k))
                collect(v, &path, &found, candidate)
                path.removeLast()
            }
        case .list(let l):
            for (i, v) in l.enumerated() {
                path.append(.index(i))
                collect(v, &path, &found, candidate)
                path.removeLast()
            }
        case .tagged(_, let inner):
            path.append(.tagged)
            collect(inner, &path, &found, candidate)
            path.removeLast()
        default:
            if candidate(value) { found.append((path, value)) }
        }
    }

    /// Document order of two leaves' paths: the walk's order (sorted keys, list indices), which is the
    /// paths' lexicographic order (two steps at one depth below one node are of the same kind).
    static func documentOrder(_ a: [PathStep], _ b: [PathStep]) -> Bool {
        for (x, y) in zip(a, b) {
            switch (x, y) {
            case (.key(let p), .key(let q)) where p != q: return p < q
            case (.index(let p), .index(let q)) where p != q: return p < q
            default: continue
            }
        }
        return a.count < b.count
    }

    private static func set(_ value: inout Value, _ path: ArraySlice<PathStep>, _ new: Value) {
        guard let step = path.first else { value = new; return }
        switch (step, value) {
        case (.key(let k), .map(var m)):
            value = .null   // drop this reference: the copy (if any) is made once, then edited in place
            set(&m[k]!, path.dropFirst(), new)
            value = .map(m)
        case (.index(let i), .list(var l)):
            value = .null
            set(&l[i], path.dropFirst(), new)
            value = .list(l)
        case (.tagged, .tagged(let tag, var inner)):
            value = .null
            set(&inner, path.dropFirst(), new)
            value = .tagged(tag, inner)
        default:
            preconditionFailure("a collected path no longer matches the value")
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
