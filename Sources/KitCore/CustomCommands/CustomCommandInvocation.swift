import KitModel

/// One use of a custom command: which (nested) command the words name, and its arguments, flags and
/// the words after `--`, checked against the command's declaration as atmos (cobra) checks them.
public struct CustomCommandInvocation: Sendable, Equatable {
    public var command: CustomCommand
    /// `kit tf plan`: the command words, for messages.
    public var words: [String]
    public var arguments: [String: String]
    public var flags: [String: Value]
    public var trailing: [String]
    /// `--help` / `-h` was given: print the command's usage instead of running it.
    public var help: Bool

    /// A usage mistake (exit 64).
    public struct UsageError: Error, CustomStringConvertible, Equatable {
        public var message: String
        public var description: String { message }
    }

    /// Finds the command `argv` names among `commands` (nested names descend) and parses the rest.
    /// nil when `argv`'s first word is none of them.
    public static func parse(_ argv: [String], commands: [CustomCommand]) throws -> CustomCommandInvocation? {
        guard let first = argv.first, var command = commands.first(where: { $0.name == first }) else { return nil }
        var words = ["kit", first]
        var rest = Array(argv.dropFirst())
        while let next = rest.first, let sub = command.commands.first(where: { $0.name == next }) {
            command = sub
            words.append(next)
            rest.removeFirst()
        }
        var invocation = CustomCommandInvocation(command: command, words: words, arguments: [:], flags: [:], trailing: [], help: false)
        let usage = words.joined(separator: " ")
        var positional: [String] = []
        var i = 0
        while i < rest.count {
            let word = rest[i]
            i += 1
            if word == "--" { invocation.trailing = Array(rest[i...]); break }
            if word == "--help" || word == "-h" { invocation.help = true; continue }
            guard word.hasPrefix("-"), word != "-" else { positional.append(word); continue }
            let isLong = word.hasPrefix("--")
            let body = String(word.dropFirst(isLong ? 2 : 1))
            let (name, inline): (String, String?) = body.firstIndex(of: "=").map { (String(body[..<$0]), String(body[body.index(after: $0)...])) } ?? (body, nil)
            guard let flag = command.flags.first(where: { isLong ? $0.name == name : $0.shorthand == name }) else {
                throw UsageError(message: "'\(usage)' has no flag \(UserText.quoted(word.count > 64 ? String(word.prefix(64)) + "…" : word))" + Self.flagList(command))
            }
            if flag.isBool {
                switch inline {
                case nil, "true": invocation.flags[flag.name] = .bool(true)
                case "false": invocation.flags[flag.name] = .bool(false)
                default: throw UsageError(message: "'\(usage)': flag --\(flag.name) is a bool — use --\(flag.name) or --\(flag.name)=false")
                }
            } else if let inline {
                invocation.flags[flag.name] = .string(inline)
            } else {
                guard i < rest.count else { throw UsageError(message: "'\(usage)': flag --\(flag.name) needs a value") }
                invocation.flags[flag.name] = .string(rest[i])
                i += 1
            }
        }
        if invocation.help { return invocation }
        if positional.count > command.arguments.count {
            let extra = positional[command.arguments.count...].map { UserText.quoted($0) }.joined(separator: ", ")
            throw UsageError(message: "'\(usage)' takes \(command.arguments.count) argument(s); \(extra) is one too many — put arguments for the steps after '--'")
        }
        for (index, argument) in command.arguments.enumerated() {
            if index < positional.count {
                invocation.arguments[argument.name] = positional[index]
            } else if let d = argument.defaultValue {
                invocation.arguments[argument.name] = d
            } else if argument.required {
                throw UsageError(message: "'\(usage)' needs the argument \(UserText.quoted(argument.name))" + (argument.description.isEmpty ? "" : " (\(argument.description))"))
            } else {
                invocation.arguments[argument.name] = ""
            }
        }
        for flag in command.flags where invocation.flags[flag.name] == nil {
            if let d = flag.defaultValue {
                invocation.flags[flag.name] = d
            } else if flag.required {
                throw UsageError(message: "'\(usage)' needs the flag --\(flag.name)")
            } else {
                invocation.flags[flag.name] = flag.isBool ? .bool(false) : .string("")
            }
        }
        return invocation
    }

    static func flagList(_ command: CustomCommand) -> String {
        command.flags.isEmpty ? " (it takes none)" : " — its flags: " + command.flags.map { "--\($0.name)" }.joined(separator: ", ")
    }

    /// The command's usage text (`--help`).
    public var usage: String {
        let c = command
        var lines = [c.description.isEmpty ? words.joined(separator: " ") : c.description, "",
                     "Usage: " + ([words.joined(separator: " ")] + c.arguments.map { $0.required ? "<\($0.name)>" : "[\($0.name)]" }
                                  + (c.flags.isEmpty ? [] : ["[flags]"]) + (c.commands.isEmpty ? [] : ["<command>"])).joined(separator: " ")]
        if !c.commands.isEmpty {
            lines += ["", "Commands:"] + c.commands.map { "  \($0.name)" + ($0.description.isEmpty ? "" : "  \($0.description)") }
        }
        if !c.arguments.isEmpty {
            lines += ["", "Arguments:"] + c.arguments.map { "  \($0.name)" + ($0.description.isEmpty ? "" : "  \($0.description)") + ($0.defaultValue.map { " (default: \($0))" } ?? "") }
        }
        if !c.flags.isEmpty {
            lines += ["", "Flags:"] + c.flags.map { f in
                "  " + (f.shorthand.map { "-\($0), " } ?? "") + "--\(f.name)" + (f.description.isEmpty ? "" : "  \(f.description)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// What the steps' templates read: `.Arguments`, `.Flags`, `.TrailingArgs` (the words after `--`,
    /// space-joined, as atmos) and, with `component_config`, `.ComponentConfig`.
    public func templateData(componentConfig: [String: Value]? = nil) -> Value {
        var data: [String: Value] = [
            "Arguments": .map(arguments.mapValues(Value.string)),
            "Flags": .map(flags),
            "TrailingArgs": .string(trailing.joined(separator: " ")),
        ]
        if let componentConfig { data["ComponentConfig"] = .map(componentConfig) }
        return .map(data)
    }
}
