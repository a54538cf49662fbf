import Foundation
import Testing

extension KitIntegration {
    /// kit's exit code: terraform's for terraform's outcomes, 1 for kit's errors, 64 for usage errors.
    @Suite("exit codes")
    struct ExitCodeTests {
        @Test("kit terraform -version / -help run the configured terraform itself, with its output and exit code (as atmos passes them through)")
        func terraformItself() throws {
            let repo = try ScratchRepository.cases("exit-tool")
            defer { repo.remove() }
            for words in [["-version"], ["version"], ["-v"]] {
                let r = try repo.kit(["terraform"] + words)
                #expect(r.status == 0, "\(words): \(r.output)")
                #expect(r.output.contains("Terraform v") || r.output.contains("OpenTofu v"), "\(words): \(r.output)")
            }
            let help = try repo.kit(["terraform", "-help"])
            #expect(help.status == 0, "\(help.output)")
            #expect(help.output.contains("Usage: terraform"), "\(help.output)")
        }

        @Test("a plan with an invalid expression exits 1")
        func invalidExpression() throws {
            let repo = try ScratchRepository.cases("exit-broken")
            defer { repo.remove() }
            let r = try repo.kit(["terraform", "plan", "broken", "-s", "local"])
            #expect(r.status == 1, "\(r.output)")
            #expect(r.output.contains("Reference to undeclared local value"), "\(r.output)")
        }

        @Test("a variable validation failure exits 1")
        func variableValidation() throws {
            let repo = try ScratchRepository.cases("exit-validation")
            defer { repo.remove() }
            let r = try repo.kit(["terraform", "plan", "invalid-replicas", "-s", "local"])
            #expect(r.status == 1, "\(r.output)")
            #expect(r.output.contains("The replicas must be between 1 and 10."), "\(r.output)")
        }

        @Test("-detailed-exitcode: 2 with changes, 0 without")
        func detailedExitCode() throws {
            let repo = try ScratchRepository.cases("exit-detailed")
            defer { repo.remove() }
            let before = try repo.kit(["terraform", "plan", "slow", "-s", "local", "-detailed-exitcode"])
            #expect(before.status == 2, "\(before.output)")
            let deploy = try repo.kit(["terraform", "deploy", "slow", "-s", "local"])
            #expect(deploy.status == 0, "\(deploy.output)")
            let after = try repo.kit(["terraform", "plan", "slow", "-s", "local", "-detailed-exitcode"])
            #expect(after.status == 0, "\(after.output)")
        }

        @Test("an unknown component exits 1 and names it")
        func unknownComponent() throws {
            let repo = try ScratchRepository.cases("exit-component")
            defer { repo.remove() }
            let r = try repo.kit(["terraform", "plan", "no-such-component", "-s", "local"])
            #expect(r.status == 1, "\(r.output)")
            #expect(r.stderr.contains("'no-such-component'"), "\(r.output)")
        }

        @Test("an unknown stack exits 1 and names it")
        func unknownStack() throws {
            let repo = try ScratchRepository.cases("exit-stack")
            defer { repo.remove() }
            let r = try repo.kit(["terraform", "plan", "slow", "-s", "no-such-stack"])
            #expect(r.status == 1, "\(r.output)")
            #expect(r.stderr.contains("'no-such-stack'"), "\(r.output)")
        }

        @Test("usage errors exit 64", arguments: [
            ["terraform", "plan"],
            ["terraform", "plan", "slow"],
            ["terraform", "plan", "slow", "-s"],
        ])
        func usageError(arguments: [String]) throws {
            let repo = try ScratchRepository.cases("exit-usage")
            defer { repo.remove() }
            let r = try repo.kit(arguments)
            #expect(r.status == 64, "\(r.output)")
            #expect(!r.stderr.isEmpty)
        }

        @Test("a disabled component exits 0 with a note and runs nothing")
        func disabledComponent() throws {
            let repo = try ScratchRepository.cases("exit-disabled")
            defer { repo.remove() }
            let r = try repo.kit(["terraform", "apply", "disabled", "-s", "local"])
            #expect(r.status == 0, "\(r.output)")
            #expect(r.stderr.contains("note:") && r.stderr.contains("not enabled"), "\(r.output)")
            #expect(!repo.exists(".kit/terraform/local/disabled"), "terraform ran for a disabled component")
        }

        @Test("applying a locked component exits 1; planning it is allowed")
        func lockedComponent() throws {
            let repo = try ScratchRepository.cases("exit-locked")
            defer { repo.remove() }
            let apply = try repo.kit(["terraform", "deploy", "frozen", "-s", "local"])
            #expect(apply.status == 1, "\(apply.output)")
            #expect(apply.stderr.contains("locked"), "\(apply.output)")
            #expect(!repo.exists(".kit/state/local/frozen/workspaces"), "terraform ran for a locked component")
            let plan = try repo.kit(["terraform", "plan", "frozen", "-s", "local"])
            #expect(plan.status == 0, "\(plan.output)")
        }
    }
}
