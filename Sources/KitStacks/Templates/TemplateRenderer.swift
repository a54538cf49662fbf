import KitModel
/// Executes a parsed template over a `Value`, with Go `text/template` semantics.
struct TemplateRenderer {
    private let source: String
    private let root: Value
    private let context: TemplateFunctionContext
    private var variables: [(name: String, value: TemplateValue)]
    /// The text rendered so far.
    private(set) var output = ""

    init(source: String, root: Value, options: TemplateOptions) {
        self.source = source
        self.root = root
        self.context = TemplateFunctionContext(options: options)
        self.variables = [("$", .value(root))]
        output.reserveCapacity(source.utf8.count)
    }

    private enum Flow { case normal, breakLoop, continueLoop }

    /// Renders `nodes` with the root value as dot.
    mutating func run(_ nodes: [TemplateNode]) throws {
        _ = try walk(nodes, dot: .value(root))
    }

    private func fail(_ message: String, at offset: Int) -> TemplateError {
        TemplateError(source: source, offset: offset, message: message)
    }

    private mutating func walk(_ nodes: [TemplateNode], dot: TemplateValue) throws -> Flow {
        for node in nodes {
            switch node {
            case .text(let s):
                output += s
            case .action(let pipe):
                let v = try evalPipeline(pipe, dot: dot)
                if pipe.variables.isEmpty { print(try materialized(v, display: "atmos.Component", at: pipe.offset)) }
            case .ifBlock(let pipe, let then, let otherwise):
                let mark = variables.count
                let v = try evalPipeline(pipe, dot: dot)
                let flow = try walk(v.isTrue ? then : otherwise, dot: dot)
                variables.removeSubrange(mark...)
                if flow != .normal { return flow }
            case .withBlock(let pipe, let then, let otherwise):
                let mark = variables.count
                let v = try evalPipeline(pipe, dot: dot)
                let flow = v.isTrue ? try walk(then, dot: v) : try walk(otherwise, dot: dot)
                variables.removeSubrange(mark...)
                if flow != .normal { return flow }
            case .rangeBlock(let pipe, let body, let otherwise):
                let flow = try walkRange(pipe, body: body, otherwise: otherwise, dot: dot)
                if flow != .normal { return flow }
            case .breakLoop:
                return .breakLoop
            case .continueLoop:
                return .continueLoop
            }
        }
        return .normal
    }

    private mutating func print(_ v: TemplateValue) {
        switch v {
        case .value(.string(let s)): output += s
        // A pipeline ending in Go's nil interface (a null value) prints as "no value".
        case .value(.null): output += "<no value>"
        case .value(.int(let i)): output += String(i)
        case .value(let value): GoFormat.append(value, to: &output)
        case .time(let d): output += GoFormat.timeString(d, zone: context.options.timeZone)
        case .component(let c): output += GoFormat.print(.value(.map(c.sections)))   // materialized by callers
        case .object(let o): output += o.printed
        case .missing: output += "<no value>"
        }
    }

    private mutating func walkRange(_ pipe: TemplatePipeline, body: [TemplateNode], otherwise: [TemplateNode],
                                    dot: TemplateValue) throws -> Flow {
        let mark = variables.count
        defer { variables.removeSubrange(mark...) }
        let collection = try materialized(try evalCommands(pipe, dot: dot), display: "atmos.Component", at: pipe.offset)
        if !pipe.isAssignment {
            for name in pipe.variables { variables.append((name, .missing)) }
        }
        var items: [(key: Value, element: Value)] = []
        switch collection {
        case .missing:
            break
        case .time, .component, .object:
            throw fail("range can't iterate over \(GoFormat.print(collection))", at: pipe.offset)
        case .value(let v):
            switch v.untaggedForTemplate {
            case .list(let list): items = list.enumerated().map { (.int($0.offset), $0.element) }
            case .map(let m): items = m.keys.sorted().map { (.string($0), m[$0]!) }
            case .int(let n) where pipe.variables.count < 2:
                items = n > 0 ? (0..<n).map { (.int($0), .int($0)) } : []
            case .int:
                throw fail("can't use \(v.interpolated) to iterate over more than one variable", at: pipe.offset)
            default:
                throw fail("range can't iterate over \(GoFormat.print(v))", at: pipe.offset)
            }
        }
        if items.isEmpty { return try walk(otherwise, dot: dot) }
        for item in items {
            switch pipe.variables.count {
            case 1: setVariable(pipe.variables[0], .value(item.element), declared: !pipe.isAssignment, mark: mark)
            case 2:
                setVariable(pipe.variables[0], .value(item.key), declared: !pipe.isAssignment, mark: mark)
                setVariable(pipe.variables[1], .value(item.element), declared: !pipe.isAssignment, mark: mark)
            default: break
            }
            let bodyMark = variables.count
            let flow = try walk(body, dot: .value(item.element))
            variables.removeSubrange(bodyMark...)
            if flow == .breakLoop { break }
        }
        return .normal
    }

