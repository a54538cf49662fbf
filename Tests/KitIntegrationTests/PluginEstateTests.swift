import Foundation
import Testing

extension KitIntegration {
    /// A third-party plugin (`acme`, in C and in Swift, isolated and in kit's process) through
    /// multi-component runs with the real terraform: `plan --all` at concurrency 1 and 2, `deploy
    /// --all` whose `!terraform.output` reads another component through the plugin, keep-going after
    /// a failure and a guardrail block, `review --override-guardrails`, and `KIT_NO_PLUGINS=1`.
    ///
    /// Issue 19: the isolated host was forked by the first job's thread with PR_SET_PDEATHSIG and was
    /// killed (signal 15) when that thread ended, so the second component failed with
    /// `plugin 'acme' crashed (signal 15) while handling 'adapt'`.
    @Suite("third-party plugins in estates")
    struct PluginEstateTests {
        static let kitYAML = """
        base_path: "."
        components:
          terraform:
            base_path: components/terraform
            command: terraform
            apply_auto_approve: false
            deploy_run_init: true
            init_run_reconfigure: true
            auto_generate_backend_file: true
        stacks:
          base_path: stacks
          included_paths: ["*.yaml"]
          name_pattern: "{stage}"
        plugins:
          paths: [plugins]

        """

        /// Three independent components and one that reads alpha's output, all answered by acme.
        static let estateStack = """
        vars:
          stage: estate
        terraform:
          backend_type: local
        components:
          terraform:
            alpha:
              metadata: {component: slow}
              settings: {kit: {providers: [acme]}}
              vars: {label: alpha}
            beta:
              metadata: {component: slow}
              settings: {kit: {providers: [acme]}}
              vars: {label: beta}
            gamma:
              metadata: {component: slow}
              settings: {kit: {providers: [acme]}}
              vars: {label: gamma}
            reader:
              metadata: {component: relay}
              settings: {kit: {providers: [acme]}}
              vars:
                upstream: !terraform.output alpha .label

        """

        /// A component acme blocks, one whose plan fails, and a healthy one after them.
        static let failingStack = """
        vars:
          stage: failing
        terraform:
          backend_type: local
        components:
          terraform:
            a-blocked:
              metadata: {component: slow}
              settings: {kit: {providers: [acme]}}
              vars: {label: blocked, acme_blocked: true}
            b-broken:
              metadata: {component: broken}
              settings: {kit: {providers: [acme]}}
            c-after:
              metadata: {component: slow}
              settings: {kit: {providers: [acme]}}
              vars: {label: after}

        """

        /// A component whose plans acme's review refuses.
        static let reviewStack = """
        vars:
          stage: review
        terraform:
          backend_type: local
        components:
          terraform:
            frozen:
              metadata: {component: slow}
              settings: {kit: {providers: [acme]}}
              vars: {label: frozen, acme_review_blocked: true}

        """

        static func repository(_ label: String, _ plugin: ThirdPartyPlugin, isolated: Bool) throws -> ScratchRepository {
            let repo = try ScratchRepository.files(label, [
                "kit.yaml": kitYAML, "stacks/estate.yaml": estateStack, "stacks/failing.yaml": failingStack,
                "stacks/review.yaml": reviewStack,
            ])
            for component in ["slow", "relay", "broken"] {
                try ScratchRepository.copyTree(IntegrationPaths.casesFixture + "/components/terraform/" + component,
                                               to: repo.path("components/terraform/" + component))
            }
            try plugin.install(into: repo.path("plugins"))
            repo.extraEnvironment["KIT_PLUGIN_ISOLATED"] = isolated ? "1" : "0"
            return repo
        }

        static let modes: [(ThirdPartyPlugin, Bool)] = [(.c, true), (.c, false), (.swift, true), (.swift, false)]

