import Foundation
import Testing

/// `kit terraform review` prepares the component through the one pipeline (issue 18): its YAML
/// functions are evaluated as for a run, so a function that fails stops the review with its location —
/// before, review handed the plugins the literal text (`!exec false`) and passed.
@Suite("review goes through the pipeline")
struct ReviewPipelineCLITests {
    @Test("a failing !exec stops review with file:line:column, as it stops plan")
    func failingFunctionStopsReview() throws {
        let repo = try PluginPlatformCLITests.repository("review-pipeline")
        defer { try? FileManager.default.removeItem(atPath: repo) }
        try FileManager.default.createDirectory(atPath: repo + "/components/terraform/app", withIntermediateDirectories: true)
        try "variable \"x\" {}\n".write(toFile: repo + "/components/terraform/app/main.tf", atomically: true, encoding: .utf8)
        try """
            base_path: "."
            components: {terraform: {base_path: components/terraform}}
            stacks: {base_path: stacks, included_paths: ["*.yaml"], name_pattern: "{stage}"}

            """.write(toFile: repo + "/kit.yaml", atomically: true, encoding: .utf8)
        try """
            vars: {stage: dev}
            components:
              terraform:
                app:
                  vars:
                    x: !exec false

            """.write(toFile: repo + "/stacks/dev.yaml", atomically: true, encoding: .utf8)
        try #"{"format_version": "1.2", "resource_changes": []}"#.write(toFile: repo + "/plan.json", atomically: true, encoding: .utf8)

        let review = try PluginPlatformCLITests.kit(["terraform", "review", "app", "-s", "dev", "--plan-json", "plan.json"], cwd: repo,
                                                    env: ["KIT_NO_PLUGINS": "1"])
        #expect(review.status == 1, "\(review.stdout)\(review.stderr)")
        #expect(review.stderr.contains("stacks/dev.yaml:6:"), "\(review.stderr)")
        #expect(review.stderr.contains("!exec"), "\(review.stderr)")
        #expect(!review.stderr.contains("reviewed plan"), "\(review.stderr)")

        // The same component with a working function is reviewed (no plugin: a warning says so).
        try String(contentsOfFile: repo + "/stacks/dev.yaml", encoding: .utf8).replacingOccurrences(of: "!exec false", with: "!exec echo ok")
            .write(toFile: repo + "/stacks/dev.yaml", atomically: true, encoding: .utf8)
        let ok = try PluginPlatformCLITests.kit(["terraform", "review", "app", "-s", "dev", "--plan-json", "plan.json"], cwd: repo,
                                                env: ["KIT_NO_PLUGINS": "1"])
        #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
        #expect(ok.stderr.contains("reviewed plan for 'app' in 'dev'"), "\(ok.stderr)")
    }
}
