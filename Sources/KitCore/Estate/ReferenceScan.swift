/// Where a component reads another component's outputs: every `!terraform.state` and
/// `!terraform.output` value in its sections (kept by the YAML loader as the string `"!fn args"`).
public struct ReferenceSite: Sendable, Equatable {
    /// `terraform.state` or `terraform.output`.
    public var function: String
    /// The arguments after the function name.
    public var arguments: String
    /// Where the value sits, e.g. `vars.vpc_id` or `env.QUEUE_URL`.
    public var path: String

    /// The text as written, e.g. `!terraform.state vpc .vpc_id`.
    public var text: String { "!\(function) \(arguments)" }
}

/// Finds reference sites in a component's sections.
public enum ReferenceScan {
    static let functions = ["terraform.state", "terraform.output"]

    /// The sections kit evaluates references in.
    public static func sections(_ c: ResolvedComponent) -> [(String, [String: Value])] {
        [("vars", c.vars), ("env", c.env), ("settings", c.settings), ("providers", c.providers), ("backend", c.backend)]
    }

    /// Every reference site in the component, in section then key order.
    public static func sites(in c: ResolvedComponent) -> [ReferenceSite] {
        var out: [ReferenceSite] = []
        for (name, section) in sections(c) { collect(.map(section), path: name, into: &out) }
        return out
    }

    /// The function and arguments when `s` is a reference, else nil.
    public static func parse(_ s: String) -> (function: String, arguments: String)? {
        guard s.hasPrefix("!terraform.") else { return nil }
        for f in functions where s.hasPrefix("!" + f) {
            let rest = s.dropFirst(f.count + 1)
            guard rest.isEmpty || rest.first == " " || rest.first == "\t" else { continue }
            return (f, String(rest).trimmingBlanks())
        }
        return nil
    }

    static func collect(_ v: Value, path: String, into out: inout [ReferenceSite]) {
        // Iterative: values can be deep.
        var stack: [(Value, String)] = [(v, path)]
        while let (value, p) = stack.popLast() {
            switch value {
            case .string(let s):
                if let (f, args) = parse(s) { out.append(ReferenceSite(function: f, arguments: args, path: p)) }
            case .map(let m):
                for k in m.keys.sorted().reversed() { stack.append((m[k]!, p + "." + k)) }
            case .list(let l):
                for (i, item) in l.enumerated().reversed() { stack.append((item, p + "[\(i)]")) }
            case .tagged(_, let inner):
                stack.append((inner, p))
            default:
                break
            }
        }
    }
}

extension String {
    func trimmingBlanks() -> String {
        let set: Set<Character> = [" ", "\t"]
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
