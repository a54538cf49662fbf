import KitModel
import KitStacks

/// An atmos custom command (`commands:` of atmos.yaml/kit.yaml): a name kit answers to, its arguments
/// and flags, environment, shell steps and nested commands (docs/atmos-compatibility.md, "Custom commands").
public struct CustomCommand: Sendable, Equatable {
    public struct Argument: Sendable, Equatable {
        public var name: String
        public var description: String
        public var required: Bool
        public var defaultValue: String?
    }

    public struct Flag: Sendable, Equatable {
        public var name: String
        public var shorthand: String?
        public var description: String
        public var isBool: Bool
        public var required: Bool
        public var defaultValue: Value?
    }

    public struct ComponentConfig: Sendable, Equatable {
        /// Templates over the arguments and flags (`{{ .Arguments.component }}`).
        public var component: String
        public var stack: String
    }

    /// One step: shell text, text to print (atmos's `markdown`/`toast` steps), or an atmos step type
    /// kit does not run (an error when the command runs, not when the configuration is read).
    public enum Step: Sendable, Equatable {
        case shell(String)
        case print(String)
        case unsupported(type: String)
    }

    public var name: String
    public var description: String
    public var arguments: [Argument]
    public var flags: [Flag]
    /// `env:` entries in order; values are templates.
    public var env: [(key: String, value: String)]
    public var steps: [Step]
    public var commands: [CustomCommand]
    public var componentConfig: ComponentConfig?
    /// `commands[2].commands[0]`, for error messages.
    public var path: String

    public static func == (a: CustomCommand, b: CustomCommand) -> Bool {
        a.name == b.name && a.description == b.description && a.arguments == b.arguments && a.flags == b.flags
            && a.env.map(\.key) == b.env.map(\.key) && a.env.map(\.value) == b.env.map(\.value) && a.steps == b.steps
            && a.commands == b.commands && a.componentConfig == b.componentConfig && a.path == b.path
    }
}

/// A `commands:` entry kit cannot use: names the configuration file and the entry.
public struct CustomCommandError: Error, CustomStringConvertible, Equatable {
    public var file: String
    public var path: String
    public var message: String
    public var description: String { "\(UserText.escaped(file)): \(path): \(message)" }

    public init(file: String, path: String, message: String) {
        self.file = file
        self.path = path
        self.message = message
    }
}

extension CustomCommand {
    /// The custom commands of a configuration (`commands:`), checked. `file` names the configuration in errors.
    public static func parse(_ configuration: Value, file: String) throws -> [CustomCommand] {
        guard let commands = configuration["commands"], !commands.isNull else { return [] }
        return try parseList(commands, path: "commands", file: file)
    }

    static func parseList(_ value: Value, path: String, file: String) throws -> [CustomCommand] {
        guard case .list(let items) = value else {
            throw CustomCommandError(file: file, path: path, message: "is a \(value.typeName), expected a list of commands")
        }
        var seen: Set<String> = []
        return try items.enumerated().map { i, item in
            let c = try parseOne(item, path: "\(path)[\(i)]", file: file)
            if !seen.insert(c.name).inserted {
                throw CustomCommandError(file: file, path: "\(path)[\(i)]", message: "a second command named \(UserText.quoted(c.name)) — names must be unique")
            }
            return c
        }
    }

