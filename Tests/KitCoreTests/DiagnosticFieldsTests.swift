@testable import KitCore
@testable import KitTerraform
import KitPluginRuntime
import Testing

/// Every error reaches the sink as a `Diagnostic` with the fields it knows (issue 18), and its text
/// line is what kit printed before: the severity label, then the error's `description`.
@Suite("typed diagnostics of errors")
struct DiagnosticFieldsTests {
    static let at = SourceLocation(file: "stacks/orgs/acme/dev.yaml", mark: Mark(line: 7, column: 3))

    /// Every `StackError` case, located where the case can be.
    static let stackErrors: [StackError] = [
        .malformedYAML(at, message: "did not find expected key"),
        .unreadable(file: "stacks/a.yaml", reason: "permission denied"),
        .importNotFound(at, importPath: "catalog/vpx", suggestion: "catalog/vpc"),
        .importNotFound(at, importPath: "catalog/vpx", suggestion: nil),
        .importCycle(chain: ["a", "b", "a"]),
        .invalidImport(at, message: "an import must be a string"),
        .invalidSection(at, path: "vars", expected: "map", found: "list", stack: "acme-dev", component: "vpc"),
        .invalidSection(nil, path: "vars", expected: "map", found: "list", stack: nil, component: nil),
        .inheritanceCycle(stack: "acme-dev", chain: ["a", "b", "a"]),
        .locatedInheritanceCycle(at, stack: "acme-dev", chain: ["a", "b", "a"]),
        .unknownBase(at, stack: "acme-dev", component: "vpc", base: "vpc-bas", via: "metadata.inherits", suggestion: "vpc-base"),
        .unknownStack(stack: "acme-dv", suggestion: "acme-dev", component: "vpc"),
        .unknownComponent(component: "vpx", stack: "acme-dev", suggestions: ["vpc"]),
        .duplicateStack(stack: "acme-dev", component: "vpc", files: ["a.yaml", "b.yaml"]),
        .noManifests(stacksBase: "stacks", patterns: ["**/*.yaml"]),
        .noRepository(directory: "/tmp"),
        .componentEscapes(at, component: "vpc", folder: "../x", stack: "acme-dev"),
        .globalMetadataField(at, key: "component"),
        .backendTypeMismatch(stack: "acme-dev", component: "vpc", section: "backend", type: "s3", keys: ["gcs"]),
        .missingNameToken(file: "stacks/a.yaml", token: "stage", pattern: "{tenant}-{stage}", component: "vpc"),
        .template(at, message: "map has no entry for key \"x\""),
        .invalidMergeStrategy(at, value: "prepend"),
        .functionNotEvaluated(stack: "acme-dev", component: "vpc", path: "vars.x", function: "!store"),
        .limitExceeded(at, message: "the manifest nests deeper than 64 levels"),
        .outsideRepository(at, what: "import", path: "/etc/x.yaml", repository: "/repo"),
        .directoryLoop(path: "stacks/loop", target: "stacks"),
        .unreadableFolder(path: "stacks/locked", reason: "permission denied"),
        .tooManyFiles(stacksBase: "stacks", limit: 100_000),
        .invalidStackName(at, name: "a b", reason: "contains a space"),
        .notTerraform(component: "chart", stack: "acme-dev", type: "helmfile"),
        .stackNotResolved(stack: "acme-prod", suggestion: nil, failedManifests: ["orgs/acme/prod"], firstError: "x"),
        .validationFailed(component: "vpc", stack: "acme-dev", problems: ["a"]),
        .yamlFunction(at, stack: "acme-dev", component: "vpc", path: "vars.x", function: "!env", message: "takes one or two arguments"),
    ]

    @Test("every stack error renders as before: the label, then its description")
    func stackErrorText() {
        for e in Self.stackErrors {
            #expect(Diagnostic(error: e).text(colour: false) == "error: \(e)")
            #expect(Diagnostic(error: e, .warning).text(colour: false) == "warning: \(e)")
        }
    }

    @Test("a stack error's message is the case's text after its place, the place a location")
    func stackErrorFields() {
        let d = Diagnostic(error: StackError.malformedYAML(Self.at, message: "did not find expected key"))
        // Today's line, byte for byte.
        #expect(d.text(colour: false) == "error: stacks/orgs/acme/dev.yaml:7:3: malformed YAML: did not find expected key — fix the syntax at this position")
        #expect(d.location == Self.at)
        #expect(d.message == "malformed YAML: did not find expected key — fix the syntax at this position")

        let section = Diagnostic(error: StackError.invalidSection(Self.at, path: "vars", expected: "map", found: "list", stack: "acme-dev", component: "vpc"))
        #expect(section.location == Self.at)
        #expect(section.stack == "acme-dev")
        #expect(section.component == "vpc")
        #expect(section.message.hasPrefix("section 'vars' in stack 'acme-dev'"))

        let unreadable = Diagnostic(error: StackError.unreadable(file: "stacks/a.yaml", reason: "permission denied"))
        #expect(unreadable.location == SourceLocation(file: "stacks/a.yaml"))
        #expect(unreadable.message == "cannot read the file: permission denied — check that it exists and is readable")

        let notFound = Diagnostic(error: StackError.unknownComponent(component: "vpx", stack: "acme-dev", suggestions: []))
        #expect(notFound.location == nil)
        #expect(notFound.stack == "acme-dev")
        #expect(notFound.component == "vpx")
    }

