import Foundation
import KitCore
import Testing

/// `kit workflow` on atmos-shaped workflow files written by the test.
@Suite("workflow command")
struct WorkflowCommandTests {
    static func repository() throws -> GitFixture {
        let repo = try GitFixture()
        try repo.write("kit.yaml", """
            base_path: "."
            components:
              terraform:
                base_path: components/terraform
            stacks:
              base_path: stacks
              included_paths: ["**/*"]
              excluded_paths: ["workflows/**"]
              name_pattern: "{stage}"
            workflows:
              base_path: stacks/workflows

            """)
        try repo.write("components/terraform/demo/main.tf", "resource \"terraform_data\" \"demo\" {}\n")
        try repo.write("stacks/dev.yaml", "vars:\n  stage: dev\ncomponents:\n  terraform:\n    demo:\n      vars:\n        name: d\n")
        try repo.write("stacks/workflows/deploy.yaml", """
            name: deploy
            workflows:
              describe:
                description: Describe the demo component
                stack: dev
                steps:
                  - command: describe component demo --format json
                  - name: say
                    type: shell
                    command: echo "stack=$KIT_STACK greeting=$GREETING"
                    env:
                      GREETING: hello
              broken:
                steps:
                  - name: first
                    type: shell
                    command: echo first
                  - name: second
                    type: shell
                    command: nonexistentcommand-kit
                  - name: third
                    type: shell
                    command: echo third
              kit-fails:
                steps:
                  - name: unknown-component
                    command: describe component nope -s dev
              odd:
                steps:
                  - command: echo x
                    type: script
              with-env:
                steps:
                  - name: set
                    type: env
                    vars:
                      FOO: bar
                      SECRET_TOKEN: s3cr3t-value
                  - name: shell-sees-it
                    type: shell
                    command: printf 'FOO=<%s>\\n' "$FOO"
                  - name: child-kit-sees-it
                    command: workflow print-foo -f deploy
                  - name: unexported
                    type: env
                    export: false
                    vars:
                      HIDDEN: x
                  - name: not-exported
                    type: shell
                    command: test -z "${HIDDEN+set}" && echo hidden-unset
              print-foo:
                steps:
                  - type: shell
                    command: printf 'child FOO=<%s>\\n' "$FOO"
              templated:
                stack: dev
                steps:
                  - name: set
                    type: env
                    export: false
                    vars:
                      ONLY_FOR_TEMPLATES: bar
                  - name: show
                    type: shell
                    command: |
                      printf 'T=<{{ .env.ONLY_FOR_TEMPLATES }}> S={{ .stack }} V=[%s]\\n' "{{ .env.HOSTILE }}"
                      test -z "${ONLY_FOR_TEMPLATES+set}" && echo unexported
              calls-atmos:
                steps:
                  - type: shell
                    command: atmos list stacks
              recurse:
                steps:
                  - type: shell
                    command: echo "level $ATMOS_SHLVL"
                  - command: workflow recurse -f deploy

            """)
        return repo
    }

    @Test("atmos steps run kit with the workflow's stack; shell steps get env and the stack; the summary names each step")
    func success() throws {
        let repo = try Self.repository()
        let run = try repo.kit(["workflow", "describe", "-f", "deploy"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.stdout.contains("\"atmos_stack\": \"dev\""))
        #expect(run.stdout.hasSuffix("stack=dev greeting=hello\n"))
        #expect(run.stderr.contains("workflow 'describe' (deploy.yaml): succeeded"))
        #expect(run.stderr.contains("  step1  succeeded"))
        #expect(run.stderr.contains("  say  succeeded"))
        // Recorded as one run with its steps (one group).
        let store = try RunStore(path: repo.root.appendingPathComponent(".kit/runs.db").path)
        let runs = try store.list()
        #expect(Set(runs.map(\.subcommand)) == ["workflow", "workflow-step"])
        #expect(runs.count == 3)
        #expect(Set(runs.map(\.group)).count == 1)
    }

    @Test("a failing shell step stops the workflow with its exit code and prints how to resume")
    func failure() throws {
        let repo = try Self.repository()
        let run = try repo.kit(["workflow", "broken", "-f", "deploy.yaml"])
        #expect(run.exitCode == 127)
        #expect(run.stdout == "first\n")
        #expect(run.stderr.contains("To resume the workflow from this step, run: kit workflow broken -f deploy.yaml --from-step second"))
        #expect(run.stderr.contains("  third  not run"))
        let resumed = try repo.kit(["workflow", "broken", "-f", "deploy", "--from-step", "third"])
        #expect(resumed.exitCode == 0)
        #expect(resumed.stdout == "third\n")
        let badStep = try repo.kit(["workflow", "broken", "-f", "deploy", "--from-step", "dne"])
        #expect(badStep.exitCode == 1)
        #expect(badStep.errorLines == ["error: the --from-step 'dne' is not a step of workflow 'broken' — its steps: first, second, third"])
    }

    @Test("an atmos step's kit exit code is the workflow's; -s overrides; --dry-run runs nothing")
    func kitStepsAndDryRun() throws {
        let repo = try Self.repository()
        let failing = try repo.kit(["workflow", "kit-fails"])
        #expect(failing.exitCode == 1)
        #expect(failing.stderr.contains("step 'unknown-component' exited with 1"))
        let dry = try repo.kit(["workflow", "describe", "-f", "deploy", "--dry-run", "-s", "prod"])
        #expect(dry.exitCode == 0)
        let lines = dry.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count == 2)
        #expect(lines[0].hasPrefix("step1: /") && lines[0].hasSuffix(" describe component demo --format json -s prod"))
        #expect(lines[1] == "say: /bin/sh -c 'echo \"stack=$KIT_STACK greeting=$GREETING\"'")
    }

