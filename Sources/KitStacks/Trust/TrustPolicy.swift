import KitModel
/// How far kit trusts the repository it reads (issue 20 §1).
///
/// `trusted` (the default) is kit as always. `untrusted` (`--untrusted`, `KIT_UNTRUSTED=1`) is for
/// pull-request CI: the repository's content may be an attacker's, so nothing in it may run code,
/// read the environment or reach files outside the repository. Each rule a repository breaks is a
/// located error (`UntrustedRefusal`) that names the rule and `--untrusted`; nothing is skipped
/// silently. The policy is a value carried by the configuration, the session, the YAML function
/// evaluator, the template renderer and plugin loading, never a global.
public struct TrustPolicy: Sendable, Equatable, Hashable {
    /// True in untrusted mode.
    public var untrusted: Bool

    /// Creates a policy.
    public init(untrusted: Bool) { self.untrusted = untrusted }

    /// kit as always: the repository is trusted.
    public static let trusted = TrustPolicy(untrusted: false)
    /// Pull-request mode: the repository's content is not trusted.
    public static let untrusted = TrustPolicy(untrusted: true)

    /// The environment variable that turns untrusted mode on (`1`/`true`; `0`/`false`/empty: off).
    public static let environmentVariable = "KIT_UNTRUSTED"

    /// The policy of a command line: `--untrusted`, or `KIT_UNTRUSTED`. A `KIT_UNTRUSTED` that is not
    /// a boolean is an error (a typo must not leave a pull-request job trusted).
    public static func from(flag: Bool, environment: [String: String]) throws -> TrustPolicy {
        if flag { return .untrusted }
        guard let text = environment[environmentVariable], !text.isEmpty else { return .trusted }
        switch text.lowercased() {
        case "1", "true", "yes", "on": return .untrusted
        case "0", "false", "no", "off": return .trusted
        default:
            throw ConfigError.invalidValue(key: environmentVariable, value: text, expected: "1 or 0 (true or false)", source: "environment")
        }
    }

    /// The only `command:` untrusted mode runs: these names, found on PATH.
    public static let allowedCommands: Set<String> = ["terraform", "tofu"]

    /// Throws `UntrustedRefusal` for `rule` when the policy is untrusted.
    public func refuse(_ rule: UntrustedRule, _ what: String, at location: SourceLocation? = nil,
                       stack: String? = nil, component: String? = nil) throws {
        guard untrusted else { return }
        throw UntrustedRefusal(rule: rule, what: what, location: location, stack: stack, component: component)
    }
}

/// The rules of untrusted mode, each with the name its errors carry.
public enum UntrustedRule: String, Sendable, CaseIterable {
    /// No `!exec`, no shell step of a workflow: the repository runs no command.
    case noExec = "no-exec"
    /// No `!env`, no template `env`, `expandenv`, `env.Getenv`: the repository reads no environment variable.
    case noEnvironment = "no-environment"
    /// `command:` is `terraform` or `tofu`, found on PATH.
    case terraformCommand = "terraform-command"
    /// Plugins are first-party or installed and locked outside the repository.
    case installedPlugins = "installed-plugins"
    /// The repository's configuration widens nothing: no `stacks.allowed_external_paths`, no
    /// `plugins.paths`, no file read from outside the repository.
    case noRepositoryPaths = "no-repository-paths"

    /// What the rule keeps out, for the message.
    var why: String {
        switch self {
        case .noExec: return "a pull request must not run commands"
        case .noEnvironment: return "a pull request must not read the environment (it holds credentials)"
        case .terraformCommand: return "only 'terraform' or 'tofu' found on PATH run"
        case .installedPlugins: return "only first-party plugins and plugins installed and locked outside the repository load"
        case .noRepositoryPaths: return "a pull request must not widen what kit reads or loads"
        }
    }
}

/// A refusal of untrusted mode: where (file:line:column, stack, component), which rule, what.
public struct UntrustedRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    public var rule: UntrustedRule
    /// What was refused, e.g. `'!exec' in 'vars.x'`.
    public var what: String
    public var location: SourceLocation?
    public var stack: String?
    public var component: String?

    public init(rule: UntrustedRule, what: String, location: SourceLocation? = nil, stack: String? = nil, component: String? = nil) {
        self.rule = rule
        self.what = what
        self.location = location
        self.stack = stack
        self.component = component
    }

    /// The message without the location prefix (for errors that add their own location).
    public var message: String {
        "refused by --untrusted (rule '\(rule.rawValue)': \(rule.why)): \(what) — run without --untrusted (and without KIT_UNTRUSTED=1) only for trusted changes"
    }

    public var description: String { (location.map { "\(UserText.escaped($0.description)): " } ?? "") + located }

    /// The text after the location: the component and stack it names, then the message.
    public var located: String {
        var prefix = ""
        if let component, let stack {
            prefix += "component \(UserText.quoted(component)) in stack \(UserText.quoted(stack)): "
        } else if let stack {
            prefix += "stack \(UserText.quoted(stack)): "
        }
        return prefix + UserText.line(message)
    }
}