    /// Sets a range variable: the slot declared at `mark` or later, or (for `=`) the nearest one.
    private mutating func setVariable(_ name: String, _ value: TemplateValue, declared: Bool, mark: Int) {
        let lower = declared ? mark : 0
        for i in stride(from: variables.count - 1, through: lower, by: -1) where variables[i].name == name {
            variables[i].value = value
            return
        }
    }

    /// Evaluates a pipeline and declares or assigns its variables.
    private mutating func evalPipeline(_ pipe: TemplatePipeline, dot: TemplateValue) throws -> TemplateValue {
        let value = try evalCommands(pipe, dot: dot)
        for name in pipe.variables {
            if pipe.isAssignment {
                setVariable(name, value, declared: false, mark: 0)
            } else {
                variables.append((name, value))
            }
        }
        return value
    }

    private mutating func evalCommands(_ pipe: TemplatePipeline, dot: TemplateValue) throws -> TemplateValue {
        var value: TemplateValue? = nil
        for command in pipe.commands {
            value = try evalCommand(command, dot: dot, final: value)
        }
        return value ?? .missing
    }

    private mutating func evalCommand(_ command: TemplateCommand, dot: TemplateValue,
                                      final: TemplateValue?) throws -> TemplateValue {
        let first = command.operands[0]
        if case .function(let function, let offset) = first {
            return try call(function, arguments: command.operands.dropFirst(), final: final, dot: dot, offset: offset)
        }
        return try evalOperand(first, dot: dot)
    }

    private mutating func evalOperand(_ operand: TemplateOperand, dot: TemplateValue) throws -> TemplateValue {
        switch operand {
        case .dot:
            return dot
        case .literal(let v, _):
            return v
        case .field(let names, let offset):
            return try evalFields(names, of: dot, offset: offset, display: operand)
        case .variable(let name, let fields, let offset):
            guard let slot = variables.last(where: { $0.name == name }) else {
                throw fail("undefined variable \"\(name)\"", at: offset)
            }
            return fields.isEmpty ? slot.value : try evalFields(fields, of: slot.value, offset: offset, display: operand)
        case .function(let function, let offset):
            return try call(function, arguments: [], final: nil, dot: dot, offset: offset)
        case .parenthesized(let pipe, let fields, let offset):
            let mark = variables.count
            let v = try evalCommands(pipe, dot: dot)
            variables.removeSubrange(mark...)
            return fields.isEmpty ? v : try evalFields(fields, of: v, offset: offset, display: operand)
        }
    }

    /// Walks `.a.b.c` from `receiver`, applying the missing-key option.
    private func evalFields(_ names: [String], of receiver: TemplateValue, offset: Int,
                            display: TemplateOperand) throws -> TemplateValue {
        var current = receiver
        for (position, name) in names.enumerated() {
            switch current {
            case .component(let c):
                return try componentFields(c, Array(names[position...]), offset: offset, display: display)
            case .missing:
                if context.options.missingKey == .error {
                    throw fail("at <\(display.display)>: nil data; no entry for key \"\(name)\"", at: offset)
                }
                return .missing
            case .time(let date):
                guard let value = GoTimeMethods.field(name, of: date, zone: context.options.timeZone) else {
                    throw fail("at <\(display.display)>: can't evaluate field \(name) in type time.Time", at: offset)
                }
                current = value
            case .object(let o):
                guard let value = o.field(name) else {
                    throw fail("at <\(display.display)>: can't evaluate field \(name) in type \(o.goTypeName)", at: offset)
                }
                current = value
            case .value(let raw):
                let v = raw.untaggedForTemplate
                switch v {
                case .map(let m):
                    if let next = m[name] {
                        current = .value(next)
                    } else if position == 0, let absent = context.options.absentKeys[name], isRoot(receiver) {
                        if case .error(let reason) = absent {
                            throw fail("at <\(display.display)>: \(reason)", at: offset)
                        }
                        current = .missing
                    } else if context.options.missingKey == .error {
                        throw fail("at <\(display.display)>: map has no entry for key \"\(name)\"", at: offset)
                    } else {
                        current = .missing
                    }
                case .null:
                    throw fail("at <\(display.display)>: nil pointer evaluating interface {}.\(name)", at: offset)
                default:
                    throw fail("at <\(display.display)>: can't evaluate field \(name) in type \(v.goTypeName)",
                               at: offset)
                }
            }
        }
        return current
    }