    @Test("a file name the description escapes stays in the message, so the text is still the description")
    func escapedPlace() {
        let e = StackError.malformedYAML(SourceLocation(file: "stacks/a\u{1B}[31m.yaml", mark: Mark(line: 1, column: 2)), message: "bad")
        let d = Diagnostic(error: e)
        #expect(d.text(colour: false) == "error: \(e)")
        #expect(d.text(colour: false).contains("\\u{1B}"))
        #expect(d.location == nil)
    }

    @Test("terraform errors: stack, component, and the subcommand as op")
    func terraformError() {
        let e = TerraformError.locked(component: "vpc", stack: "acme-dev", subcommand: "apply")
        let d = Diagnostic(error: e)
        #expect(d.text(colour: false) == "error: component 'vpc' in stack 'acme-dev' cannot be modified with 'apply' (metadata.locked: true) — unlock it in the stack to change it")
        #expect(d.stack == "acme-dev")
        #expect(d.component == "vpc")
        #expect(d.op == "apply")
        #expect(d.value["op"] == .string("apply"))

        let generate = TerraformError.generateFailed(component: "vpc", stack: "acme-dev", stackFile: "stacks/dev.yaml", file: "x.tf", message: "is a folder")
        let g = Diagnostic(error: generate)
        #expect(g.text(colour: false) == "error: \(generate)")
        #expect(g.location == SourceLocation(file: "stacks/dev.yaml"))
        #expect(g.message == "generate 'x.tf' of component 'vpc' in stack 'acme-dev': is a folder")

        let plain = TerraformError.commandNotFound("terraform")
        #expect(Diagnostic(error: plain) == Diagnostic(.error, "\(plain)"))
    }

    @Test("estate and reference errors: the stack and component the dependency is on")
    func estateError() {
        let from = InstanceID(stack: "acme-dev", component: "app")
        let e = EstateError.unknownDependency(from: from, component: "vpx", stack: "acme-dev", via: "dependencies.components", suggestions: ["vpc"])
        let d = Diagnostic(error: e)
        #expect(d.text(colour: false) == "error: \(e)")
        #expect(d.stack == "acme-dev")
        #expect(d.component == "app")

        let r = ReferenceError.failed(reference: "!terraform.state vpc id", site: "vars.id", from: from, message: "no")
        #expect(Diagnostic(error: r).text(colour: false) == "error: \(r)")
        #expect(Diagnostic(error: r).component == "app")
        let located = ReferenceError.located(.template(Self.at, message: "x"), waitingOn: nil)
        #expect(Diagnostic(error: located).location == Self.at)
        #expect(Diagnostic(error: located).text(colour: false) == "error: \(located)")

        let missing = TerraformReferenceError.outputNotFound(output: "id", component: "vpc", stack: "acme-dev", available: [])
        #expect(Diagnostic(error: missing).text(colour: false) == "error: \(missing)")
        #expect(Diagnostic(error: missing).component == "vpc")

        let state = LocalStateError.noBackup(backup: "b", component: "vpc", stack: "acme-dev")
        #expect(Diagnostic(error: state).text(colour: false) == "error: \(state)")
        #expect(Diagnostic(error: state).stack == "acme-dev")

        let long = GeneratedPathTooLong(stack: "s", component: "c", element: "e", bytes: 300)
        #expect(Diagnostic(error: long).text(colour: false) == "error: \(long)")
        #expect(Diagnostic(error: long).component == "c")
    }

    @Test("query errors: the expression as subject, the hint apart")
    func queryError() {
        let e = QueryError(text: ".vars.x =! 1", column: 9, problem: "syntax error", hint: "fix the expression")
        let d = Diagnostic(error: e)
        #expect(d.text(colour: false) == "error: --query '.vars.x =! 1': syntax error at column 9 — fix the expression")
        #expect(d.subject == "--query '.vars.x =! 1'")
        #expect(d.message == "syntax error at column 9")
        #expect(d.hint == "fix the expression")
        let bare = QueryError(text: ".a", problem: "null cannot be iterated")
        #expect(Diagnostic(error: bare).text(colour: false) == "error: \(bare)")
        #expect(Diagnostic(error: bare).hint == nil)
    }

