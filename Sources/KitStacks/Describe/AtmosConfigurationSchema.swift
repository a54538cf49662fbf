import KitModel
/// atmos's configuration struct (`schema.AtmosConfiguration`, atmos 0a1cb448) as `atmos describe config`
/// prints it when an atmos.yaml is found: every field that either encoder prints with atmos's defaults
/// (its `setDefaultConfiguration` values; zero values elsewhere), with the field's json and yaml names
/// and `omitempty`, plus the fields kit reads from the configuration. A nested struct declared as
/// `zero` has only zero `omitempty` fields: it prints `{}` in JSON and nothing in YAML.
///
/// Fields that no encoder prints at their default and kit does not read are left out: atmos.yaml
/// cannot change what kit prints for them. Values that atmos computes at run time (the auth realm,
/// the `Atmos/<version>` user agent) or that are atmos's own (its telemetry token) keep their zero
/// value: kit does not make them up.
enum AtmosConfigurationSchema {
    /// A field with the same name in both encodings, without `omitempty`.
    static func field(_ key: String, _ value: GoValue) -> GoField { GoField(key, value, omitEmpty: false) }
    /// A field with the same name in both encodings, `omitempty` in both.
    static func optional(_ key: String, _ value: GoValue) -> GoField { GoField(key, value, omitEmpty: true) }
    /// A struct whose fields are all zero and `omitempty`.
    static let zero = GoValue.object([])
    /// `schema.ListConfig`.
    static let listConfig = GoValue.object([field("format", .string("")), field("columns", .slice(nil))])
    static func strings(_ keys: [String]) -> [GoField] { keys.map { field($0, .string("")) } }

    /// The atmos.yaml keys of fields that hold a secret: printed as `***` when set, never as set.
    static let secretFields: [[String]] = [
        ["settings", "github_token"], ["settings", "atmos_github_token"], ["settings", "atmos_pro_github_token"],
        ["settings", "bitbucket_token"], ["settings", "atmos_bitbucket_token"], ["settings", "atmos_gitlab_token"],
        ["settings", "gitlab_token"], ["settings", "pro", "token"], ["settings", "pro", "github_oidc", "request_token"],
        ["settings", "telemetry", "token"], ["settings", "terminal", "mask", "literals"], ["errors", "sentry", "dsn"],
    ]

    /// The whole struct with atmos's defaults.
    static var configuration: GoValue {
        .object([
            field("base_path", .string("")),
            optional("cast", .pointer(.object([
                optional("recording", .pointer(.object([optional("width", .int(120)), optional("height", .int(36))]), set: true)),
            ]), set: true)),
            field("components", components),
            field("stacks", stacks),
            optional("imports", zero),
            optional("workflows", .object([field("base_path", .string("")), field("list", listConfig)])),
            optional("logs", .object([field("file", .string("/dev/stderr")), field("level", .string("Warning"))])),
            field("diagnostics", .object([field("enabled", .bool(false)), field("file", .string("")), field("include_output", .bool(false))])),
            optional("errors", .object([
                optional("format", zero),
                optional("sentry", .object([field("enabled", .bool(false)), field("dsn", .string(""))])),
            ])),
            optional("integrations", .object([
                optional("atlantis", .object([optional("path", .string("")), optional("config_templates", .map(nil)),
                                              optional("project_templates", .map(nil)), optional("workflow_templates", .map(nil))])),
                optional("github", .map(nil)),
                optional("pro", .map(nil)),
            ])),
            optional("schemas", .map(nil)),
            optional("templates", templates),
            optional("settings", settings),
            optional("describe", .object([
                optional("settings", zero), optional("affected", zero), optional("error_mode", .string("warn")),
                optional("provenance", .bool(true)), optional("component", .object([optional("filter", .string("schema"))])),
            ])),
            optional("stores", .map(nil)),
            optional("secrets", zero),
            optional("vendor", .object([
                field("base_path", .string("")), optional("lock_file", .string("")), optional("list", listConfig),
                optional("update", .object([optional("execution", zero), optional("batching", zero)])),
                optional("ci", .object([optional("pull_request", zero), optional("summary", zero)])),
                optional("lock", zero),
            ])),
            field("initialized", .bool(true)),
            optional("basePathAbsolute", .string("")),
            optional("stacksBaseAbsolutePath", .string("")),
            optional("includeStackAbsolutePaths", .slice(nil)),
            optional("excludeStackAbsolutePaths", .slice(nil)),
        ] + ["terraform", "helmfile", "packer", "ansible", "kubernetes", "helm", "vendor", "workflows"].map {
            optional("\($0)DirAbsolutePath", .string(""))
        } + [
            field("default", .bool(false)),
            optional("version", .object([
                optional("check", zero), optional("constraint", zero), optional("use", .string("")), optional("track", .string("")),
                optional("lock_file", .string("")), optional("defaults", .object([optional("update", zero)])),
            ])),
            optional("validate", .object([optional("editorconfig", zero)])),
            GoField("cli_config_path", json: "cli_config_path", yaml: "cli_config_path", jsonOmitEmpty: true, yamlOmitEmpty: false, .string("")),
            field("import", .slice(nil)),
            optional("docs", docs(generate: true)),
            optional("auth", .object([
                optional("realm", .string("")),
                optional("logs", .object([field("file", .string("")), field("level", .string(""))])),
                optional("keyring", zero),
                field("providers", .map(nil)),
                field("identities", .map(nil)),
                optional("integrations", .map(nil)),
            ])),
            optional("container", .object([optional("runtime", .object([optional("auto_start", .bool(true))]))])),
            optional("env", .map(nil)),
            optional("profiler", .object([field("enabled", .bool(false)), field("port", .int(0))] + strings(["host", "file", "profile_type"]))),
            optional("toolchain", .object(strings(["install_path", "file_path", "tools_dir", "versions_file"])
                + [field("use_tool_versions", .bool(false)), field("use_lock_file", .bool(false))])),
            optional("git", .object([optional("list", zero)])),
            optional("profiles", zero),
            optional("metadata", zero),
            optional("list", .object([
                optional("components", listConfig), optional("instances", listConfig), optional("stacks", listConfig),
                optional("error_mode", .string("warn")),
            ])),
            optional("ci", .object(["output", "summary", "annotations", "results"].map { optional($0, zero) }
                + [optional("checks", .object([optional("statuses", zero)]))]
                + ["comments", "templates", "cache", "groups"].map { optional($0, zero) })),
            optional("ai", .object([optional("sessions", .object([optional("auto_compact", zero)]))]
                + ["tools", "instructions", "web_search", "context"].map { optional($0, zero) })),
            optional("aws", .object([optional("security", .object([optional("sources", zero), optional("tag_mapping", zero)]))])),
            optional("mcp", .object([optional("routing", zero)])),
            optional("lsp", zero),
        ])
    }

