import Foundation
import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform
@testable import KitCommandLine

/// Issue 20: injective paths (§2), writes never redirected (§4), secrets masked (§5), honest run
/// records (§7).
@Suite struct StateSafetyTests {
    static func repo(_ stacks: [String: String]) throws -> FixtureRepo {
        var files: [String: String] = [
            "components/terraform/net/a/main.tf": "",
            "components/terraform/net-a/main.tf": "",
            "components/terraform/vpc/main.tf": "",
        ]
        for (k, v) in stacks { files["stacks/deploy/" + k] = v }
        return try FixtureRepo(files)
    }

    // MARK: §2 names in paths

    @Test("PathName.encode escapes '%' and '/' only, and '.'/'..' as a whole name")
    func encode() {
        #expect(PathName.encode("net-a") == "net-a")
        #expect(PathName.encode("net/a") == "net%2Fa")
        #expect(PathName.encode("net%2Fa") == "net%252Fa")
        #expect(PathName.encode("a%b/c") == "a%25b%2Fc")
        #expect(PathName.encode("..") == "%2E%2E")
        #expect(PathName.encode(".") == "%2E")
        #expect(PathName.encode("a..b") == "a..b")
        // Injective on names that collided before.
        let names = ["net/a", "net-a", "net%2Fa", "net%252Fa", "..", "%2E%2E", "orgs/acme/dev", "orgs-acme-dev"]
        #expect(Set(names.map(PathName.encode)).count == names.count)
    }

    @Test("net/a and net-a in one stack get different pair folders and local state folders")
    func componentsDoNotShare() throws {
        let repo = try Self.repo(["dev.yaml": "components: {terraform: {net/a: {vars: {}}, net-a: {vars: {}}}}\n"])
        let config = try repo.config()
        let slash = WorkingFiles(component: try repo.component("net/a", "deploy/dev"), config: config)
        let dash = WorkingFiles(component: try repo.component("net-a", "deploy/dev"), config: config)
        #expect(slash.localStateDirectory == repo.root + "/.kit/state/deploy%2Fdev/net%2Fa")
        #expect(dash.localStateDirectory == repo.root + "/.kit/state/deploy%2Fdev/net-a")
        #expect(slash.dataDirectory == repo.root + "/.kit/terraform/deploy%2Fdev/net%2Fa/data")
        #expect(dash.dataDirectory == repo.root + "/.kit/terraform/deploy%2Fdev/net-a/data")
        #expect(slash.backendConfigFile != dash.backendConfigFile)
        #expect(slash.mirrorRoot != dash.mirrorRoot)
        // Before: both '.kit/state/deploy-dev/net-a'.
        #expect(slash.legacyLocalStateDirectory == dash.legacyLocalStateDirectory.replacingAll("deploy%2Fdev", with: "deploy-dev"))
    }

    @Test("stacks 'deploy/acme' and 'deploy-acme' get different varfiles, planfiles and folders")
    func stacksDoNotShare() throws {
        let repo = try FixtureRepo([
            "components/terraform/vpc/main.tf": "",
            "stacks/deploy/acme.yaml": "components: {terraform: {vpc: {vars: {}}}}\n",
            "stacks/deploy/flat.yaml": "name: deploy-acme\ncomponents: {terraform: {vpc: {vars: {}}}}\n",
        ])
        let config = try repo.config()
        let a = WorkingFiles(component: try repo.component("vpc", "deploy/acme"), config: config)
        let b = WorkingFiles(component: try repo.component("vpc", "deploy-acme"), config: config)
        #expect(a.varfile != b.varfile)
        #expect(a.planfile != b.planfile)
        #expect(a.localStateDirectory != b.localStateDirectory)
        #expect(a.dataDirectory != b.dataDirectory)
        #expect(b.varfile == repo.root + "/components/terraform/vpc/deploy-acme-vpc.terraform.tfvars.json")
    }

