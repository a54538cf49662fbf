import Foundation
import Testing

/// The plugin platform through the built kit: in-process failure modes (which end kit, so they run
/// in a child), stdout isolation of machine-readable output, install → list → verify → tampered
/// file refused → remove, and the scaffold's dependency on the SDK by URL.
@Suite("kit plugin platform", .serialized)
struct PluginPlatformCLITests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func kit(_ arguments: [String], cwd: String, env extra: [String: String] = [:]) throws -> Run {
        let dir = NSTemporaryDirectory() + "kit-platform-out-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        FileManager.default.createFile(atPath: dir + "/out", contents: nil)
        FileManager.default.createFile(atPath: dir + "/err", contents: nil)
        let process = Process()
        process.executableURL = try KitBinary.built()
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: cwd)
        var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": cwd + "/home", "NO_COLOR": "1", "LANG": "C.UTF-8"]
        env.merge(extra) { $1 }
        process.environment = env
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: dir + "/out"))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: dir + "/err"))
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try out.close(); try err.close()
        return Run(status: process.terminationStatus,
                   stdout: try String(contentsOfFile: dir + "/out", encoding: .utf8),
                   stderr: try String(contentsOfFile: dir + "/err", encoding: .utf8))
    }

    /// A fresh repository with `kit.yaml` and an empty stacks folder.
    static func repository(_ label: String) throws -> String {
        let dir = NSTemporaryDirectory() + "kit-platform-\(label)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/stacks", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/home", withIntermediateDirectories: true)
        try "plugins:\n  paths: [plugins]\n".write(toFile: dir + "/kit.yaml", atomically: true, encoding: .utf8)
        return dir
    }

    /// Compiles the C fixture plugin into `dir/lib<name>.so` (mode 0755).
    static func cPlugin(_ name: String, in dir: String, defines: [String]) throws -> String {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let root = KitBinary.packageRoot()
        let output = dir + "/lib\(name).so"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["cc", "-x", "c", "-std=c11", "-D_GNU_SOURCE", "-shared", "-fPIC", "-O1",
                             "-I", root.appendingPathComponent("Sources/CKitPlugin/include").path]
            + defines.map { "-D" + $0 }
            + [root.appendingPathComponent("Tests/KitPluginTests/Fixtures/CPlugin/plugin.c.fixture").path, "-o", output]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: output)
        return output
    }

    static let describeTrigger = #"FIXTURE_TRIGGER="\"op\":\"describe\"""#

    @Test("in-process crash, exit(3) and hang end kit with status 1 and a line naming the plugin and op", arguments: [
        ("FIXTURE_CRASH", "error: plugin 'bad' crashed (signal 11) while handling 'describe'"),
        ("FIXTURE_EXIT", "error: plugin 'bad' called exit(3) while handling 'describe'"),
        ("FIXTURE_HANG", "error: plugin 'bad' did not answer 'describe' within 1 s"),
    ])
    func inProcessFailure(define: String, message: String) throws {
        let repo = try Self.repository("inproc")
        _ = try Self.cPlugin("KitBad", in: repo + "/plugins", defines: [define, Self.describeTrigger, #"FIXTURE_NAME="bad""#])
        let run = try Self.kit(["plugin", "list"], cwd: repo, env: ["KIT_PLUGIN_ISOLATED": "0", "KIT_PLUGIN_TIMEOUT": "1"])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.hasPrefix(message), "\(run.stderr)")
        // Isolated (the default for this plugin), the same failure is a normal kit error.
        let isolated = try Self.kit(["plugin", "list"], cwd: repo, env: ["KIT_PLUGIN_TIMEOUT": "1"])
        #expect(isolated.status == 1, "\(isolated.stderr)")
        #expect(isolated.stderr.contains("plugin 'plugins/libKitBad.so' did not describe itself: plugin 'bad'"), "\(isolated.stderr)")
    }

    @Test("a plugin printing to stdout cannot corrupt 'plugin list --format json', in either mode; its lines are attributed notes")
    func stdoutIsolation() throws {
        let repo = try Self.repository("stdout")
        _ = try Self.cPlugin("KitChatty", in: repo + "/plugins", defines: ["FIXTURE_STDOUT_JSON", "FIXTURE_STDERR_NOISE", #"FIXTURE_NAME="chatty""#])
        for isolated in ["0", "1"] {
            let run = try Self.kit(["plugin", "list", "--format", "json"], cwd: repo, env: ["KIT_PLUGIN_ISOLATED": isolated])
            #expect(run.status == 0, "\(run.stderr)")
            let plugins = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]] ?? []
            #expect(plugins.compactMap { $0["name"] as? String }.contains("chatty"), "\(run.stdout)")
            #expect(run.stderr.contains(#"note: plugin 'chatty': {"ok":true}"#), "\(run.stderr)")
            if isolated == "1" { #expect(run.stderr.contains("warning: plugin 'chatty': noise line one"), "\(run.stderr)") }
        }
    }

    @Test("a digit-only pin in kit.yaml is an error naming it")
    func digitOnlyPin() throws {
        let repo = try Self.repository("pin")
        try "plugins:\n  paths: [plugins]\n  pins:\n    chatty: 1234567890\n".write(toFile: repo + "/kit.yaml", atomically: true, encoding: .utf8)
        let run = try Self.kit(["plugin", "list"], cwd: repo)
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("error: "), "\(run.stderr)")
        #expect(run.stderr.contains("/kit.yaml: 'plugins.pins.chatty' is not a string (YAML read '1234567890')"), "\(run.stderr)")
    }

    @Test("a plugins: setting kit cannot use, or an unknown one, stops every command with the file named")
    func badPluginSettings() throws {
        let repo = try Self.repository("badplugins")
        for (yaml, message) in [
            ("plugins:\n  spin_us: -3\n", "/kit.yaml: 'plugins.spin_us' is '-3', not a whole number of microseconds from 0 to 10000"),
            ("plugins:\n  timeout: soon\n", "/kit.yaml: 'plugins.timeout' is 'soon', not a positive number of seconds"),
            ("plugins:\n  isolate: false\n", "/kit.yaml: unknown configuration key 'plugins.isolate' — did you mean 'plugins.isolated'?"),
        ] {
            try yaml.write(toFile: repo + "/kit.yaml", atomically: true, encoding: .utf8)
            for command in [["plugin", "list"], ["list", "stacks"]] {
                let run = try Self.kit(command, cwd: repo)
                #expect(run.status == 1, "\(command) \(yaml)")
                #expect(run.stderr.hasPrefix("error: ") && run.stderr.contains(message), "\(command): \(run.stderr)")
            }
        }
    }

    @Test("install → list → verify → tampered file refused → remove")
    func installFlow() throws {
        let repo = try Self.repository("install")
        let built = try Self.cPlugin("KitGcp", in: repo + "/dist", defines: [#"FIXTURE_NAME="gcp""#])
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        tar.arguments = ["tar", "-czf", repo + "/kit-gcp-2.1.0.tar.gz", "-C", repo + "/dist", "libKitGcp.so"]
        try tar.run(); tar.waitUntilExit()

        let wrong = try Self.kit(["plugin", "install", "kit-gcp-2.1.0.tar.gz", "--version", "9.9.9"], cwd: repo)
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("provides plugin 'gcp' version '2.1.0', not '9.9.9'"), "\(wrong.stderr)")

        let install = try Self.kit(["plugin", "install", "kit-gcp-2.1.0.tar.gz", "--version", "2.1.0"], cwd: repo)
        #expect(install.status == 0, "\(install.stderr)")
        #expect(install.stdout.hasPrefix("installed plugin 'gcp' 2.1.0 into '\(repo)/plugins/libKitGcp.so' (sha256 "), "\(install.stdout)")
        let lock = try String(contentsOfFile: repo + "/plugins/plugins.lock", encoding: .utf8)
        #expect(lock.contains(#""installed_from": "kit-gcp-2.1.0.tar.gz""#), "\(lock)")

        let list = try Self.kit(["plugin", "list"], cwd: repo)
        #expect(list.status == 0, "\(list.stderr)")
        let row = list.stdout.split(separator: "\n").first { $0.hasPrefix("gcp ") }.map { $0.split(separator: " ").map(String.init) } ?? []
        #expect(row == ["gcp", "2.1.0", "1.1", "cbackend", "cprov", "isolated", "installed", "locked", "plugins/libKitGcp.so"], "\(list.stdout)")

        // Tampered after install: refused on load.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: repo + "/plugins/libKitGcp.so"))
        handle.seekToEndOfFile(); handle.write(Data("x".utf8)); try handle.close()
        let tampered = try Self.kit(["plugin", "list"], cwd: repo)
        #expect(tampered.status == 1)
        #expect(tampered.stderr.contains("plugin 'plugins/libKitGcp.so' has sha256 '"), "\(tampered.stderr)")
        #expect(tampered.stderr.contains("plugins.lock' recorded '"), "\(tampered.stderr)")

        let remove = try Self.kit(["plugin", "remove", "gcp"], cwd: repo)
        #expect(remove.status == 0, "\(remove.stderr)")
        #expect(!FileManager.default.fileExists(atPath: repo + "/plugins/libKitGcp.so"))
        let after = try Self.kit(["plugin", "list", "--format", "json"], cwd: repo)
        #expect(after.status == 0, "\(after.stderr)")
        #expect(!after.stdout.contains("\"gcp\""))
        let again = try Self.kit(["plugin", "remove", "gcp"], cwd: repo)
        #expect(again.status == 1)
        #expect(again.stderr.contains("plugin 'gcp' was not installed with 'kit plugin install'"), "\(again.stderr)")
    }

    @Test("kit plugin test checks a request file's expectations and exits 1 on a mismatch")
    func pluginTest() throws {
        let repo = try Self.repository("harness")
        let lib = try Self.cPlugin("KitC", in: repo + "/dist", defines: [])
        try #"{"cases": [{"name": "review", "request": {"op": "review", "operation": "apply"}, "plan_file": "plan.json", "expect": {"ok": true, "finding_count": 1, "findings": [{"policy": "c.tags", "severity": "warning"}]}}, {"name": "validate", "request": {"op": "validate"}, "expect": {"ok": false, "error_code": "c.unsupported"}}]}"#
            .write(toFile: repo + "/req.json", atomically: true, encoding: .utf8)
        try #"{"format_version": "1.2", "resource_changes": []}"#.write(toFile: repo + "/plan.json", atomically: true, encoding: .utf8)
        let pass = try Self.kit(["plugin", "test", lib, "--request", "req.json"], cwd: repo)
        #expect(pass.status == 0, "\(pass.stdout)\(pass.stderr)")
        #expect(pass.stdout.hasSuffix("ok: validate\n2 passed, 0 failed\n"), "\(pass.stdout)")
        try #"{"request": {"op": "review"}, "expect": {"finding_count": 0}}"#.write(toFile: repo + "/bad.json", atomically: true, encoding: .utf8)
        let fail = try Self.kit(["plugin", "test", lib, "--request", "bad.json"], cwd: repo)
        #expect(fail.status == 1)
        #expect(fail.stdout.contains("FAIL: review #1: expected 0 finding(s), got 1"), "\(fail.stdout)")
    }

    @Test("kit plugin test checks the whole adapt answer (env, secret env, backend, provider overrides, args); an unknown key is an error")
    func pluginTestAdaptAnswer() throws {
        let repo = try Self.repository("harness-adapt")
        let lib = try Self.cPlugin("KitC", in: repo + "/dist", defines: [])
        let request = #""request": {"op": "adapt", "operation": "plan", "stack": "s", "workspace": "w", "ci": false}"#
        try #"{"cases": [{"name": "adapt", \#(request), "expect": {"ok": true, "env": {"C_PLUGIN": "yes"}, "secret_env": [], "backend": {"path": "c.tfstate"}, "providers_override": null, "args": [], "finding_count": 0}}]}"#
            .write(toFile: repo + "/adapt.json", atomically: true, encoding: .utf8)
        let pass = try Self.kit(["plugin", "test", lib, "--request", "adapt.json"], cwd: repo)
        #expect(pass.status == 0, "\(pass.stdout)\(pass.stderr)")
        #expect(pass.stdout.hasSuffix("ok: adapt\n1 passed, 0 failed\n"), "\(pass.stdout)")

        // Each part of the answer is checked: a wrong env, a secret that is not, another backend, args.
        let wrong = [
            (#""env": {"C_PLUGIN": "no"}"#, #"FAIL: adapt: expected env {"C_PLUGIN":"no"}, got {"C_PLUGIN":"yes"}"#),
            (#""env": {}"#, #"FAIL: adapt: expected env {}, got {"C_PLUGIN":"yes"}"#),
            (#""secret_env": ["C_PLUGIN"]"#, #"FAIL: adapt: expected secret env ["C_PLUGIN"], got []"#),
            (#""backend": {"path": "other.tfstate"}"#, #"FAIL: adapt: expected backend {"path":"other.tfstate"}, got {"path":"c.tfstate"}"#),
            (#""providers_override": {"c": {}}"#, #"FAIL: adapt: expected providers_override {"c":{}}, got null"#),
            (#""args": ["-lock=false"]"#, #"FAIL: adapt: expected args ["-lock=false"], got []"#),
        ]
        for (expect, line) in wrong {
            try #"{"name": "adapt", \#(request), "expect": {\#(expect)}}"#.write(toFile: repo + "/wrong.json", atomically: true, encoding: .utf8)
            let fail = try Self.kit(["plugin", "test", lib, "--request", "wrong.json"], cwd: repo)
            #expect(fail.status == 1, "\(expect): \(fail.stdout)")
            #expect(fail.stdout.contains(line + "\n"), "\(expect): \(fail.stdout)")
            #expect(fail.stdout.hasSuffix("0 passed, 1 failed\n"), "\(fail.stdout)")
        }

        // A misspelt expectation is an error, not a pass: in expect, in an expected finding, in the case.
        let unknown = [
            (#"{"name": "adapt", \#(request), "expect": {"evn": {"C_PLUGIN": "no"}}}"#, "case 'adapt': expect has the unknown key 'evn' — did you mean 'env'?"),
            (#"{"name": "adapt", \#(request), "expect": {"findings": [{"polcy": "c.tags"}]}}"#, "case 'adapt': expect.findings has the unknown key 'polcy' — did you mean 'policy'?"),
            (#"{"name": "adapt", \#(request), "expected": {"ok": true}}"#, "case 'adapt' has the unknown key 'expected' — did you mean 'expect'?"),
        ]
        for (file, message) in unknown {
            try file.write(toFile: repo + "/unknown.json", atomically: true, encoding: .utf8)
            let bad = try Self.kit(["plugin", "test", lib, "--request", "unknown.json"], cwd: repo)
            #expect(bad.status == 1, "\(bad.stdout)\(bad.stderr)")
            #expect(bad.stderr.contains("request file 'unknown.json': " + message), "\(bad.stderr)")
            #expect(!bad.stdout.contains("passed"), "a file with an unknown key was run: \(bad.stdout)")
        }
    }

    @Test("plugin new depends on the SDK by URL and version, names the package after the plugin; plugin version prints the ABI")
    func scaffoldByURL() throws {
        let repo = try Self.repository("new")
        let run = try Self.kit(["plugin", "new", "gcp", "--output", "some-folder"], cwd: repo, env: ["KIT_SDK_URL": "file:///srv/git/kit.git"])
        #expect(run.status == 0, "\(run.stderr)")
        let manifest = try String(contentsOfFile: repo + "/some-folder/Package.swift", encoding: .utf8)
        #expect(manifest.contains(#"name: "KitGcp","#), "\(manifest)")
        #expect(manifest.contains(#".package(url: "file:///srv/git/kit.git", .upToNextMinor(from: "1.1.0"))"#), "\(manifest)")
        #expect(manifest.contains(#".product(name: "KitPluginSDK", package: "kit")"#), "\(manifest)")
        #expect(manifest.contains(#".product(name: "KitPluginTesting", package: "kit")"#), "\(manifest)")
        #expect(!manifest.contains(KitBinary.packageRoot().path), "\(manifest)")
        let version = try Self.kit(["plugin", "version"], cwd: repo)
        #expect(version.stdout == "swift 6.3\nplugin abi 1.1\nplugin sdk 1.1.0\n")
        // One version line: kit's release is tagged with the SDK's version, and the scaffold asks for it.
        let kitVersion = try Self.kit(["version"], cwd: repo)
        #expect(kitVersion.stdout.hasPrefix("kit 1.1.0\n"), "\(kitVersion.stdout)")
    }

    /// A plugin author without kit's source: `kit plugin new` makes a package that depends on the SDK by
    /// URL and version (here a `file://` clone of this repository tagged 1.0.0, as docs/plugins.md
    /// describes for offline use); it builds, its own test passes, and the harness runs its requests.
    @Test("the scaffold builds against the SDK by URL and version; its test passes; kit plugin test runs its requests")
    func scaffoldBuildsAgainstTheSDKByURL() throws {
        let work = try Self.repository("by-url")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let clone = work + "/kit.git"
        /// Runs a command; its output (stdout and stderr together, or stdout alone with `stdoutOnly`:
        /// a terraform warning on stderr must not end up in a JSON document).
        func run(_ args: [String], _ cwd: String, stdoutOnly: Bool = false) throws -> (Int32, String) {
            let log = work + "/log-\(UUID().uuidString)"
            FileManager.default.createFile(atPath: log, contents: nil)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = args
            p.currentDirectoryURL = URL(fileURLWithPath: cwd)
            p.standardOutput = handle
            p.standardError = stdoutOnly ? FileHandle.standardError : handle
            p.standardInput = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            try handle.close()
            return (p.terminationStatus, (try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
        }
        let (cloned, cloneLog) = try run(["git", "clone", "--quiet", KitBinary.packageRoot().path, clone], work)
        #expect(cloned == 0, "\(cloneLog)")
        // Tag the clone with the SDK version this kit scaffolds for (`from:` in the new package).
        let sdkLine = try Self.kit(["plugin", "version"], cwd: work).stdout
            .split(separator: "\n").first { $0.hasPrefix("plugin sdk ") }
        let sdkVersion = try #require(sdkLine).dropFirst("plugin sdk ".count)
        #expect(sdkVersion == "1.1.0", "the SDK's version follows the ABI it speaks (1.1)")
        let (tagged, tagLog) = try run(["git", "-C", clone, "tag", String(sdkVersion)], work)
        #expect(tagged == 0, "\(tagLog)")

        let new = try Self.kit(["plugin", "new", "acme-policy", "--output", "acme", "--sdk-url", "file://" + clone], cwd: work)
        #expect(new.status == 0, "\(new.stderr)")
        let manifest = try String(contentsOfFile: work + "/acme/Package.swift", encoding: .utf8)
        #expect(!manifest.contains("path:"), "the scaffold must not depend on a path into a checkout:\n\(manifest)")
        let package = work + "/acme"
        let build = try run(["swift", "build", "--package-path", package, "--scratch-path", package + "/.build"], work)
        #expect(build.0 == 0, "the scaffold did not build against the SDK by URL:\n\(build.1)")
        let test = try run(["swift", "test", "--package-path", package, "--scratch-path", package + "/.build"], work)
        #expect(test.0 == 0 && test.1.contains("passed"), "the scaffold's own test did not pass:\n\(test.1)")
        let harness = try Self.kit(["plugin", "test", package + "/.build/debug/libKitAcmePolicy.so",
                                    "--request", package + "/requests/validate.json"], cwd: work)
        #expect(harness.status == 0, "\(harness.stdout)\n\(harness.stderr)")
        #expect(harness.stdout.contains("0 failed"), "\(harness.stdout)")

        try Self.authorWalkthrough(work: work, package: package, run: run)
    }

    /// Issue 19's walkthrough, continued from the scaffold built by URL: the author adds a plan
    /// guardrail, sees a wrong `env` expectation fail in the harness, installs the plugin with a lock
    /// file outside the repository, and uses it from kit: `validate component`, `generate backend`,
    /// `plan --all` (real terraform) and `review`, each with and without `--override-guardrails`.
    static func authorWalkthrough(work: String, package: String, run: (_ args: [String], _ cwd: String, _ stdoutOnly: Bool) throws -> (Int32, String)) throws {
        // The author's guardrail: any planned change needs review (an error, so it blocks).
        let sourcePath = package + "/Sources/KitAcmePolicy/Plugin.swift"
        var source = try String(contentsOfFile: sourcePath, encoding: .utf8)
        #expect(source.contains("policies: [\n"), "the scaffold's describe() changed shape")
        source = source.replacingOccurrences(of: "policies: [\n", with: """
            policies: [
                                    PolicyInfo(id: "acme-policy.changes.reviewed", summary: "planned changes need a review", defaultSeverity: .error),

            """)
        source = source.replacingOccurrences(of: "    func validate(_ request: ValidateRequest", with: """
                func review(_ request: ReviewRequest, events: PluginEventSink) throws -> [Finding] {
                    let changes = request.plan.value(at: ["resource_changes"])?.arrayValue ?? []
                    guard !changes.isEmpty else { return [] }
                    return [Finding(severity: .error, policy: "acme-policy.changes.reviewed",
                                    message: "\\(changes.count) planned change(s) need a review", path: "resource_changes")]
                }

                func validate(_ request: ValidateRequest
            """)
        try source.write(toFile: sourcePath, atomically: true, encoding: .utf8)
        let rebuilt = try run(["swift", "build", "--package-path", package, "--scratch-path", package + "/.build"], work, false)
        #expect(rebuilt.0 == 0, "the author's guardrail did not build:\n\(rebuilt.1)")
        let library = package + "/.build/debug/libKitAcmePolicy.so"

        // The harness checks the whole answer: a wrong env expectation fails, naming what came back.
        try #"{"cases": [{"name": "adapt env", "request": {"op": "adapt", "operation": "plan", "stack": "dev", "workspace": "dev", "ci": false, "component": {"vars": {"tags": {}}}}, "expect": {"ok": true, "env": {"ACME": "1"}}}]}"#
            .write(toFile: work + "/env.json", atomically: true, encoding: .utf8)
        let wrongEnv = try kit(["plugin", "test", library, "--request", "env.json"], cwd: work)
        #expect(wrongEnv.status == 1, "\(wrongEnv.stdout)\(wrongEnv.stderr)")
        #expect(wrongEnv.stdout.contains(#"FAIL: adapt env: expected env {"ACME":"1"}, got {}"#), "\(wrongEnv.stdout)")

        // Installed with a lock file, in a directory outside the repository.
        let installed = work + "/installed"
        let install = try kit(["plugin", "install", library, "--dir", installed], cwd: work)
        #expect(install.status == 0, "\(install.stderr)")
        let lock = try String(contentsOfFile: installed + "/plugins.lock", encoding: .utf8)
        #expect(lock.contains("acme-policy") && lock.contains("sha256"), "\(lock)")

        // A repository that uses it: `app` has no tags (the plugin's warning, raised to an error by the
        // stack's policy settings), `tagged` has tags.
        let site = work + "/site"
        for folder in ["stacks", "home", "components/terraform/app", "components/terraform/tagged"] {
            try FileManager.default.createDirectory(atPath: site + "/" + folder, withIntermediateDirectories: true)
        }
        try """
            base_path: "."
            components:
              terraform:
                base_path: components/terraform
            stacks:
              base_path: stacks
              included_paths: ["*.yaml"]
              name_pattern: "{stage}"
            plugins:
              paths: ["\(installed)"]

            """.write(toFile: site + "/kit.yaml", atomically: true, encoding: .utf8)
        try """
            vars:
              stage: dev
            terraform:
              backend_type: local
            settings:
              kit:
                providers: [acme-policy]
                policies:
                  acme-policy.tags.required: error
            components:
              terraform:
                app:
                  vars: {}
                tagged:
                  vars:
                    tags: {team: platform}

            """.write(toFile: site + "/stacks/dev.yaml", atomically: true, encoding: .utf8)
        for c in ["app", "tagged"] {
            try """
                variable "stage" { type = string }
                variable "tags" {
                  type    = map(string)
                  default = {}
                }
                resource "terraform_data" "this" { input = "${var.stage}-\(c)" }

                """.write(toFile: site + "/components/terraform/\(c)/main.tf", atomically: true, encoding: .utf8)
        }

        let validate = try kit(["validate", "component", "app", "-s", "dev"], cwd: site)
        #expect(validate.status == 1, "\(validate.stdout)\(validate.stderr)")
        #expect((validate.stdout + validate.stderr).contains("acme-policy.tags.required"), "\(validate.stdout)\(validate.stderr)")
        let validTagged = try kit(["validate", "component", "tagged", "-s", "dev"], cwd: site)
        #expect(validTagged.status == 0, "\(validTagged.stdout)\(validTagged.stderr)")

        let backend = try kit(["terraform", "generate", "backend", "app", "-s", "dev"], cwd: site)
        #expect(backend.status == 1, "\(backend.stdout)\(backend.stderr)")
        let backendOverridden = try kit(["terraform", "generate", "backend", "app", "-s", "dev", "--override-guardrails", "walkthrough"], cwd: site)
        #expect(backendOverridden.status == 0, "\(backendOverridden.stderr)")
        #expect(FileManager.default.fileExists(atPath: site + "/components/terraform/app/backend.tf.json"))

        let plan = try kit(["terraform", "plan", "--all", "-s", "dev"], cwd: site)
        #expect(plan.status == 1, "the untagged component was planned:\n\(plan.stdout)\(plan.stderr)")
        #expect((plan.stdout + plan.stderr).contains("acme-policy.tags.required"), "\(plan.stdout)\(plan.stderr)")
        let planOverridden = try kit(["terraform", "plan", "--all", "-s", "dev", "--override-guardrails", "walkthrough"], cwd: site)
        #expect(planOverridden.status == 0, "\(planOverridden.stdout)\(planOverridden.stderr)")

        // review judges a real plan of `tagged`: the planfile the overridden plan kept, shown as JSON.
        let planfile = site + "/components/terraform/tagged/dev-tagged.planfile"
        #expect(FileManager.default.fileExists(atPath: planfile), "the overridden plan kept no planfile")
        let tf = ProcessInfo.processInfo.environment["KIT_TEST_TERRAFORM"] ?? "terraform"
        let dataDir = site + "/.kit/terraform/dev/tagged/data"
        let shown = try run(["env", "TF_DATA_DIR=" + dataDir, tf, "-chdir=" + site + "/.kit/terraform/dev/tagged/root/tagged", "show", "-json", planfile], site, true)
        #expect(shown.0 == 0, "\(shown.1)")
        try shown.1.write(toFile: site + "/plan.json", atomically: true, encoding: .utf8)
        let review = try kit(["terraform", "review", "tagged", "-s", "dev", "--plan-json", "plan.json"], cwd: site)
        #expect(review.status == 1, "\(review.stdout)\(review.stderr)")
        #expect((review.stdout + review.stderr).contains("acme-policy.changes.reviewed"), "\(review.stdout)\(review.stderr)")
        let reviewOverridden = try kit(["terraform", "review", "tagged", "-s", "dev", "--plan-json", "plan.json",
                                        "--override-guardrails", "walkthrough"], cwd: site)
        #expect(reviewOverridden.status == 0, "\(reviewOverridden.stdout)\(reviewOverridden.stderr)")
        #expect(reviewOverridden.stderr.contains("overridden"), "\(reviewOverridden.stderr)")
    }
}