    static func parseOne(_ value: Value, path: String, file: String) throws -> CustomCommand {
        func fail(_ message: String, _ sub: String = "") -> CustomCommandError {
            CustomCommandError(file: file, path: path + sub, message: message)
        }
        guard case .map(let m) = value else { throw fail("is a \(value.typeName), expected a map with 'name' and 'steps'") }
        func string(_ key: String, in map: [String: Value], at sub: String) throws -> String? {
            guard let v = map[key], !v.isNull else { return nil }
            switch v {
            case .string(let s): return s
            case .int, .double, .bool: return v.interpolated
            default: throw fail("'\(key)' is a \(v.typeName), expected a string", sub)
            }
        }
        guard let name = try string("name", in: m, at: ""), !name.isEmpty else { throw fail("has no 'name'") }
        guard !name.hasPrefix("-"), !name.contains(where: { $0 == " " || $0 == "\t" || $0 == "/" }) else {
            throw fail("the name \(UserText.quoted(name)) is not a command word (no spaces, '/' or leading '-')")
        }
        var command = CustomCommand(name: name, description: try string("description", in: m, at: "") ?? "", arguments: [], flags: [],
                                    env: [], steps: [], commands: [], componentConfig: nil, path: path)
        func list(_ key: String) throws -> [Value] {
            guard let v = m[key], !v.isNull else { return [] }
            guard case .list(let l) = v else { throw fail("'\(key)' is a \(v.typeName), expected a list", ".\(key)") }
            return l
        }
        for (i, a) in try list("arguments").enumerated() {
            let sub = ".arguments[\(i)]"
            guard case .map(let am) = a, let n = try string("name", in: am, at: sub), !n.isEmpty else { throw fail("an argument needs a 'name'", sub) }
            command.arguments.append(Argument(name: n, description: try string("description", in: am, at: sub) ?? "",
                                              required: am["required"]?.boolValue ?? false, defaultValue: try string("default", in: am, at: sub)))
        }
        for (i, f) in try list("flags").enumerated() {
            let sub = ".flags[\(i)]"
            guard case .map(let fm) = f, let n = try string("name", in: fm, at: sub), !n.isEmpty else { throw fail("a flag needs a 'name'", sub) }
            let type = try string("type", in: fm, at: sub) ?? "string"
            guard type == "string" || type == "bool" else { throw fail("flag type \(UserText.quoted(type)) — use 'string' or 'bool'", sub) }
            let shorthand = try string("shorthand", in: fm, at: sub)
            if let s = shorthand, s.count != 1 { throw fail("shorthand \(UserText.quoted(s)) must be one character", sub) }
            command.flags.append(Flag(name: n, shorthand: shorthand, description: try string("usage", in: fm, at: sub) ?? (try string("description", in: fm, at: sub)) ?? "",
                                      isBool: type == "bool", required: fm["required"]?.boolValue ?? false, defaultValue: fm["default"].flatMap { $0.isNull ? nil : $0 }))
        }
        for (i, e) in try list("env").enumerated() {
            let sub = ".env[\(i)]"
            guard case .map(let em) = e, let k = try string("key", in: em, at: sub), !k.isEmpty else { throw fail("an env entry needs 'key' and 'value'", sub) }
            command.env.append((k, try string("value", in: em, at: sub) ?? ""))
        }
        for (i, s) in try list("steps").enumerated() {
            let sub = ".steps[\(i)]"
            switch s {
            case .string(let text): command.steps.append(.shell(text))
            case .map(let sm):
                // atmos's typed steps: shell-like ones run their command (`spin` is a spinner around one);
                // `markdown` and `toast` print their content; the interactive and table types are not run.
                let type = try string("type", in: sm, at: sub) ?? "shell"
                switch type {
                case "shell", "spin":
                    guard let text = try string("command", in: sm, at: sub) else { throw fail("a '\(type)' step needs 'command'", sub) }
                    command.steps.append(.shell(text))
                case "markdown", "toast":
                    command.steps.append(.print(try string("content", in: sm, at: sub) ?? ""))
                default:
                    command.steps.append(.unsupported(type: type))
                }
            default:
                throw fail("step is a \(s.typeName), expected shell text or a map with 'type'", sub)
            }
        }
        if let nested = m["commands"], !nested.isNull { command.commands = try parseList(nested, path: path + ".commands", file: file) }
        if let cc = m["component_config"], !cc.isNull {
            guard case .map(let cm) = cc else { throw fail("'component_config' is a \(cc.typeName), expected a map", ".component_config") }
            command.componentConfig = ComponentConfig(component: try string("component", in: cm, at: ".component_config") ?? "",
                                                      stack: try string("stack", in: cm, at: ".component_config") ?? "")
        }
        return command
    }
}
