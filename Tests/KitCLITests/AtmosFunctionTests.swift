import Foundation
import Testing

/// YAML functions never reach terraform as literal strings (issue 9). The `atmos-functions` fixture
/// is an atmos repository whose `app` component uses `!env`, `!exec`, `!template`, `!repo-root` and
/// `!terraform.output`; stack `prod` adds `secrets` (`!store`) and `failing` (`!exec` exiting 3).
@Suite("atmos YAML functions")
struct AtmosFunctionTests {
    static let environment = ["KIT_FIXTURE_HOME": "/home/fixture"]

    @Test("describe component evaluates !env, !exec, !template and !repo-root; !terraform.output stays for the runner")
    func describeEvaluates() throws {
        let repo = try FixtureRepository("atmos-functions")
        let run = try repo.run(["describe", "component", "app", "-s", "dev", "--format", "json"], environment: Self.environment)
        #expect(run.exitCode == 0)
        #expect(run.stderr.isEmpty)
        #expect(run.stdout.contains("\"home_dir\": \"/home/fixture\""))
        #expect(run.stdout.contains("\"region\": \"us-east-2\""))
        #expect(run.stdout.contains("\"greeting\": \"hello world\""))
        #expect(run.stdout.contains("\"answer\": 42"))
        #expect(run.stdout.contains("\"vpc_id\": \"!terraform.output vpc vpc_id\""))
        // Every value is evaluated; only `sources` shows the values as the manifests write them (as atmos does).
        let document = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        let evaluated = document?.filter { $0.key != "sources" } ?? [:]
        #expect(!String(decoding: try JSONSerialization.data(withJSONObject: evaluated), as: UTF8.self).contains("\"!env"))
        Golden.check(Golden.transcript(run, in: repo), named: "atmos-functions-describe-component-app-dev-json")
    }

    @Test("generate varfile --dry-run prints evaluated values; the reference is read only by a real generate")
    func varfileEvaluated() throws {
        let repo = try FixtureRepository("atmos-functions")
        let environment = Self.environment.merging(["KIT_FIXTURE_REGION": "eu-west-1"]) { $1 }
        let preview = try repo.run(["terraform", "generate", "varfile", "app", "-s", "dev", "--dry-run"], environment: environment)
        #expect(preview.exitCode == 0)
        #expect(preview.stdout.contains("\"region\": \"eu-west-1\""))
        #expect(preview.stdout.contains("\"label\": \"dev-app\""))
        #expect(!preview.stdout.contains("!env") && !preview.stdout.contains("!exec") && !preview.stdout.contains("!template"))
        // Written for terraform, the varfile needs vpc's output; 'vpc' is not in stack dev, so it is an
        // error and no file is written — never the text '!terraform.output vpc vpc_id' handed on.
        let run = try repo.run(["terraform", "generate", "varfile", "app", "-s", "dev"], environment: environment)
        #expect(run.exitCode == 1)
        #expect(run.errorLines == ["error: '!terraform.output vpc vpc_id' in vars.vpc_id of 'app' in stack 'dev': component 'vpc' not found in stack 'dev' — did you mean 'app'?"])
        #expect(repo.text("components/terraform/app/dev-app.terraform.tfvars.json") == nil)
    }

    @Test("a function written with the wrong arguments is an error naming file:line:column, stack and component",
          arguments: [["describe", "component", "secrets", "-s", "prod"],
                      ["terraform", "generate", "varfile", "secrets", "-s", "prod"],
                      ["terraform", "plan", "secrets", "-s", "prod", "--dry-run"]])
    func unsupportedFunction(_ arguments: [String]) throws {
        let repo = try FixtureRepository("atmos-functions")
        let run = try repo.run(arguments, environment: Self.environment)
        #expect(run.exitCode == 1)
        #expect(run.errorLines == ["error: stacks/deploy/prod.yaml:12:16: !store in 'vars.token' of component 'secrets' in stack 'prod': expects a store, an optional stack, a component and a key, e.g. '!store prod/ssm vpc vpc_id'"])
        #expect(repo.text("components/terraform/app/prod-secrets.terraform.tfvars.json") == nil)
    }

    @Test("a failing !exec command is an error naming file:line:column")
    func failingExec() throws {
        let repo = try FixtureRepository("atmos-functions")
        let run = try repo.run(["describe", "component", "failing", "-s", "prod"], environment: Self.environment)
        #expect(run.exitCode == 1)
        Golden.check(Golden.transcript(run, in: repo), named: "atmos-functions-failing-exec")
    }

    @Test("describe stacks prints the stacks that resolve and fails for the components whose functions fail")
    func describeStacks() throws {
        let repo = try FixtureRepository("atmos-functions")
        let run = try repo.run(["describe", "stacks", "--sections", "vars"], environment: Self.environment)
        #expect(run.exitCode == 1)
        #expect(run.stdout.contains("dev:"))
        #expect(run.errorLines.count == 2)
    }
}