    /// `schema.Components`: the six built-in types, `list`, and the other types (`Plugins`, inline in YAML).
    static var components: GoValue {
        let generated = field("auto_generate_files", .bool(false))
        return .object([
            field("terraform", .object([
                field("base_path", .string("")),
                field("apply_auto_approve", .bool(false)),
                field("append_user_agent", .string("")),
                field("deploy_run_init", .bool(false)),
                field("init_run_reconfigure", .bool(false)),
                field("auto_generate_backend_file", .bool(false)),
                generated,
                optional("workspaces_enabled", .pointer(.bool(true), set: false)),
                field("command", .string("")),
                field("shell", .object([field("prompt", .string(""))])),
                field("init", .object([field("pass_vars", .bool(false))])),
                field("plan", .object([field("skip_planfile", .bool(false))])),
                optional("lint", zero),
                optional("planfiles", .object([field("default", .string(""))])),
                field("plugin_cache", .bool(true)),
                optional("plugin_cache_dir", .string("")),
                field("auto_provision_workdir_for_outputs", .bool(true)),
                optional("ci", zero),
                optional("workspace", .object([optional("prefix_separator", .string(""))])),
                optional("platforms", .slice(nil)),
            ])),
            field("helmfile", .object([field("base_path", .string("")), field("use_eks", .bool(false))]
                + strings(["kubeconfig_path", "helm_aws_profile_pattern", "cluster_name_pattern", "cluster_name_template", "cluster_name", "command"])
                + [generated, optional("plugins", .slice(nil))])),
            field("packer", .object(strings(["base_path", "command"]) + [generated])),
            field("ansible", .object(strings(["base_path", "command"]) + [generated])),
            field("kubernetes", .object(strings(["base_path", "provider"]) + [generated])),
            field("helm", .object([field("base_path", .string("")), generated, optional("plugins", .slice(nil))])),
            optional("list", listConfig),
            GoField("Plugins", json: "Plugins", yaml: nil, jsonOmitEmpty: false, yamlOmitEmpty: false, yamlInline: true, .map(nil)),
        ])
    }