    /// True when `v` is the data the template was rendered with (`.` at the top, or `$`): only there
    /// do `absentKeys` apply. Compared only on a miss of such a key, so the cost is rare.
    private func isRoot(_ v: TemplateValue) -> Bool {
        if case .value(let value) = v { return value == root }
        return false
    }

    /// `.a.b` of an `atmos.Component` value: `.outputs…` reads the outputs (a missing output is an
    /// error listing the ones that exist, whatever `missingkey` says); other sections are read as
    /// resolved, evaluating references only when the path reaches one.
    private func componentFields(_ c: TemplateComponent, _ names: [String], offset: Int,
                                 display: TemplateOperand) throws -> TemplateValue {
        do {
            if names[0] == "outputs" {
                let outputs = try c.outputs()
                if names.count > 1, outputs[names[1]] == nil {
                    let available = outputs.keys.sorted()
                    throw fail("at <\(display.display)>: component '\(c.component)' in stack '\(c.stack)' has no output '\(names[1])'"
                               + (available.isEmpty ? "" : " — its outputs: \(available.joined(separator: ", "))"), at: offset)
                }
                return try evalFields(Array(names.dropFirst()), of: .value(.map(outputs)), offset: offset, display: display)
            }
            let sections = c.needsResolution(at: names[...]) ? try c.resolvedSections() : c.sections
            return try evalFields(names, of: .value(.map(sections)), offset: offset, display: display)
        } catch let failure as TemplateFunctionFailure {
            throw fail("at <\(display.display)>: \(failure.message)", at: offset)
        }
    }

    /// An `atmos.Component` value made whole (sections and outputs), for printing, ranging and
    /// function arguments; any other value as is.
    private func materialized(_ v: TemplateValue, display: String, at offset: Int) throws -> TemplateValue {
        guard case .component(let c) = v else { return v }
        do { return .value(try c.materialized()) } catch let failure as TemplateFunctionFailure {
            throw fail("at <\(display)>: \(failure.message)", at: offset)
        }
    }

    private mutating func call(_ function: TemplateFunction, arguments: ArraySlice<TemplateOperand>,
                               final: TemplateValue?, dot: TemplateValue, offset: Int) throws -> TemplateValue {
        // `and` / `or` evaluate lazily and return the deciding argument, as Go does.
        if function == .and || function == .or {
            let count = arguments.count + (final == nil ? 0 : 1)
            guard count >= 1 else {
                throw fail("at <\(function.name)>: wrong number of args for \(function.name): want at least 1 got 0",
                           at: offset)
            }
            var last: TemplateValue = .missing
            for operand in arguments {
                last = try evalOperand(operand, dot: dot)
                if last.isTrue == (function == .or) { return last }
            }
            if let final { last = final }
            return last
        }
        var values: [TemplateValue] = []
        values.reserveCapacity(arguments.count + 1)
        for operand in arguments {
            values.append(try materialized(try evalOperand(operand, dot: dot), display: operand.display, at: operand.offset))
        }
        if let final { values.append(try materialized(final, display: function.name, at: offset)) }
        let result: TemplateValue
        do {
            result = try function.call(TemplateArguments(function: function, values: values), context: context)
        } catch let failure as TemplateFunctionFailure {
            throw fail("at <\(function.name)>: \(failure.message)", at: offset)
        }
        // Sprig's `set`/`unset` mutate the dict in place; kit's values are copies, so write the
        // result back when the dict came from a variable (`$_ := set $d "k" v`).
        if function == .set || function == .unset, let target = arguments.first,
           case .variable(let name, let fields, _) = target, fields.isEmpty {
            setVariable(name, result, declared: false, mark: 0)
        }
        // A function that returns Go's nil interface (`first` of an empty list, `index` of a missing
        // key, `coalesce` of nothing) yields "no value", as text/template unwraps it.
        if case .value(let v) = result, case .null = v { return .missing }
        return result
    }
}
