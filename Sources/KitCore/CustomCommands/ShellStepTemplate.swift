import Foundation
import KitModel

/// A shell step holding template actions (`echo Hello {{ .Arguments.name }}`), made safe to run.
///
/// atmos renders the template and hands the resulting text to a shell, so a value holding `$(…)`, `;`
/// or a quote becomes shell code. kit never splices a value into shell text: each action is rendered
/// on its own, its result goes to the step's environment as `KIT_COMMAND_VALUE_<n>`, and the action is
/// replaced by a reference to that variable written for the quoting around it — `"${KIT_COMMAND_VALUE_1}"`
/// outside quotes, `${KIT_COMMAND_VALUE_1}` inside double quotes, `'"${KIT_COMMAND_VALUE_1}"'` inside
/// single quotes. The shell sees the value as one word of data: the same output for ordinary values, no
/// word splitting or globbing of it, and never code. Only value actions are allowed in shell text;
/// `{{ if }}`, `{{ range }}` and the like are refused (they would choose shell text).
public struct ShellStepTemplate: Sendable, Equatable {
    /// The shell text with references in place of the actions.
    public var text: String
    /// The actions in order, each as a template of its own (`{{ .Arguments.name }}`).
    public var actions: [String]

    /// The environment variable holding action `index` (0-based).
    public static func variable(_ index: Int) -> String { "KIT_COMMAND_VALUE_\(index + 1)" }

    public struct Failure: Error, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    static let controlWords: Set<String> = ["if", "else", "end", "range", "with", "define", "template", "block", "break", "continue"]

    /// Splits `step` into shell text and actions.
    public init(_ step: String) throws {
        enum Quote { case none, single, double }
        var quote = Quote.none
        var escaped = false
        var text = ""
        var actions: [String] = []
        var rest = Substring(step)
        while !rest.isEmpty {
            if rest.hasPrefix("{{") {
                guard let close = rest.range(of: "}}") else {
                    throw Failure(message: "a template action opened with '{{' is not closed with '}}'")
                }
                var body = rest[rest.index(rest.startIndex, offsetBy: 2)..<close.lowerBound]
                rest = rest[close.upperBound...]
                // Trim markers (`{{- x -}}`) trim the shell text around the action, as Go does.
                if body.hasPrefix("- ") || body.hasPrefix("-\t") || body == "-" {
                    body = body.dropFirst()
                    while let last = text.last, last == " " || last == "\t" || last == "\n" { text.removeLast() }
                }
                if body.hasSuffix(" -") || body.hasSuffix("\t-") {
                    body = body.dropLast()
                    rest = rest.drop { $0 == " " || $0 == "\t" || $0 == "\n" }
                }
                let trimmed = body.trimmingCharacters(in: [" ", "\t", "\n"])
                if trimmed.hasPrefix("/*") { continue }   // a comment renders nothing
                let firstWord = String(trimmed.prefix { $0.isLetter })
                if Self.controlWords.contains(firstWord) {
                    throw Failure(message: "'{{ \(UserText.escaped(String(trimmed.prefix(40)))) }}' in shell text: kit renders value actions only there, so that no value becomes shell code — use a shell 'if'/'for' over the value instead")
                }
                let variable = Self.variable(actions.count)
                actions.append("{{" + body + "}}")
                switch quote {
                case .none: text += "\"${\(variable)}\""
                case .double: text += "${\(variable)}"
                case .single: text += "'\"${\(variable)}\"'"
                }
                escaped = false
                continue
            }
            let ch = rest.removeFirst()
            text.append(ch)
            if escaped { escaped = false; continue }
            switch (quote, ch) {
            case (.none, "\\"), (.double, "\\"): escaped = true
            case (.none, "'"): quote = .single
            case (.single, "'"): quote = .none
            case (.none, "\""): quote = .double
            case (.double, "\""): quote = .none
            default: break
            }
        }
        self.text = text
        self.actions = actions
    }
}
