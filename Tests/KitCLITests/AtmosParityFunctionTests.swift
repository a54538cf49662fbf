import Foundation
import Testing

/// atmos's YAML functions that need no cloud service (issue 21): `!git.*`, `!random`, `!tags`,
/// `!labels*`, `!version`; and the located errors of `!cel`, `!emulator`, `!store`, `!secret`, `!aws.*`.
/// Fixtures: `atmos-parity` (stack `fn`, lock file `versions.lock.yaml`), `atmos-parity-broken`
/// (stack `broken-fn`, one failing function per component), and git repositories built by the tests.
@Suite("atmos parity: YAML functions")
struct AtmosParityFunctionTests {
    static func vars(_ run: KitRun) throws -> [String: Any] {
        #expect(run.exitCode == 0, "\(run.stderr)")
        let parsed = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8))
        return try #require(parsed as? [String: Any], "\(run.stdout)")
    }

    static func describeVars(_ repo: FixtureRepository, _ component: String, _ stack: String) throws -> [String: Any] {
        try vars(repo.run(["describe", "component", component, "-s", stack, "--format", "json", "--query", ".vars"]))
    }

    @Test("!tags, !labels, !labels.keys, !labels.values read the component's metadata")
    func tagsAndLabels() throws {
        let repo = try FixtureRepository("atmos-parity")
        let v = try Self.describeVars(repo, "labelled", "fn")
        #expect(v["tags"] as? [String] == ["network", "core"])
        #expect(v["labels"] as? [String: String] == ["team": "platform", "cost-center": "42", "app": "vpc"])
        #expect(v["label_keys"] as? [String] == ["app", "cost-center", "team"])
        #expect(v["label_values"] as? [String] == ["vpc", "42", "platform"])   // in key order, as atmos
        // Without its own: the stack-wide metadata.tags; no labels gives empty ones.
        let u = try Self.describeVars(repo, "unlabelled", "fn")
        #expect(u["tags"] as? [String] == ["org-wide"])
        #expect((u["labels"] as? [String: Any])?.isEmpty == true)
        #expect((u["label_keys"] as? [Any])?.isEmpty == true)
    }

    @Test("!version reads the versions lock file's track: the stack's version.track, else atmos.yaml's")
    func version() throws {
        let repo = try FixtureRepository("atmos-parity")
        #expect(try Self.describeVars(repo, "labelled", "fn")["terraform_version"] as? String == "1.5.7")  // track 'stable'
        // Without the stack's track, atmos.yaml's 'default' applies.
        let file = repo.root.appendingPathComponent("stacks/deploy/fn.yaml")
        let text = try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: "  track: stable\n", with: "  track: \"\"\n")
        try text.write(to: file, atomically: true, encoding: .utf8)
        #expect(try Self.describeVars(repo, "labelled", "fn")["terraform_version"] as? String == "1.9.8")
    }

    @Test("!random gives integers in atmos's ranges: 0…65535, 0…max, min…max")
    func random() throws {
        let repo = try FixtureRepository("atmos-parity")
        var seenPair: Set<Int> = []
        for _ in 0..<12 {
            let v = try Self.describeVars(repo, "dice", "fn")
            let any = try #require(v["any"] as? Int), small = try #require(v["small"] as? Int)
            let port = try #require(v["port"] as? Int), pair = try #require(v["pair"] as? Int)
            #expect((0...65535).contains(any))
            #expect((0...3).contains(small))
            #expect((1024...1026).contains(port))
            #expect(pair == 7 || pair == 8)
            seenPair.insert(pair)
        }
        // Twelve draws from {7, 8} are all equal with probability 2^-11.
        #expect(seenPair == [7, 8])
    }

    @Test("a failing or unsupported function is an error naming file:line:column, stack and component",
          arguments: [
            ("random-bad", "stacks/deploy/broken-fn.yaml:12:15: !random in 'vars.port' of component 'random-bad' in stack 'broken-fn': min value (9) must be less than max value (3)"),
            ("random-word", "stacks/deploy/broken-fn.yaml:18:15: !random in 'vars.port' of component 'random-word' in stack 'broken-fn': invalid max value 'ten', must be an integer"),
            ("version-missing", "stacks/deploy/broken-fn.yaml:24:19: !version in 'vars.provider' of component 'version-missing' in stack 'broken-fn': 'terraform-provider' is not locked in track 'default' of "),
            ("cel", "stacks/deploy/broken-fn.yaml:30:13: !cel in 'vars.ok' of component 'cel' in stack 'broken-fn': '!cel' is not supported by kit"),
            ("emulator", "stacks/deploy/broken-fn.yaml:36:19: !emulator in 'vars.endpoint' of component 'emulator' in stack 'broken-fn': '!emulator' is not supported by kit"),
            ("store", "stacks/deploy/broken-fn.yaml:42:16: !store in 'vars.token' of component 'store' in stack 'broken-fn': store 'ssm/prod' is not configured — add it to 'stores:' in kit.yaml or atmos.yaml"),
            ("secret", "stacks/deploy/broken-fn.yaml:48:19: !secret in 'vars.password' of component 'secret' in stack 'broken-fn': secret 'db-password' is not declared — declare it under the component's secrets.vars (with 'store: <a secret store>')"),
            // Without credentials (or, where the test's kit finds no first-party plugin, without the plugin).
            ("aws", "stacks/deploy/broken-fn.yaml:54:18: !aws.account_id in 'vars.account' of component 'aws' in stack 'broken-fn': "),
            ("bad-labels", "stacks/deploy/broken-fn.yaml:62:17: !labels in 'vars.labels' of component 'bad-labels' in stack 'broken-fn': 'metadata.labels.port' must be a string, found a int"),
            ("store-get", "stacks/deploy/broken-fn.yaml:74:16: !store.get in 'vars.token' of component 'store-get' in stack 'broken-fn': store 'ssm' is not configured — add it to 'stores:' in kit.yaml or atmos.yaml"),
            ("tags-args", "stacks/deploy/broken-fn.yaml:68:15: !tags in 'vars.tags' of component 'tags-args' in stack 'broken-fn': takes no arguments, found 'extra'"),
          ])
    func locatedErrors(_ component: String, _ message: String) throws {
        let repo = try FixtureRepository("atmos-parity-broken")
        for arguments in [["describe", "component", component, "-s", "broken-fn"],
                          ["terraform", "generate", "varfile", component, "-s", "broken-fn"]] {
            let run = try repo.run(arguments)
            #expect(run.exitCode == 1)
            #expect(run.stdout.isEmpty)
            #expect(run.errorLines.count == 1)
            #expect(run.errorLines.first?.hasPrefix("error: " + message) == true, "\(run.stderr)")
            if component == "aws" {
                #expect(run.stderr.contains("plugin 'aws' failed 'function': no static AWS credentials")
                        || run.stderr.contains("no loaded plugin evaluates '!aws.account_id' — the aws plugin does"), "\(run.stderr)")
            }
        }
        #expect(repo.text("components/terraform/vpc/broken-fn-\(component).terraform.tfvars.json") == nil)
    }

    /// A repository with one stack whose `vpc` reads every `!git.*` function (`defaults` adds a default to each).
    static func gitRepository(defaults: Bool = false) throws -> GitFixture {
        let repo = try GitFixture()
        try repo.write("atmos.yaml", "base_path: \".\"\ncomponents: {terraform: {base_path: components/terraform}}\n" +
                       "stacks: {base_path: stacks, included_paths: [\"deploy/**/*\"], name_pattern: \"{stage}\"}\n")
        try repo.write("components/terraform/vpc/main.tf", "variable \"cidr\" {}\n")
        let functions = ["root", "sha", "ref", "branch", "repository", "owner", "name", "host", "url"]
        let lines = functions.map { "        \($0): !git.\($0)\(defaults ? " fallback-\($0)" : "")\n" }.joined()
        try repo.write("stacks/deploy/git.yaml", "vars: {stage: git}\ncomponents:\n  terraform:\n    vpc:\n      vars:\n        cidr: 10.0.0.0/16\n" + lines)
        return repo
    }

    static func gitVars(_ repo: GitFixture, in dir: URL? = nil) throws -> [String: Any] {
        try vars(repo.kit(["describe", "component", "vpc", "-s", "git", "--format", "json", "--query", ".vars"], in: dir))
    }

    @Test("!git.* read the repository: root, HEAD's commit, the branch, the origin remote's URL and its parts")
    func gitFunctions() throws {
        let repo = try Self.gitRepository()
        try repo.commit("v1")
        try repo.git(["remote", "add", "upstream", "https://example.org/other/thing.git"])
        try repo.git(["remote", "add", "origin", "https://ci:s3cret-token@github.com/acme/infra-live.git"])
        let sha = try repo.git(["rev-parse", "HEAD"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let v = try Self.gitVars(repo)
        #expect(v["root"] as? String == repo.root.path)
        #expect(v["sha"] as? String == sha)
        #expect(v["ref"] as? String == sha)
        #expect(v["branch"] as? String == "main")
        #expect(v["host"] as? String == "github.com")
        #expect(v["owner"] as? String == "acme")
        #expect(v["name"] as? String == "infra-live")
        #expect(v["repository"] as? String == "acme/infra-live")
        // The password of the remote never reaches the output.
        #expect(v["url"] as? String == "https://ci@github.com/acme/infra-live.git")
        let out = try repo.kit(["describe", "component", "vpc", "-s", "git"])
        #expect(!out.stdout.contains("s3cret") && !out.stderr.contains("s3cret"))
        // scp-style URLs, nested groups: the first segment is the owner, the rest the name.
        try repo.git(["remote", "set-url", "origin", "git@gitlab.example.com:platform/team/live.git"])
        let scp = try Self.gitVars(repo)
        #expect(scp["host"] as? String == "gitlab.example.com")
        #expect(scp["owner"] as? String == "platform")
        #expect(scp["name"] as? String == "team/live")
        #expect(scp["url"] as? String == "git@gitlab.example.com:platform/team/live.git")
    }

    @Test("!git.branch on a detached HEAD, and every !git.* outside a repository, is a located error; a default is used instead")
    func gitErrors() throws {
        let repo = try Self.gitRepository()
        try repo.commit("v1")
        try repo.git(["remote", "add", "origin", "https://github.com/acme/infra-live.git"])
        try repo.git(["checkout", "-q", "--detach"])
        let detached = try repo.kit(["describe", "component", "vpc", "-s", "git"])
        #expect(detached.exitCode == 1)
        #expect(detached.errorLines == ["error: stacks/deploy/git.yaml:10:17: !git.branch in 'vars.branch' of component 'vpc' in stack 'git': HEAD is detached in the git repository at '\(repo.root.path)' (no branch) — give a default, e.g. '!git.branch unknown'"])

        // No repository: a copy of the files without .git.
        let bare = try Self.gitRepository()
        try FileManager.default.removeItem(at: bare.root.appendingPathComponent(".git"))
        let outside = try bare.kit(["describe", "component", "vpc", "-s", "git"])
        #expect(outside.exitCode == 1)
        #expect(outside.errorLines.count == 1)
        let line = try #require(outside.errorLines.first)
        #expect(line.hasPrefix("error: stacks/deploy/git.yaml:") && line.contains("of component 'vpc' in stack 'git': the repository is not inside a git repository"), "\(line)")

        let withDefaults = try Self.gitRepository(defaults: true)
        try FileManager.default.removeItem(at: withDefaults.root.appendingPathComponent(".git"))
        let v = try Self.gitVars(withDefaults)
        for name in ["root", "sha", "ref", "branch", "repository", "owner", "name", "host", "url"] {
            #expect(v[name] as? String == "fallback-\(name)")
        }
    }

    @Test("a repository without a remote or without a commit needs a default for the remote and commit functions")
    func gitNoRemote() throws {
        let repo = try Self.gitRepository()
        let run = try repo.kit(["terraform", "generate", "varfile", "vpc", "-s", "git", "--dry-run"])
        #expect(run.exitCode == 1)
        #expect(run.errorLines.count == 1)
        let line = try #require(run.errorLines.first)
        #expect(line.contains("has no commit at HEAD") || line.contains("has no remote"), "\(line)")
    }
}
