import Foundation
import Testing

extension KitIntegration {
    /// `terraform init` runs only when its inputs changed, or when `--init` asks for it.
    @Suite("init skipping")
    struct InitSkippingTests {
        @Test("the second plan skips init; --init forces it; new backend values force it")
        func initOnlyWhenNeeded() throws {
            let repo = try ScratchRepository.cases("init")
            defer { repo.remove() }
            let plan = ["terraform", "plan", "slow", "-s", "local"]

            let first = try repo.kit(plan)
            #expect(first.status == 0, "\(first.output)")
            #expect(first.output.contains("Initializing"), "the first plan must run init:\n\(first.output)")

            let second = try repo.kit(plan)
            #expect(second.status == 0, "\(second.output)")
            #expect(!second.output.contains("Initializing"), "the second plan ran init again:\n\(second.output)")

            let forced = try repo.kit(plan + ["--init"])
            #expect(forced.status == 0, "\(forced.output)")
            #expect(forced.output.contains("Initializing"), "--init did not run init:\n\(forced.output)")

            // New backend values (same type): init again, once.
            let stackDefaults = repo.path("stacks/_local.yaml")
            try """
            terraform:
              backend_type: local
              backend:
                local:
                  path: \(repo.root)/elsewhere/terraform.tfstate
            """.write(toFile: stackDefaults, atomically: true, encoding: .utf8)
            let changed = try repo.kit(plan)
            #expect(changed.status == 0, "\(changed.output)")
            #expect(changed.output.contains("Initializing"), "changed backend values did not run init:\n\(changed.output)")
            let config = try String(contentsOfFile: repo.path(".kit/terraform/local/slow/backend.tfbackend"), encoding: .utf8)
            #expect(config.contains("\(repo.root)/elsewhere/terraform.tfstate"), "\(config)")

            let again = try repo.kit(plan)
            #expect(again.status == 0, "\(again.output)")
            #expect(!again.output.contains("Initializing"), "init ran although nothing changed:\n\(again.output)")
        }
    }
}