    @Test("local state in the old folder stops the run with the exact mv command; an existing new folder does not")
    func legacyStateFolder() throws {
        let repo = try Self.repo(["dev.yaml": "terraform: {backend_type: local}\ncomponents: {terraform: {net/a: {vars: {}}}}\n"])
        let config = try repo.config()
        let c = try repo.component("net/a", "deploy/dev")
        let files = WorkingFiles(component: c, config: config)
        func check() throws { try LegacyStateLayout.check(c, files, backend: c.backend, config: config, fileSystem: LocalFileSystem()) }
        try check()                                                   // nothing anywhere: fine
        try repo.write(".kit/state/deploy-dev/net-a/workspaces/deploy-dev/terraform.tfstate", "{}")
        let error = caught(check)
        let old = repo.root + "/.kit/state/deploy-dev/net-a", new = repo.root + "/.kit/state/deploy%2Fdev/net%2Fa"
        #expect(error as? TerraformError == .legacyStateFolder(component: "net/a", stack: "deploy/dev", old: old, new: new))
        let text = "\(error!)"
        #expect(text.contains("mkdir -p '\(repo.root)/.kit/state/deploy%2Fdev' && mv '\(old)' '\(new)'"), "\(text)")
        #expect(text.contains("start this one from empty state: mkdir -p '\(new)'"), "\(text)")
        // Doing what it says (the move) makes the check pass, and the state is where kit now looks.
        try FileManager.default.createDirectory(atPath: Paths.dirname(new), withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: old, toPath: new)
        try check()
        #expect(FileManager.default.fileExists(atPath: files.localStateDirectory + "/workspaces/deploy-dev/terraform.tfstate"))
        // A user-set backend path is the user's: no check.
        try repo.write(".kit/state/deploy-dev/net-a/terraform.tfstate", "{}")
        try FileManager.default.removeItem(atPath: new)
        try LegacyStateLayout.check(c, files, backend: ["path": "x.tfstate", "workspace_dir": "w"], config: config, fileSystem: LocalFileSystem())
        #expect(caught(check) != nil)
    }

    // MARK: §4 redirected writes

    @Test("WriteTargets: a symlink (even dangling) and a hard-linked file are refused; plain files and missing paths are not")
    func redirection() throws {
        let dir = try RunStoreTests.scratch()
        #expect(WriteTargets.redirection(at: dir + "/missing") == nil)
        try "x".write(toFile: dir + "/plain", atomically: false, encoding: .utf8)
        #expect(WriteTargets.redirection(at: dir + "/plain") == nil)
        #expect(symlink(dir + "/nowhere", dir + "/dangling") == 0)
        #expect(WriteTargets.redirection(at: dir + "/dangling") == "it is a symbolic link to '\(dir)/nowhere'")
        #expect(link(dir + "/plain", dir + "/hard") == 0)
        #expect(WriteTargets.redirection(at: dir + "/hard") == "it is a hard link (2 names share the file)")
        #expect(WriteTargets.redirection(at: dir + "/plain") == "it is a hard link (2 names share the file)")
    }

