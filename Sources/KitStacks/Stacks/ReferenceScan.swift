import KitModel
/// Where a component reads another component's outputs: every `!terraform.state` and
/// `!terraform.output` value in its sections (kept by the YAML loader as the string `"!fn args"`),
/// and every value whose template reads outputs through `atmos.Component` (a `DeferredTemplate`).
public struct ReferenceSite: Sendable, Equatable {
    /// `terraform.state`, `terraform.output`, or `atmos.Component` for a deferred template.
    public var function: String
    /// The arguments after the function name (for a deferred template: the template text).
    public var arguments: String
    /// Where the value sits, e.g. `vars.vpc_id` or `env.QUEUE_URL`.
    public var path: String

    /// The text as written, e.g. `!terraform.state vpc .vpc_id` or `{{ (atmos.Component "vpc" .stack).outputs.id }}`.
    public var text: String { isTemplate ? arguments : "!\(function) \(arguments)" }

    /// True for a deferred template.
    public var isTemplate: Bool { function == TemplateFunction.atmosComponent.name }
}

/// Finds reference sites in a component's sections.
public enum ReferenceScan {
    static let functions = ["terraform.state", "terraform.output"]

    /// The sections kit evaluates references in (`ComponentSection.referenced`).
    public static func sections(_ c: ResolvedComponent) -> [(String, [String: Value])] {
        ComponentSection.referenced.map { ($0.name, c[section: $0]) }
    }

    /// Every reference site in the component, in section then key order.
    public static func sites(in c: ResolvedComponent) -> [ReferenceSite] {
        var out: [ReferenceSite] = []
        for section in ComponentSection.referenced {
            ValueWalk.visit(.map(c[section: section]), at: ValueLocation(section: section.name)) { value, at in
                switch value {
                case .string(let s):
                    if let (f, args) = parse(s) { out.append(ReferenceSite(function: f, arguments: args, path: at.text)) }
                case .tagged:
                    if let text = DeferredTemplate.text(of: value) {
                        out.append(ReferenceSite(function: TemplateFunction.atmosComponent.name, arguments: text, path: at.text))
                        return .skipChildren
                    }
                default:
                    break
                }
                return .visitChildren
            }
        }
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

extension ReferenceScan {
    /// The `atmos.Component` calls in a template whose arguments are known without running it: a
    /// string literal, or `.stack`/`.atmos_stack` (then `stack` is nil: the component's own stack).
    package static func componentCalls(inTemplate text: String) -> [(component: String, stack: String?)] {
        guard let template = try? GoTemplate(text, gomplate: true) else { return [] }
        var out: [(component: String, stack: String?)] = []
        func argument(_ o: TemplateOperand) -> (known: Bool, value: String?) {
            switch o {
            case .literal(.value(.string(let s)), _): return (true, s)
            case .field(let names, _) where names == ["stack"] || names == ["atmos_stack"]: return (true, nil)
            default: return (false, nil)
            }
        }
        func pipeline(_ p: TemplatePipeline) {
            for command in p.commands {
                if case .function(.atmosComponent, _) = command.operands[0], command.operands.count == 3 {
                    let c = argument(command.operands[1]), s = argument(command.operands[2])
                    if c.known, let name = c.value, s.known { out.append((name, s.value)) }
                }
                for o in command.operands { operand(o) }
            }
        }
        func operand(_ o: TemplateOperand) {
            if case .parenthesized(let p, _, _) = o { pipeline(p) }
        }
        func nodes(_ list: [TemplateNode]) {
            for n in list {
                switch n {
                case .action(let p): pipeline(p)
                case .ifBlock(let p, let a, let b), .withBlock(let p, let a, let b), .rangeBlock(let p, let a, let b):
                    pipeline(p); nodes(a); nodes(b)
                case .text, .breakLoop, .continueLoop: break
                }
            }
        }
        nodes(template.body)
        return out
    }
}