    @Test("list names every workflow; an unsupported step type is a located error")
    func listAndErrors() throws {
        let repo = try Self.repository()
        let list = try repo.kit(["workflow", "list"])
        #expect(list.exitCode == 0)
        #expect(list.stdout == """
            FILE         WORKFLOW     DESCRIPTION
            deploy.yaml  broken       
            deploy.yaml  calls-atmos  
            deploy.yaml  describe     Describe the demo component
            deploy.yaml  kit-fails    
            deploy.yaml  odd          
            deploy.yaml  print-foo    
            deploy.yaml  recurse      
            deploy.yaml  templated    
            deploy.yaml  with-env     

            """)
        let odd = try repo.kit(["workflow", "odd", "-f", "deploy"])
        #expect(odd.exitCode == 1)
        #expect(odd.errorLines == ["error: stacks/workflows/deploy.yaml:31:15: step type 'script' is not supported by kit — use 'atmos', 'shell' or 'env'"])
        let missing = try repo.kit(["workflow", "nope", "-f", "deploy"])
        #expect(missing.errorLines == ["error: no workflow 'nope' in 'deploy' — see 'kit workflow list'"])
    }

    @Test("an env step's variables reach every later shell and kit step; export: false reaches none; values are never printed")
    func envSteps() throws {
        let repo = try Self.repository()
        let run = try repo.kit(["workflow", "with-env", "-f", "deploy"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.stdout == "FOO=<bar>\nchild FOO=<bar>\nhidden-unset\n")
        #expect(run.stderr.contains("  set  succeeded"))
        let dry = try repo.kit(["workflow", "with-env", "-f", "deploy", "--dry-run"])
        #expect(dry.stdout.contains("set: env FOO SECRET_TOKEN\n"))
        #expect(!dry.stdout.contains("s3cr3t-value") && !dry.stderr.contains("s3cr3t-value"))
        // Resuming after the env step skips it, as any step: the variable is not set.
        let resumed = try repo.kit(["workflow", "with-env", "-f", "deploy", "--from-step", "shell-sees-it"])
        #expect(resumed.stdout.hasPrefix("FOO=<>\n"))
    }

    @Test("shell-step templates read .env (unexported env-step variables too) and .stack; a value is printed, never run")
    func shellStepTemplates() throws {
        let repo = try Self.repository()
        let marker = repo.root.appendingPathComponent("ran").path
        let run = try repo.kit(["workflow", "templated", "-f", "deploy"], environment: ["HOSTILE": "$(touch \(marker))`touch \(marker)`\"; touch \(marker)"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.stdout == "T=<bar> S=dev V=[$(touch \(marker))`touch \(marker)`\"; touch \(marker)]\nunexported\n", "\(run.stdout)")
        #expect(!FileManager.default.fileExists(atPath: marker), "a hostile value ran as shell code")
    }

    @Test("a template in a kit step, or template logic in shell text, is refused where it is written")
    func templatesRefused() throws {
        let repo = try Self.repository()
        try repo.write("stacks/workflows/more.yaml", """
            workflows:
              kit-step:
                steps:
                  - command: describe component {{ .env.FOO }} -s dev
              logic:
                steps:
                  - type: shell
                    command: echo {{ if .env.FOO }}x{{ end }}
              missing:
                steps:
                  - type: shell
                    command: echo '{{ .env.NOT_SET_ANYWHERE }}'

            """)
        let kitStep = try repo.kit(["workflow", "kit-step", "-f", "more"])
        #expect(kitStep.exitCode == 1 && kitStep.stdout.isEmpty && kitStep.errorLines.count == 1)
        #expect(kitStep.stderr.contains("stacks/workflows/more.yaml:") && kitStep.stderr.contains("which kit does not render in kit commands of a workflow"), "\(kitStep.stderr)")
        let logic = try repo.kit(["workflow", "logic", "-f", "more"])
        #expect(logic.exitCode == 1 && logic.stdout.isEmpty && logic.stderr.contains("'{{ if .env.FOO }}' in shell text"), "\(logic.stderr)")
        let missing = try repo.kit(["workflow", "missing", "-f", "more"])
        #expect(missing.exitCode == 1 && missing.stdout.isEmpty && missing.stderr.contains("NOT_SET_ANYWHERE"), "\(missing.stderr)")
    }

    @Test("a shell step that calls atmos runs kit when atmos is not installed")
    func shellStepCallsAtmos() throws {
        let repo = try Self.repository()
        let run = try repo.kit(["workflow", "calls-atmos", "-f", "deploy"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.stdout == "dev\n")
    }

    @Test("a workflow that runs itself stops at depth 10 (atmos's ATMOS_SHLVL circuit breaker), exit 1")
    func recursionStops() throws {
        let repo = try Self.repository()
        let run = try repo.kit(["workflow", "recurse", "-f", "deploy"])
        #expect(run.exitCode == 1)
        #expect(run.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("level ") } == (1...10).map { "level \($0)" },
                "\(run.stdout)")
        #expect(run.stderr.contains("ATMOS_SHLVL exceeds maximum allowed depth. Infinite recursion? current=11, max=10"), "\(run.stderr)")
        // A level set by the caller counts: at 9, one more level runs.
        let deep = try repo.kit(["workflow", "recurse", "-f", "deploy"], environment: ["ATMOS_SHLVL": "9"])
        #expect(deep.exitCode == 1)
        #expect(deep.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("level ") } == ["level 10"], "\(deep.stdout)")
        let bad = try repo.kit(["workflow", "recurse", "-f", "deploy"], environment: ["ATMOS_SHLVL": "x"])
        #expect(bad.exitCode == 1 && bad.stderr.contains("ATMOS_SHLVL is 'x', not a number"), "\(bad.stderr)")
    }
}