/// One bad template or stack never removes others silently (issue 9). In `broken-stacks`, `acme-dev`
/// is fine; `staging` imports a template using `atmos.Component`; `prod` has an inheritance cycle;
/// `qa` inherits an undefined base; `sandbox` has `vars: [1, 2]`.
@Suite("broken stacks are named, never dropped")
struct BrokenStackTests {
    @Test("list stacks lists every stack it can name and names the one it cannot, with the template's location")
    func listStacks() throws {
        let repo = try FixtureRepository("broken-stacks")
        let run = try repo.run(["list", "stacks"])
        #expect(run.exitCode == 0)
        #expect(run.stdout == "acme-dev\nacme-prod\nacme-qa\nacme-sandbox\n")
        #expect(run.stderr.contains("stacks/catalog/shared.yaml.tmpl:5:20:"))
        #expect(run.stderr.contains("stack 'orgs/acme/staging' left out"))
        Golden.check(Golden.transcript(run, in: repo), named: "broken-stacks-list-stacks")
    }

    @Test("describe stacks prints the good stacks, then each failure, and exits 1")
    func describeStacks() throws {
        let repo = try FixtureRepository("broken-stacks")
        let run = try repo.run(["describe", "stacks", "--sections", "vars"])
        #expect(run.exitCode == 1)
        #expect(run.stdout.hasPrefix("acme-dev:\n"))
        Golden.check(Golden.transcript(run, in: repo), named: "broken-stacks-describe-stacks")
    }

    @Test("describe component in a stack that exists but fails gives the failure, never 'not found'",
          arguments: [("acme-prod", "component inheritance cycle"), ("acme-qa", "stacks/orgs/acme/qa.yaml:10:19:"),
                      ("acme-sandbox", "stacks/orgs/acme/sandbox.yaml:9:13:"), ("acme-staging", "stacks/catalog/shared.yaml.tmpl:5:20:")])
    func describeFailedStack(_ stack: String, _ expected: String) throws {
        let repo = try FixtureRepository("broken-stacks")
        let run = try repo.run(["describe", "component", "vpc", "-s", stack])
        #expect(run.exitCode == 1)
        #expect(run.errorLines.count == 1)
        #expect(run.errorLines.first?.contains(expected) == true)
        #expect(!run.stderr.contains("not found"))
    }

    @Test("with a name_template, list stacks needs no component templates and still names broken stacks")
    func listStacksNameTemplate() throws {
        let repo = try FixtureRepository("broken-stacks")
        let config = repo.root.appendingPathComponent("atmos.yaml")
        let text = try String(contentsOf: config, encoding: .utf8)
            .replacingOccurrences(of: "name_pattern: \"{tenant}-{stage}\"", with: "name_template: \"{{ .vars.tenant }}-{{ .vars.stage }}\"")
            + "templates:\n  settings:\n    enabled: true\n"
        try text.write(to: config, atomically: true, encoding: .utf8)
        let dev = repo.root.appendingPathComponent("stacks/orgs/acme/dev.yaml")
        try (try String(contentsOf: dev, encoding: .utf8) + "    broken-template:\n      vars:\n        x: '{{ .nope.missing }}'\n")
            .write(to: dev, atomically: true, encoding: .utf8)
        let run = try repo.run(["list", "stacks"])
        #expect(run.exitCode == 0)
        #expect(run.stdout == "acme-dev\nacme-prod\nacme-qa\nacme-sandbox\n")
        #expect(run.stderr.split(separator: "\n").count == 1)
        let qa = try repo.run(["describe", "component", "vpc", "-s", "acme-qa"])
        #expect(qa.errorLines.first?.contains("'vpc/defautls' is not defined") == true)
    }

    @Test("describe stacks -s for a stack whose manifest failed to load names the failure, not 'not found'")
    func describeStacksUnloadable() throws {
        let repo = try FixtureRepository("broken-stacks")
        let run = try repo.run(["describe", "stacks", "-s", "acme-staging"])
        #expect(run.exitCode == 1)
        #expect(!run.stderr.contains("not found"))
        #expect(run.errorLines == ["error: stack 'acme-staging' is not among the stacks that resolve, and 1 stack manifest(s) could not be loaded ('orgs/acme/staging'); the first: stacks/catalog/shared.yaml.tmpl:5:20: template error: at <atmos.Component>: only available in component templates (not in imported manifest templates, stack names or workspace templates) — fix that manifest and retry"])
    }

    @Test("describe stacks -s for a failed stack gives its error, not 'not found'")
    func describeStacksFailedFilter() throws {
        let repo = try FixtureRepository("broken-stacks")
        let run = try repo.run(["describe", "stacks", "-s", "acme-qa"])
        #expect(run.exitCode == 1)
        #expect(!run.stderr.contains("not found"))
        #expect(run.errorLines.first?.contains("'vpc/defautls' is not defined") == true)
    }
}