        @Test("plan --all at concurrency 1 and 2, deploy --all through the reference reader, keep-going after a failure",
              arguments: modes)
        func estateRuns(plugin: ThirdPartyPlugin, isolated: Bool) throws {
            let repo = try Self.repository("plugin-estate-\(plugin)-\(isolated ? "isolated" : "in-process")", plugin, isolated: isolated)
            defer { repo.remove() }
            let list = try repo.kitWithoutTerraform(["plugin", "list", "--format", "json"])
            let listed = (try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]] ?? []).first { $0["name"] as? String == "acme" }
            #expect(listed?["isolated"] as? Bool == isolated, "acme is not loaded in the mode under test:\n\(list.output)")

            for concurrency in [1, 2] {
                let plan = try repo.kit(["terraform", "plan", "--all", "-s", "estate", "--max-concurrency", "\(concurrency)",
                                         "--summary-file", "plan-\(concurrency).json"])
                #expect(plan.status == 0, "plan --all at concurrency \(concurrency) failed:\n\(plan.output)")
                #expect(!plan.output.contains("crashed"), "\(plan.output)")
                let s = try EstateTests.summary(repo, "plan-\(concurrency).json")
                for c in ["alpha", "beta", "gamma"] {
                    #expect(s.result(c) == "succeeded", "\(c) at concurrency \(concurrency): \(s.entry(c))")
                    // The plugin's log line carries the component's prefix, with its terraform output.
                    #expect(plan.stdout.contains("[estate/\(c)] note: plugin 'acme': acme adapt plan \(c)\n"), "\(plan.output)")
                    if isolated {
                        #expect(plan.stdout.contains("[estate/\(c)] warning: plugin 'acme': acme stderr plan \(c)\n"), "\(plan.output)")
                    }
                }
                #expect(s.result("reader") == "waiting", "\(s.entry("reader"))")
                #expect(!plan.output.contains("t0ps3cret"), "the plugin's secret was printed")
            }

            // deploy: the reader's !terraform.output reads alpha's output through the runner (acme's
            // adapt for 'output') from the reader's job thread, after alpha's job thread has ended.
            let deploy = try repo.kit(["terraform", "deploy", "--all", "-s", "estate", "--max-concurrency", "1", "--summary-file", "deploy.json"])
            #expect(deploy.status == 0, "deploy --all failed:\n\(deploy.output)")
            #expect(!deploy.output.contains("crashed"), "\(deploy.output)")
            let d = try EstateTests.summary(repo, "deploy.json")
            for c in ["alpha", "beta", "gamma", "reader"] { #expect(d.result(c) == "succeeded", "\(c): \(d.entry(c))") }
            #expect(deploy.stdout.contains("[estate/reader] note: plugin 'acme': acme adapt output alpha\n"), "\(deploy.output)")
            let reader = try EstateTests.outputs(repo, "reader", "estate")
            #expect(reader["upstream"] as? String == "alpha", "\(reader)")

            // keep-going: a guardrail block and a failed plan first, then a healthy component.
            for concurrency in [1, 2] {
                let failing = try repo.kit(["terraform", "plan", "--all", "-s", "failing", "--failure-mode", "keep-going",
                                            "--max-concurrency", "\(concurrency)", "--summary-file", "failing-\(concurrency).json"])
                #expect(failing.status == 1, "\(failing.output)")
                #expect(!failing.output.contains("crashed"), "\(failing.output)")
                let f = try EstateTests.summary(repo, "failing-\(concurrency).json")
                #expect(f.result("a-blocked") == "failed", "\(f.entry("a-blocked"))")
                #expect(f.result("b-broken") == "failed", "\(f.entry("b-broken"))")
                #expect(f.result("c-after") == "succeeded", "\(f.entry("c-after"))")
                // The findings that blocked a component stay in the summary.
                let findings = f.entry("a-blocked")["findings"] as? [[String: Any]] ?? []
                #expect(findings.map { $0["policy"] as? String } == ["acme.frozen"], "\(f.entry("a-blocked"))")
                #expect(findings.first?["severity"] as? String == "error")
                #expect(findings.first?["path"] as? String == "vars.acme_blocked")
                #expect(failing.stdout.contains("[failing/c-after] note: plugin 'acme': acme adapt plan c-after\n"), "\(failing.output)")
            }
        }

