import KitModel
import Synchronization
/// The canonical stack name of a component (reference §6.1): `name:` in the merged manifest, else
/// `stacks.name_template`, else `stacks.name_pattern`, else the stack file id.
package struct StackNaming {
    let config: KitConfig
    let templates: TemplateRendering
    /// Where a path of the merged stack was set, for errors.
    var locate: ([String]) -> SourceLocation? = { _ in nil }

    static let patternTokens: Set<String> = ["namespace", "tenant", "environment", "stage"]

    /// The name, refused when it could lead a path out of kit's folders (see `check`).
    func name(for c: ResolvedComponent, manifestName: String?, stackFile: String) throws -> String {
        let name = try unchecked(for: c, manifestName: manifestName, stackFile: stackFile)
        // A stack's components nearly always share its name: the one last found usable is not checked again.
        if lastAccepted.name.withLock({ $0 == name }) { return name }
        if let reason = Self.problem(with: name) {
            throw StackError.invalidStackName(manifestName == name ? locate(["name"]) : SourceLocation(file: stackFile), name: name, reason: reason)
        }
        lastAccepted.name.withLock { $0 = name }
        return name
    }

    /// The name this namer last found usable (shared by its copies; a resolver's namer serves one stack).
    let lastAccepted = LastAccepted()

    final class LastAccepted: Sendable {
        let name = Mutex<String?>(nil)
    }

    /// Why a stack name cannot be used (it names folders such as `.kit/terraform/<stack>/`), or nil.
    static func problem(with name: String) -> String? {
        if name.isEmpty { return "is empty" }
        if name.hasPrefix("/") { return "is an absolute path" }
        if name.unicodeScalars.contains(where: UserText.isControl) { return "contains control characters" }
        // Segments by bytes: this runs for every component of every stack.
        var segmentLength = 0, dots = 0
        for b in name.utf8 {
            if b == UInt8(ascii: "/") {
                if let problem = segmentProblem(length: segmentLength, dots: dots) { return problem }
                segmentLength = 0
                dots = 0
            } else {
                segmentLength += 1
                if b == UInt8(ascii: ".") { dots += 1 }
            }
        }
        return segmentProblem(length: segmentLength, dots: dots)
    }

    /// What is wrong with one `/`-separated segment of a stack name, from its length and its dots.
    private static func segmentProblem(length: Int, dots: Int) -> String? {
        if length == 0 { return "contains an empty segment ('//' or a trailing '/')" }
        if length == dots && length <= 2 { return "contains a '\(String(repeating: ".", count: length))' segment, which would leave kit's folders" }
        return nil
    }

    /// The rule that names a stack (reference §6.1), in precedence order. Every stack name kit
    /// computes starts here: the stack index's (from the parsed layers), `list`'s for files the index
    /// cannot name (from the vars alone) and full resolution's.
    enum Rule: Equatable {
        /// `name:` in the merged manifest.
        case manifestName(String)
        /// `stacks.name_template`, rendered over the component's sections.
        case template(String)
        /// `stacks.name_pattern`, from the name tokens of the component's vars.
        case pattern(String)
        /// The stack file's id (`orgs/acme/dev`).
        case fileID
    }

    /// The rule for a stack whose merged manifest has `manifestName` (nil or empty: none).
    static func rule(manifestName: String?, config: KitConfig) -> Rule {
        if let n = manifestName, !n.isEmpty { return .manifestName(n) }
        if !config.nameTemplate.isEmpty { return .template(config.nameTemplate) }
        if !config.namePattern.isEmpty { return .pattern(config.namePattern) }
        return .fileID
    }

    func unchecked(for c: ResolvedComponent, manifestName: String?, stackFile: String) throws -> String {
        switch Self.rule(manifestName: manifestName, config: config) {
        case .manifestName(let n): return n
        case .template(let template):
            do {
                return try templates.render(template, name: "stacks.name_template",
                                            data: ComponentTemplateData.data(for: c), ignoreMissing: config.ignoreMissingTemplateValues)
            } catch {
                throw StackError.template(SourceLocation(file: config.configFile ?? "kit.yaml"),
                                          message: "stacks.name_template for component '\(c.name)' in '\(stripExtension(stackFile))': \(error)")
            }
        case .pattern(let pattern): return try Self.fromPattern(pattern, vars: c.vars, file: stackFile, component: c.name)
        case .fileID: return stripExtension(stackFile)
        }
    }

    /// The name tokens a pattern uses (`{tenant}-{stage}` → tenant, stage), as `fromPattern` reads them.
    static func tokens(in pattern: String) -> Set<String> { Set(patternTokenList(pattern)) }

    /// `{namespace}-{tenant}-{environment}-{stage}` from string vars; other parts are dropped (atmos).
    package static func fromPattern(_ pattern: String, vars: [String: Value], file: String, component: String) throws -> String {
        var name = ""
        for token in tokenLists.tokens(of: pattern) {
            guard case .string(let v)? = vars[token], !v.isEmpty else {
                throw StackError.missingNameToken(file: file, token: token, pattern: pattern, component: component)
            }
            if !name.isEmpty { name += "-" }
            name += v
        }
        return name
    }

    /// The token lists of the patterns seen (a repository has one or two): `fromPattern` runs for every
    /// component of every stack, and splitting the pattern cost ~7,000 instructions a component.
    static let tokenLists = PatternTokenLists()

    final class PatternTokenLists: Sendable {
        private let lists = Mutex<[String: [String]]>([:])

        func tokens(of pattern: String) -> [String] {
            if let known = lists.withLock({ $0[pattern] }) { return known }
            let tokens = StackNaming.patternTokenList(pattern)
            lists.withLock { if $0.count < 64 { $0[pattern] = tokens } }
            return tokens
        }
    }

    /// The naming tokens of a pattern in order (`{tenant}-{x}-{stage}` → tenant, stage): the
    /// `-`-separated parts spelled `{token}` whose token is one of `patternTokens`.
    static func patternTokenList(_ pattern: String) -> [String] {
        // By bytes: this runs for every component of every stack (Character-wise it cost 20k instructions).
        var tokens: [String] = []
        let bytes = Array(pattern.utf8)
        var start = 0
        while start <= bytes.count {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "-")) ?? bytes.count
            if end - start >= 2, bytes[start] == UInt8(ascii: "{"), bytes[end - 1] == UInt8(ascii: "}") {
                let token = String(decoding: bytes[(start + 1)..<(end - 1)], as: UTF8.self)
                if patternTokens.contains(token) { tokens.append(token) }
            }
            start = end + 1
        }
        return tokens
    }
}

