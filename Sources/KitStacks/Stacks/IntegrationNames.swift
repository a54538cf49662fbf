import KitModel
/// atmos's integration values of a component, `spacelift_stack` and `atlantis_project`, computed as
/// atmos computes them (`BuildSpaceliftStackNameFromComponentConfig`,
/// `BuildAtlantisProjectNameFromComponentConfig`) before the component template pass, so templates
/// can use `{{ .spacelift_stack }}` and `{{ .atlantis_project }}`.
///
/// - `spacelift_stack`, only when `settings.spacelift.workspace_enabled` is `true`:
///   `settings.spacelift.stack_name_pattern` with its `{tenant}`-style tokens replaced; else
///   `settings.spacelift.stack_name` as written; else `<stack prefix>-<component>` (`/` → `-`), where
///   the prefix is `stacks.name_template` rendered over the component, else `stacks.name_pattern`.
/// - `atlantis_project`, only when `settings.atlantis` names a project template with a `name`:
///   `settings.atlantis.project_template`, else the template `settings.atlantis.project_template_name`
///   of atmos.yaml's `integrations.atlantis.project_templates`; its `name` with the tokens replaced.
///
/// Tokens are atmos's context: `{namespace}`, `{tenant}`, `{environment}`, `{stage}`, `{region}`,
/// `{attributes}` (joined with `-`) from string vars, `{component}` (the component name, `/` → `-`);
/// `{base-component}`, `{component-path}`, `{workspace}` and `{terraform_workspace}` are empty, as in atmos.
///
/// A value that is not configured is absent, as in atmos: `describe component` has no key and a
/// template renders it `<no value>`. A value kit cannot compute (no stack name pattern, an unknown
/// project template) is also absent, and a template that uses it is an error saying why.
enum IntegrationNames {
    static func apply(_ c: inout ResolvedComponent, config: KitConfig, templates: TemplateRendering) {
        c.spaceliftStack = nil
        c.atlantisProject = nil
        var spaceliftAbsent: TemplateOptions.AbsentKey?, atlantisAbsent: TemplateOptions.AbsentKey?
        switch spacelift(c, config: config, templates: templates) {
        case .success(let name?) where !name.isEmpty: c.spaceliftStack = name
        case .success: spaceliftAbsent = .noValue
        case .failure(let reason): spaceliftAbsent = .error(reason.message)
        }
        switch atlantis(c, config: config) {
        case .success(let name?) where !name.isEmpty: c.atlantisProject = name
        case .success: atlantisAbsent = .noValue
        case .failure(let reason): atlantisAbsent = .error(reason.message)
        }
        // Most components use neither integration: one shared map instead of one built for each.
        if spaceliftAbsent == .noValue && atlantisAbsent == .noValue {
            c.integrationAbsentKeys = Self.neither
        } else {
            var absent: [String: TemplateOptions.AbsentKey] = [:]
            absent["spacelift_stack"] = spaceliftAbsent
            absent["atlantis_project"] = atlantisAbsent
            c.integrationAbsentKeys = absent
        }
    }

    /// Neither integration configured.
    static let neither: [String: TemplateOptions.AbsentKey] = ["spacelift_stack": .noValue, "atlantis_project": .noValue]

    struct Unavailable: Error { let message: String }

    static func spacelift(_ c: ResolvedComponent, config: KitConfig, templates: TemplateRendering) -> Result<String?, Unavailable> {
        guard case .map(let s)? = c.settings["spacelift"], s["workspace_enabled"] == .bool(true) else { return .success(nil) }
        let component = c.name.replacingAll("/", with: "-")
        let prefix: String
        if !config.nameTemplate.isEmpty {
            var data = ComponentTemplateData.data(for: c).mapValue ?? [:]
            data["atmos_stack"] = .string(c.stackName)
            data["stack"] = .string(c.stackName)
            data["workspace"] = .string(c.workspace)
            do {
                prefix = try templates.render(config.nameTemplate, name: "stacks.name_template", data: .map(data),
                                              ignoreMissing: config.ignoreMissingTemplateValues)
            } catch {
                return .failure(Unavailable(message: "the Spacelift stack name needs stacks.name_template, which failed: \(error)"))
            }
        } else if !config.namePattern.isEmpty {
            do {
                prefix = try StackNaming.fromPattern(config.namePattern, vars: c.vars, file: c.stackFile, component: c.name)
            } catch {
                return .failure(Unavailable(message: "the Spacelift stack name needs stacks.name_pattern: \(error)"))
            }
        } else {
            return .failure(Unavailable(message: "settings.spacelift.workspace_enabled is true but neither stacks.name_pattern nor stacks.name_template is set, so there is no Spacelift stack name (atmos fails here too)"))
        }
        if case .string(let pattern)? = s["stack_name_pattern"] {
            return .success(replaceTokens(pattern, vars: c.vars, component: component))
        }
        if case .string(let name)? = s["stack_name"] { return .success(name) }
        return .success("\(prefix)-\(component)".replacingAll("/", with: "-"))
    }

    static func atlantis(_ c: ResolvedComponent, config: KitConfig) -> Result<String?, Unavailable> {
        guard case .map(let a)? = c.settings["atlantis"] else { return .success(nil) }
        var template: [String: Value]? = nil
        if case .map(let t)? = a["project_template"] {
            template = t
        } else if case .string(let name)? = a["project_template_name"], !name.isEmpty {
            guard case .map(let t)? = config.rawConfiguration.value(at: ["integrations", "atlantis", "project_templates", name]) else {
                return .failure(Unavailable(message: "settings.atlantis.project_template_name \(UserText.quoted(name)) names no template in integrations.atlantis.project_templates of \(config.configFile.map(Paths.basename) ?? "the configuration") (atmos leaves atlantis_project out)"))
            }
            template = t
        }
        guard let template, let nameValue = template["name"] else { return .success(nil) }
        guard case .string(let name) = nameValue else {
            return .failure(Unavailable(message: "the Atlantis project template's 'name' is not a string"))
        }
        return .success(replaceTokens(name, vars: c.vars, component: c.name.replacingAll("/", with: "-")))
    }

    /// atmos `ReplaceContextTokens` over a context built from vars (`GetContextFromVars`) and the
    /// component: one left-to-right pass, so replaced text is never scanned again.
    static func replaceTokens(_ pattern: String, vars: [String: Value], component: String) -> String {
        func text(_ key: String) -> String {
            if case .string(let s)? = vars[key] { return s }
            return ""
        }
        var attributes = ""
        if case .list(let items)? = vars["attributes"] {
            attributes = items.map { GoFormat.print($0) }.joined(separator: "-")
        }
        let tokens: [(String, String)] = [
            ("{base-component}", ""), ("{component}", component), ("{component-path}", ""),
            ("{namespace}", text("namespace")), ("{environment}", text("environment")), ("{region}", text("region")),
            ("{tenant}", text("tenant")), ("{stage}", text("stage")), ("{workspace}", ""),
            ("{terraform_workspace}", ""), ("{attributes}", attributes),
        ]
        var out = ""
        var rest = Substring(pattern)
        outer: while !rest.isEmpty {
            if rest.first == "{" {
                for (token, value) in tokens where rest.hasPrefix(token) {
                    out += value
                    rest = rest.dropFirst(token.count)
                    continue outer
                }
            }
            out.append(rest.removeFirst())
        }
        return out
    }
}
