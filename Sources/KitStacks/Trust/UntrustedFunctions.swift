import KitModel

extension YAMLFunctionEvaluator {
    /// The refusal of a YAML function in untrusted mode: `!exec` (rule `no-exec`) and `!env` (rule
    /// `no-environment`); nil when the function may run. The catalog adds file:line:column, stack
    /// and component.
    static func untrustedRefusal(_ function: String, trust: TrustPolicy) -> UntrustedRefusal? {
        guard trust.untrusted else { return nil }
        switch function {
        case "!exec": return UntrustedRefusal(rule: .noExec, what: "'!exec' runs a command")
        case "!env": return UntrustedRefusal(rule: .noEnvironment, what: "'!env' reads an environment variable")
        case "!store", "!store.get", "!secret":
            return UntrustedRefusal(rule: .noEnvironment, what: "'\(function)' reads a store with this machine's credentials")
        default: return nil
        }
    }
}

extension TemplateFunction {
    /// The refusal of a template function in untrusted mode: `env`, `expandenv` and Gomplate's
    /// `env.Getenv` read the environment (rule `no-environment`); nil when the function may run.
    func untrustedRefusal(_ trust: TrustPolicy) -> TemplateFunctionFailure? {
        guard trust.untrusted else { return nil }
        switch self {
        case .env, .expandenv, .envGetenv:
            return TemplateFunctionFailure(message: UntrustedRefusal(rule: .noEnvironment,
                                                                     what: "the template function '\(rawValue)' reads an environment variable").message)
        default: return nil
        }
    }
}

extension TemplateDatasources {
    /// Untrusted mode (rule `no-repository-paths`): a datasource must lie inside the repository,
    /// also after following links (a committed link to `~/.aws/credentials` is refused).
    static func checkConfined(_ path: String, root: String, def: DatasourceDefinition) throws {
        let realRoot = LocalFileSystem.realPath(root) ?? root
        let inside = LocalFileSystem.isInside(Paths.normalize(path), Paths.normalize(root))
            && (LocalFileSystem.realPath(path).map { LocalFileSystem.isInside($0, realRoot) } ?? true)
        guard !inside else { return }
        throw TemplateFunctionFailure(message: UntrustedRefusal(
            rule: .noRepositoryPaths,
            what: "datasource \(UserText.quoted(def.alias)) (\(UserText.quoted(def.url)), \(def.definedIn)) is outside the repository").message)
    }
}