        @Test("kit terraform review: acme's error finding exits 1; --override-guardrails goes on, warns and records the reason")
        func reviewOverride() throws {
            let repo = try Self.repository("plugin-review", .c, isolated: true)
            defer { repo.remove() }
            try #"{"format_version": "1.2", "resource_changes": []}"#.write(toFile: repo.path("plan.json"), atomically: true, encoding: .utf8)
            let args = ["terraform", "review", "frozen", "-s", "review", "--plan-json", "plan.json"]
            let blocked = try repo.kitWithoutTerraform(args)
            #expect(blocked.status == 1, "\(blocked.output)")
            #expect(blocked.stderr.contains("error: [acme.frozen] vars.acme_review_blocked: the plan changes a frozen component"), "\(blocked.output)")
            #expect(!blocked.stderr.contains("overridden"), "\(blocked.output)")

            let overridden = try repo.kitWithoutTerraform(args + ["--override-guardrails", "reviewed by hand"])
            #expect(overridden.status == 0, "\(overridden.output)")
            #expect(overridden.stderr.contains("[acme.frozen] vars.acme_review_blocked:"), "\(overridden.output)")
            #expect(overridden.stderr.contains("warning: 1 guardrail error(s) overridden for 'frozen' in 'review': reviewed by hand"),
                    "\(overridden.output)")

            let records = try Self.runRecords(repo, stack: "review", component: "frozen")
            #expect(records.map { $0["subcommand"] as? String } == ["review", "review"], "\(records)")
            // Newest first: the overridden review, then the blocked one.
            #expect(records.first?["result"] as? String == "succeeded")
            #expect(records.first?["override_reason"] as? String == "reviewed by hand")
            #expect(records.last?["result"] as? String == "blocked")
            #expect(records.last?["override_reason"] == nil || records.last?["override_reason"] is NSNull)
            for record in records {
                #expect((record["findings"] as? [[String: Any]] ?? []).map { $0["policy"] as? String } == ["acme.frozen"], "\(record)")
            }
        }

        @Test("KIT_NO_PLUGINS=1: a deploy says loudly that no guardrail reviewed it, and its run record says plugins were off")
        func pluginsOff() throws {
            let repo = try Self.repository("plugin-off", .c, isolated: true)
            defer { repo.remove() }
            repo.extraEnvironment["KIT_NO_PLUGINS"] = "1"
            let deploy = try repo.kit(["terraform", "deploy", "frozen", "-s", "review"])
            #expect(deploy.status == 0, "\(deploy.output)")
            #expect(deploy.stderr.contains("warning: [kit.plugins-off] plugins are off (KIT_NO_PLUGINS=1): this apply runs with no plugin guardrails and no plan review"),
                    "\(deploy.output)")
            #expect(!deploy.output.contains("plugin 'acme'"), "a plugin was asked with KIT_NO_PLUGINS=1:\n\(deploy.output)")
            let record = try Self.runRecords(repo, stack: "review", component: "frozen").first ?? [:]
            #expect(record["result"] as? String == "succeeded", "\(record)")
            #expect((record["findings"] as? [[String: Any]] ?? []).map { $0["policy"] as? String } == ["kit.plugins-off"], "\(record)")

            // Plugins off, nothing reviews a plan: review says so rather than pass it silently.
            try #"{"format_version": "1.2", "resource_changes": []}"#.write(toFile: repo.path("plan.json"), atomically: true, encoding: .utf8)
            let review = try repo.kitWithoutTerraform(["terraform", "review", "frozen", "-s", "review", "--plan-json", "plan.json"])
            #expect(review.stderr.contains("warning: plugins are off (KIT_NO_PLUGINS=1): no plugin reviewed the plan for 'frozen' in 'review'"),
                    "\(review.output)")
        }

        /// The pair's run records, newest first.
        static func runRecords(_ repo: ScratchRepository, stack: String, component: String) throws -> [[String: Any]] {
            let list = try repo.kitWithoutTerraform(["runs", "list", "--stack", stack, "--component", component, "--format", "json"])
            guard list.status == 0, let records = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]] else {
                throw IntegrationSetupError("runs list failed (status \(list.status)):\n\(list.output)")
            }
            return records
        }
    }
}