/// Terraform workspace naming (reference §7).
enum Workspace {
    static func name(for c: ResolvedComponent, config: KitConfig, templates: TemplateRendering) throws -> String {
        if c.backendType == "http" || !config.terraform.workspacesEnabled { return "default" }
        let prefix = c.stackName.replacingAll("/", with: "-")
        let md = c.metadata
        var ws: String
        if let t = md["terraform_workspace_template"]?.stringValue, !t.isEmpty {
            do {
                ws = try templates.render(t, name: "metadata.terraform_workspace_template", data: ComponentTemplateData.data(for: c), ignoreMissing: false)
            } catch {
                throw StackError.template(SourceLocation(file: c.stackFile), message: "metadata.terraform_workspace_template of component '\(c.name)': \(error)")
            }
        } else if let p = md["terraform_workspace_pattern"]?.stringValue, !p.isEmpty {
            ws = replaceTokens(p, c)
        } else if let w = md["terraform_workspace"]?.stringValue, !w.isEmpty {
            ws = w
        } else if c.baseComponentPath.isEmpty {
            ws = prefix
        } else {
            ws = prefix + "-" + c.name
        }
        return ws.replacingAll("/", with: "-")
    }

    /// Context tokens, always populated from vars (kit's documented superset of atmos).
    static func replaceTokens(_ pattern: String, _ c: ResolvedComponent) -> String {
        var out = pattern
        for key in ["namespace", "tenant", "environment", "stage", "region"] {
            out = out.replacingAll("{\(key)}", with: c.vars[key]?.stringValue ?? "")
        }
        let attributes = (c.vars["attributes"]?.listValue ?? []).map(\.interpolated).joined(separator: "-")
        out = out.replacingAll("{attributes}", with: attributes)
        out = out.replacingAll("{component}", with: c.name)
        out = out.replacingAll("{base-component}", with: c.baseComponentPath)
        out = out.replacingAll("{component-path}", with: c.folder)
        out = out.replacingAll("{workspace}", with: c.workspace)
        out = out.replacingAll("{terraform_workspace}", with: c.workspace)
        return out
    }
}

/// The data a template sees for a component: its sections (`.vars`, `.settings`, …).
enum ComponentTemplateData {
    static func data(for c: ResolvedComponent) -> Value {
        .map([
            "vars": .map(c.vars), "settings": .map(c.settings), "env": .map(c.env), "metadata": .map(c.metadata),
            "backend": .map(c.backend), "backend_type": .string(c.backendType), "providers": .map(c.providers),
            "atmos_component": .string(c.name), "component": .string(c.baseComponentName),
            "atmos_stack_file": .string(c.stackFileID), "atmos_manifest": .string(c.stackFileID),
        ])
    }
}