    /// `schema.Stacks`, with kit's `allowed_external_paths` (printed when set).
    static var stacks: GoValue {
        .object([
            field("base_path", .string("")),
            field("included_paths", .slice(nil)),
            field("excluded_paths", .slice(nil)),
            field("name_pattern", .string("")),
            field("name_template", .string("")),
            optional("list", listConfig),
            optional("inherit", .object([
                optional("metadata", .pointer(.bool(true), set: true)),
                optional("source", .pointer(.bool(true), set: false)),
            ])),
            optional("allowed_external_paths", .slice(nil)),
        ])
    }

    /// `schema.Templates`.
    static var templates: GoValue {
        .object([field("settings", .object([
            field("enabled", .bool(false)),
            field("sprig", .object([field("enabled", .bool(false))])),
            field("gomplate", .object([field("enabled", .bool(false)), field("timeout", .int(0)), field("datasources", .map(nil))])),
            optional("delimiters", .slice(nil)),
            optional("evaluations", .int(0)),
            optional("ignore_missing_template_values", .bool(false)),
        ]))])
    }

    /// `schema.Docs` (`max-width` in YAML, `max_width` in JSON); `generate` only at the top level.
    static func docs(generate: Bool) -> GoValue {
        var fields = [
            GoField("max-width", json: "max_width", yaml: "max-width", jsonOmitEmpty: false, yamlOmitEmpty: false, .int(0)),
            field("pagination", .bool(false)),
        ]
        if generate {
            fields.append(optional("generate", .object([field("readme", .object([
                optional("output", .string("./README.md")), optional("terraform", zero),
            ]))])))
        }
        return .object(fields)
    }

    /// `schema.AtmosSettings`. The Git token settings have no json tag: JSON prints Go's field names.
    static var settings: GoValue {
        let markdown = ["document", "block_quote", "paragraph", "list", "list_item", "heading", "h1", "h2", "h3", "h4", "h5", "h6",
                        "text", "strong", "emph", "hr", "item", "enumeration", "code", "code_block", "table", "definition_list",
                        "definition_term", "definition_description", "html_block", "html_span", "link", "link_text"]
        let git: [(String, String, GoValue)] = [
            ("inject_github_token", "InjectGithubToken", .bool(true)), ("github_token", "GithubToken", .string("")),
            ("atmos_github_token", "AtmosGithubToken", .string("")), ("atmos_pro_github_token", "AtmosProGithubToken", .string("")),
            ("github_username", "GithubUsername", .string("")), ("inject_bitbucket_token", "InjectBitbucketToken", .bool(true)),
            ("bitbucket_token", "BitbucketToken", .string("")), ("atmos_bitbucket_token", "AtmosBitbucketToken", .string("")),
            ("bitbucket_username", "BitbucketUsername", .string("")), ("inject_gitlab_token", "InjectGitlabToken", .bool(true)),
            ("atmos_gitlab_token", "AtmosGitlabToken", .string("")), ("gitlab_token", "GitlabToken", .string("")),
        ]
        return .object([
            field("list_merge_strategy", .string("")),
            optional("terminal", .object([
                field("max_width", .int(0)),
                field("pager", .string("false")),
                field("unicode", .bool(false)),
                field("syntax_highlighting", .object([field("enabled", .bool(false))] + strings(["lexer", "formatter", "theme"])
                    + [field("line_numbers", .bool(false)), field("wrap", .bool(false))])),
                field("color", .bool(true)),
                field("no_color", .bool(false)),
                optional("tab_width", .int(0)),
                optional("title", .bool(false)),
                optional("alerts", .bool(false)),
                optional("mask", .object([field("enabled", .bool(false)), optional("replacement", .string("")),
                                          optional("patterns", .slice(nil)), optional("literals", .slice(nil))])),
                optional("theme", .string("")),
                optional("help", .object([field("filter", .bool(true))])),
            ])),
            optional("yaml", .object([field("key_delimiter", .string(""))])),
            field("experimental", .string("warn")),
            optional("docs", docs(generate: false)),
            optional("markdown", .object(markdown.map { optional($0, zero) })),
        ] + git.map { key, goName, value in
            GoField(key, json: goName, yaml: key, jsonOmitEmpty: false, yamlOmitEmpty: true, value)
        } + [
            optional("pro", .object([
                optional("base_url", .string("https://atmos-pro.com")), optional("endpoint", .string("api/v1")),
                optional("token", .string("")), optional("workspace_id", .string("")),
                optional("github_oidc", .object([optional("request_url", .string("")), optional("request_token", .string(""))])),
                optional("git_sts", zero),
            ])),
            optional("telemetry", .object([
                optional("enabled", .bool(true)), optional("endpoint", .string("https://us.i.posthog.com")),
                optional("token", .string("")), field("logging", .bool(false)),
            ])),
            optional("provision", .object([optional("workdir", zero)])),
        ])
    }
}