    @Test("the runner refuses a symlinked planfile before writing or running anything")
    func runnerRefusesSymlinkedPlanfile() throws {
        let repo = try Self.repo(["dev.yaml": "terraform: {backend_type: local}\ncomponents: {terraform: {vpc: {vars: {a: 1}}}}\n"])
        let config = try repo.config()
        let c = try repo.component("vpc", "deploy/dev")
        let files = WorkingFiles(component: c, config: config)
        let outside = try RunStoreTests.scratch() + "/outside"
        try "keep me".write(toFile: outside, atomically: false, encoding: .utf8)
        #expect(symlink(outside, files.planfile) == 0)
        let effects = TerraformRunnerTests.FakeEffects()
        var runner = TerraformRunner(config: config, effects: effects, processes: NeverRun(), environment: [:], report: { _ in })
        runner.fileSystem = LocalFileSystem()
        let error = caught { _ = try runner.execute(c, try TerraformInvocation.parse(["plan", "vpc", "-s", "deploy/dev"])) }
        #expect(error as? TerraformError == .redirectedWrite(path: "components/terraform/vpc/deploy%2Fdev-vpc.planfile",
                                                             reason: "it is a symbolic link to '\(outside)'", component: "vpc", stack: "deploy/dev"))
        #expect(effects.files.isEmpty, "nothing may be written: \(effects.files.keys.sorted())")
        #expect(try String(contentsOfFile: outside, encoding: .utf8) == "keep me")
    }

    /// A process runner that fails the test if anything is run.
    struct NeverRun: ProcessRunning {
        func resolve(_ command: String, env: [String: String]) throws -> String { command }
        struct Ran: Error {}
        func run(_ executable: String, _ args: [String], cwd: String, env: [String: String], stdout: ProcessOutput, stderr: ProcessOutput,
                 nullStdin: Bool, keepDescriptor: Int32?) throws -> ProcessResult {
            Issue.record("terraform ran: \(args)")
            throw Ran()
        }
    }

    @Test("a .kit/runs.db symlink to a missing file is refused and nothing is created; a hard link is refused")
    func runStoreRefusesLinks() throws {
        let dir = try RunStoreTests.scratch()
        try FileManager.default.createDirectory(atPath: dir + "/.kit", withIntermediateDirectories: true)
        #expect(symlink(dir + "/elsewhere/runs.db", dir + "/.kit/runs.db") == 0)
        try FileManager.default.createDirectory(atPath: dir + "/elsewhere", withIntermediateDirectories: true)
        let error = #expect(throws: RunStoreError.self) { try RunStore(path: dir + "/.kit/runs.db") }
        #expect(error == .linked(path: dir + "/.kit/runs.db", reason: "it is a symbolic link to '\(dir)/elsewhere/runs.db'"))
        #expect(error?.description.hasPrefix("refusing to open the run database '\(dir)/.kit/runs.db': it is a symbolic link") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/elsewhere").isEmpty)
        // A hard link to a database elsewhere.
        _ = try RunStore(path: dir + "/elsewhere/real.db")
        #expect(link(dir + "/elsewhere/real.db", dir + "/hard.db") == 0)
        #expect(throws: RunStoreError.linked(path: dir + "/hard.db", reason: "it is a hard link (2 names share the file)")) {
            try RunStore(path: dir + "/hard.db")
        }
    }

    // MARK: §5 secrets

    @Test("run records mask every spelling of -var and -backend-config values")
    func maskedArguments() {
        let args = ["-var", "a=1", "-var=b=2", "--var=c=3", "--var", "d=4", "-backend-config=password=hunter2",
                    "-backend-config", "password=hunter3", "--backend-config=token=t0k", "-backend-config=backend.hcl",
                    "-var", "novalue", "-lock=false", "-target=aws_vpc.x", "-var-file=x.tfvars"]
        #expect(RunRecorder.maskedArguments(args) == [
            "-var", "a=***", "-var=b=***", "--var=c=***", "--var", "d=***", "-backend-config=password=***",
            "-backend-config", "password=***", "--backend-config=token=***", "-backend-config=backend.hcl",
            "-var", "***", "-lock=false", "-target=aws_vpc.x", "-var-file=x.tfvars"])
        let joined = RunRecorder.maskedArguments(args).joined(separator: " ")
        for secret in ["hunter2", "hunter3", "t0k", "=1", "=2", "=3", "=4", "novalue"] { #expect(!joined.contains(secret), "\(secret)") }
    }

    static let secretNames = [
        "DB_PASSWORD", "DB_PASSWD", "db_password", "dbPassword", "TF_VAR_db_password", "MYSQL_ROOT_PASSWORD", "PGPASSWORD", "PASSWD",
        "GITHUB_TOKEN", "AWS_SESSION_TOKEN", "VAULT_TOKEN", "api_token", "slackBotToken", "AWS_SECRET_ACCESS_KEY", "ARM_CLIENT_SECRET",
        "client_secret", "JWT_SECRET", "secrets", "DATADOG_API_KEY", "apiKey", "APIKEY", "STRIPE_API_KEY", "TLS_PRIVATE_KEY",
        "private_key", "ssh-private-key", "GOOGLE_CREDENTIALS", "gcp_credential", "DOCKER_CREDS", "storage_account_key",
        "AZURE_STORAGE_ACCESS_KEY", "signing_key", "SQL_CONNECTION_STRING", "GPG_PASSPHRASE", "MY_SECRET_ENV", "master_key",
    ]
    static let plainNames = [
        "TOKENIZER_MODE", "AWS_ACCESS_KEY_ID", "KEY_NAME", "key_name", "kms_key_id", "DB_PASSWORD_SECRET_ARN", "secret_name",
        "TOKEN_TTL", "password_length", "PASSWORD_POLICY", "PWD", "PASSTHROUGH", "BYPASS_CACHE", "SECRETARY", "monkey",
        "KEYSPACE", "api_url", "token_file", "vpc_cidr", "region", "credentials_path", "secret_rotation_enabled",
    ]

    @Test("the name rule: ≥ 20 realistic secret names are secret, and names that only look close are not")
    func secretNameRule() {
        #expect(Self.secretNames.count >= 20)
        for n in Self.secretNames { #expect(SecretNames.looksSecret(n), "\(n) should be secret") }
        for n in Self.plainNames { #expect(!SecretNames.looksSecret(n), "\(n) should not be secret") }
        #expect(SecretNames.words("slackBotToken") == ["SLACK", "BOT", "TOKEN"])
        #expect(SecretNames.words("TF_VAR_db-password.x") == ["TF", "VAR", "DB", "PASSWORD", "X"])
    }

    @Test("the ASCII shortcut of the name rule answers as the rule does, on every pairing of words, separators and cases")
    func secretNameShortcut() {
        let words = Array(SecretNames.secretWords) + SecretNames.secretInfixes + Array(SecretNames.describingLastWords)
            + ["API", "KEY", "PRIVATE", "ACCESS", "CONNECTION", "STRING", "SAS", "DB", "PG", "Pass", "x", "ſecret", "paſsword", "Tokenizer", "monkey"]
        var names: [String] = []
        for a in words { for b in words { for sep in ["_", "-", ".", ""] {
            names.append(a + sep + b)
            names.append((a + sep + b).lowercased())
            names.append(a.lowercased() + b.capitalized)
        } } }
        #expect(names.count > 10_000)
        var secret = 0
        for n in names {
            let fast = SecretNames.looksSecret(n), rule = SecretNames.looksSecretByWords(n)
            if fast { secret += 1 }
            if fast != rule { Issue.record("'\(n)': shortcut says \(fast), the rule \(rule)") }
        }
        #expect(secret > 1_000 && secret < names.count - 1_000, "the corpus must hold both kinds: \(secret) of \(names.count) secret")
    }

    @Test("the fragment scan finds a fragment at any position and case, exactly where a plain search does")
    func fragmentScanIsPlainSearch() {
        var generator = SystemRandomNumberGenerator()
        let pieces = ["pass", "PaSs", "secre", "secret", "STRIN", "string", "toke", "token", "cre", "cred", "ke", "key", "_", "x", "@", "{", "p", "s", "é", "ſ", ""]
        for _ in 0 ..< 20_000 {
            let name = (0 ..< Int.random(in: 0 ... 5, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            let bytes = Array(name.utf8)
            let plain: Bool? = bytes.contains { $0 >= 0x80 } ? nil : SecretNames.fragments.contains { f in
                bytes.count >= f.count && (0 ... bytes.count - f.count).contains { i in (0 ..< f.count).allSatisfy { bytes[i + $0] & 0xDF == f[$0] } }
            }
            #expect(SecretNames.asciiFragments(name) == plain, "'\(name)'")
        }
    }

    @Test("SecretMask hides sensitive declarations, secret-looking keys at any depth, and !env of secret-looking names")
    func secretMask() throws {
        let repo = try Self.repo(["dev.yaml": """
            components:
              terraform:
                vpc:
                  vars:
                    conn: !env DB_PASSWORD
                    region: !env AWS_REGION
                    declared: visible-unless-declared
                    nested: {db: {password: p4ssw0rd, host: db.local}, list: ["!env API_TOKEN", plain]}
                    DB_PASSWD: hunter22
                    tokenizer_mode: fast
                  env:
                    MY_SECRET_ENV: s3cr3t-env
                    TF_VAR_db_password: tfvarpw
                    LOG_LEVEL: debug
            """])
        let raw = try repo.component("vpc", "deploy/dev")
        let env = ["DB_PASSWORD": "from-env-pw", "AWS_REGION": "eu-west-1", "API_TOKEN": "tok-from-env"]
        var evaluated = try repo.catalog(environment: env).find(component: "vpc", stack: "deploy/dev")
        try YAMLFunctionEvaluator(environment: env, workingDirectory: repo.root, runCommand: { _, _, _ in (0, []) })
            .evaluate(&evaluated, templates: GoTemplateRendering(environment: env), repositoryBase: repo.root, locate: { _ in nil })
        #expect(evaluated.vars["conn"] == .string("from-env-pw"))
        let mask = SecretMask(evaluated, raw: raw, sensitiveNames: ["declared"])
        #expect(mask.vars["conn"] == SecretMasking.mask)
        #expect(mask.vars["region"] == .string("eu-west-1"))
        #expect(mask.vars["declared"] == SecretMasking.mask)
        #expect(mask.vars["DB_PASSWD"] == SecretMasking.mask)
        #expect(mask.vars["tokenizer_mode"] == .string("fast"))
        #expect(mask.vars[path: "nested.db.password"] == SecretMasking.mask)
        #expect(mask.vars[path: "nested.db.host"] == .string("db.local"))
        #expect(mask.vars["nested"]?.mapValue?["list"] == .list([SecretMasking.mask, .string("plain")]))
        #expect(mask.env["MY_SECRET_ENV"] == SecretMasking.mask)
        #expect(mask.env["TF_VAR_db_password"] == SecretMasking.mask)
        #expect(mask.env["LOG_LEVEL"] == .string("debug"))
        #expect(Set(mask.hidden) == ["from-env-pw", "visible-unless-declared", "hunter22", "p4ssw0rd", "tok-from-env", "s3cr3t-env", "tfvarpw"])
        // The plan summary masks the same values.
        #expect(Set(PlanText.secrets(of: evaluated, raw: raw, sensitiveNames: ["declared"])) == Set(mask.hidden))
    }

    // MARK: §7 run records

    @Test("a run is recorded 'running' before it starts and updated in place when it ends; list shows a left-over row as unknown outcome")
    func runningThenUpdated() throws {
        let store = try RunStore(path: try RunStoreTests.scratch() + "/runs.db")
        let recorder = RunRecorder(store: store, group: "g1", user: "alice", gitCommit: nil, now: { RunStoreTests.base.addingTimeInterval(3) })
        let repo = try Self.repo(["dev.yaml": "components: {terraform: {vpc: {vars: {}}}}\n"])
        let c = try repo.component("vpc", "deploy/dev")
        let inv = try TerraformInvocation.parse(["apply", "vpc", "-s", "deploy/dev", "-var=password=hunter2"])
        let id = try recorder.begin(stack: c.stackName, component: c.name, inv, startedAt: RunStoreTests.base)
        let started = try #require(try store.run(id: id))
        #expect(started.result == "running")
        #expect(started.arguments == ["-var=password=***"])
        #expect(RunReport.table([started]).contains("running (unknown outcome)"))
        #expect(RunReport.text(started).contains("result      running (unknown outcome)\n"))
        let updated = try recorder.record(c, inv, result: RunRecorder.result("failed", exitCode: 1, signals: 1), exitCode: 1,
                                          startedAt: RunStoreTests.base, outcome: nil, counts: nil,
                                          findings: [], id: id)
        #expect(updated == id)
        let runs = try store.list()
        #expect(runs.count == 1)
        #expect(runs[0].result == "interrupted")
        #expect(runs[0].exitCode == 1)
        #expect(runs[0].durationMilliseconds == 3000)
        #expect(runs[0].group == "g1")
        #expect(!RunReport.table(runs).contains("unknown outcome"))
    }

    @Test("interrupted only when a signal came and the run did not succeed")
    func interruptedRule() {
        #expect(RunRecorder.result("failed", exitCode: 1, signals: 1) == "interrupted")
        #expect(RunRecorder.result("failed", exitCode: 130, signals: 2) == "interrupted")
        #expect(RunRecorder.result("succeeded", exitCode: 0, signals: 1) == "succeeded")
        #expect(RunRecorder.result("failed", exitCode: 1, signals: 0) == "failed")
    }

    @Test("the user comes from the OS account, not $USER")
    func osAccount() {
        let expected = getpwuid(geteuid()).map { String(cString: $0.pointee.pw_name) } ?? "uid \(geteuid())"
        #expect(OSAccount.name() == expected)
        #expect(!OSAccount.name().isEmpty)
    }
}

/// Issue 20 §3: the local state guard (the full-disk run itself is in KitIntegrationTests).
@Suite struct LocalStateGuardTests {
    static func guarded() throws -> (LocalStateGuard, FixtureRepo) {
        let repo = try FixtureRepo([
            "components/terraform/vpc/main.tf": "",
            "stacks/deploy/dev.yaml": "terraform: {backend_type: local}\ncomponents: {terraform: {net/a: {metadata: {component: vpc}, vars: {}}}}\n",
        ])
        let c = try repo.component("net/a", "deploy/dev")
        let g = try #require(LocalStateGuard(c, config: try repo.config()))
        return (g, repo)
    }

    static let state = #"{"version": 4, "serial": 3, "resources": []}"#

    @Test("paths: terraform's state of the workspace, the copy under .kit/backups with encoded names")
    func paths() throws {
        let (g, repo) = try Self.guarded()
        #expect(g.statePath == repo.root + "/.kit/state/deploy%2Fdev/net%2Fa/workspaces/deploy-dev-net-a/terraform.tfstate")
        #expect(g.backupPath == repo.root + "/.kit/backups/deploy%2Fdev/net%2Fa/deploy-dev-net-a/terraform.tfstate")
    }

    @Test("before: a verified owner-only copy; after: cut-off JSON is replaced by the copy and the run fails saying so")
    func copyAndRestore() throws {
        let (g, repo) = try Self.guarded()
        let inv = try TerraformInvocation.parse(["apply", "net/a", "-s", "deploy/dev"])
        try g.before(inv)                                           // no state yet: nothing to copy
        #expect(!FileManager.default.fileExists(atPath: g.backupPath))
        try repo.write(String(g.statePath.dropFirst(repo.root.count + 1)), Self.state)
        try g.before(inv, freeBytes: { _ in 1 << 30 })
        #expect(try String(contentsOfFile: g.backupPath, encoding: .utf8) == Self.state)
        #expect(RunStoreTests.mode(g.backupPath) == 0o600)
        try g.after(inv)                                            // state fine: nothing happens
        // What a full disk left: the first 20 bytes of a state.
        try String(Self.state.prefix(20)).write(toFile: g.statePath, atomically: false, encoding: .utf8)
        let error = caught { try g.after(inv) }
        #expect(error as? LocalStateError == .restored(state: g.statePath, backup: g.backupPath, damagedBytes: 20, component: "net/a", stack: "deploy/dev"))
        #expect(try String(contentsOfFile: g.statePath, encoding: .utf8) == Self.state)
        #expect("\(error!)".contains("kit restored it from '\(g.backupPath)'"))
        // A plan writes no state: nothing is checked after it.
        try "garbage".write(toFile: g.statePath, atomically: false, encoding: .utf8)
        try g.after(try TerraformInvocation.parse(["plan", "net/a", "-s", "deploy/dev"]))
        #expect(throws: LocalStateError.self) { try g.before(try TerraformInvocation.parse(["plan", "net/a", "-s", "deploy/dev"])) }
    }

    @Test("before: a damaged state and an apply on a nearly full disk are refused, nothing copied over the good copy")
    func refusals() throws {
        let (g, repo) = try Self.guarded()
        let apply = try TerraformInvocation.parse(["apply", "net/a", "-s", "deploy/dev"])
        try repo.write(String(g.statePath.dropFirst(repo.root.count + 1)), Self.state)
        let needed = Int64(4 * Self.state.utf8.count + 65_536)
        #expect(throws: LocalStateError.lowSpace(state: g.statePath, free: needed - 1, needed: needed, component: "net/a", stack: "deploy/dev")) {
            try g.before(apply, freeBytes: { _ in needed - 1 })
        }
        try g.before(apply, freeBytes: { _ in needed })
        // A plan-like command that writes state (refresh) is not refused for space.
        try g.before(try TerraformInvocation.parse(["refresh", "net/a", "-s", "deploy/dev"]), freeBytes: { _ in 0 })
        try "{\"version\": 4, \"ser".write(toFile: g.statePath, atomically: false, encoding: .utf8)
        #expect(throws: LocalStateError.damagedBefore(state: g.statePath, backup: g.backupPath, component: "net/a", stack: "deploy/dev")) {
            try g.before(apply, freeBytes: { _ in 1 << 30 })
        }
        #expect(try String(contentsOfFile: g.backupPath, encoding: .utf8) == Self.state, "the good copy was overwritten")
    }

    @Test("recover restores a damaged or missing state; a valid different one only with force")
    func recover() throws {
        let (g, repo) = try Self.guarded()
        #expect(throws: LocalStateError.noBackup(backup: g.backupPath, component: "net/a", stack: "deploy/dev")) { _ = try g.recover(force: false) }
        try repo.write(String(g.statePath.dropFirst(repo.root.count + 1)), Self.state)
        try g.before(try TerraformInvocation.parse(["apply", "net/a", "-s", "deploy/dev"]), freeBytes: { _ in 1 << 30 })
        #expect(try g.recover(force: false).contains("already equals"))
        try "garbage".write(toFile: g.statePath, atomically: false, encoding: .utf8)
        #expect(try g.recover(force: false).hasPrefix("restored"))
        #expect(try String(contentsOfFile: g.statePath, encoding: .utf8) == Self.state)
        try #"{"version": 4, "serial": 9}"#.write(toFile: g.statePath, atomically: false, encoding: .utf8)
        #expect(throws: LocalStateError.stateIsValid(state: g.statePath, backup: g.backupPath, component: "net/a", stack: "deploy/dev")) {
            _ = try g.recover(force: false)
        }
        #expect(try g.recover(force: true).hasPrefix("restored"))
        #expect(try String(contentsOfFile: g.statePath, encoding: .utf8) == Self.state)
    }
}