    @Test("plugin errors: the plugin as source and the op, without a [source] tag in the text")
    func pluginErrors() {
        let call = PluginCallError.timedOut(plugin: "aws", op: "review_plan", seconds: 30)
        let d = Diagnostic(error: call)
        #expect(d.text(colour: false) == "error: plugin 'aws' did not answer 'review_plan' within 30 s; kit stopped it — raise 'plugins.timeout' in kit.yaml or fix the plugin")
        #expect(d.source == "aws")
        #expect(d.op == "review_plan")
        #expect(d.value["source"] == .string("aws"))

        let load = PluginLoadError.unknownPlugin(name: "gcp", found: [], searched: ["plugins"])
        #expect(Diagnostic(error: load).text(colour: false) == "error: \(load)")
        #expect(Diagnostic(error: load).source == "gcp")
        let notELF = PluginLoadError.notELF(path: "plugins/libX.so")
        #expect(Diagnostic(error: notELF) == Diagnostic(.error, "\(notELF)"))

        let pin = PluginConfigurationError.pinMalformed(name: "aws", found: "abc")
        #expect(Diagnostic(error: pin).text(colour: false) == "error: \(pin)")
        #expect(Diagnostic(error: pin).source == "aws")
        let install = PluginInstallError.notInstalled(name: "aws", searched: ["p"])
        #expect(Diagnostic(error: install).text(colour: false) == "error: \(install)")
        #expect(Diagnostic(error: install).source == "aws")

        // A finding still shows its policy.
        #expect(Diagnostic(.error, "m", source: "aws.rds").text(colour: false) == "error: [aws.rds] m")
    }

    @Test("configuration, vendor, workflow and untrusted errors: the file (and position) as the location")
    func locatedErrors() {
        let config = ConfigError.unknownKey(key: "stacks.nam_pattern", suggestion: "stacks.name_pattern", source: "kit.yaml")
        let c = Diagnostic(error: config)
        #expect(c.text(colour: false) == "error: kit.yaml: unknown configuration key 'stacks.nam_pattern' — did you mean 'stacks.name_pattern'?")
        #expect(c.location == SourceLocation(file: "kit.yaml"))
        let env = ConfigError.invalidValue(key: "KIT_NO_PLUGINS", value: "2", expected: "'1' or '0'", source: "environment")
        #expect(Diagnostic(error: env).text(colour: false) == "error: \(env)")
        #expect(Diagnostic(error: env).location == nil)
        let malformed = ConfigError.malformed(Self.at, message: "bad")
        #expect(Diagnostic(error: malformed).text(colour: false) == "error: \(malformed)")
        #expect(Diagnostic(error: malformed).location == Self.at)
        let plugins = ConfigError.invalidPlugins(.pinNotString(name: "aws", found: "1"), source: "kit.yaml")
        #expect(Diagnostic(error: plugins).text(colour: false) == "error: \(plugins)")
        #expect(Diagnostic(error: plugins).source == "aws")

        let vendor = VendorError.unsupportedSource(Self.at, component: "vpc", kind: "OCI", hint: "use oras")
        #expect(Diagnostic(error: vendor).text(colour: false) == "error: \(vendor)")
        #expect(Diagnostic(error: vendor).location == Self.at)
        #expect(Diagnostic(error: vendor).component == "vpc")
        let fetch = VendorError.fetchFailed(component: "vpc", source: "git::x", detail: "no")
        #expect(Diagnostic(error: fetch).text(colour: false) == "error: \(fetch)")
        #expect(Diagnostic(error: fetch).component == "vpc")

        let workflow = WorkflowError.manifest(Self.at, message: "step 'a': no command")
        #expect(Diagnostic(error: workflow).text(colour: false) == "error: \(workflow)")
        #expect(Diagnostic(error: workflow).message == "step 'a': no command")

        let refusal = UntrustedRefusal(rule: .noExec, what: "'!exec' in 'vars.x'", location: Self.at, stack: "acme-dev", component: "vpc")
        let u = Diagnostic(error: refusal)
        #expect(u.text(colour: false) == "error: \(refusal)")
        #expect(u.location == Self.at)
        #expect(u.stack == "acme-dev")
        #expect(u.component == "vpc")
        #expect(u.message.hasPrefix("component 'vpc' in stack 'acme-dev': refused by --untrusted"))
    }

    @Test("a foreign error is its text alone")
    func foreignError() {
        struct Foreign: Error, CustomStringConvertible { var description: String { "no such file" } }
        #expect(Diagnostic(error: Foreign()) == Diagnostic(.error, "no such file"))
    }
}
