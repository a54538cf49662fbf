import Foundation
import Testing

extension KitIntegration {
    /// `!terraform.state` on an S3 backend (moto): the AWS plugin reads the state object itself
    /// (`read_state`), so no terraform runs for the reference; a missing object means `waiting`.
    @Suite("state references on s3")
    struct S3StateReferenceTests {
        @Test("a value from slow's S3 state flows into relay's outputs, read by the plugin (state_reads=1 output_reads=0)")
        func pluginReadsS3State() throws {
            let moto = try MotoServer()
            defer { moto.stop() }
            let repo = try ScratchRepository.cases("s3-state-read", motoEndpoint: moto.endpoint)
            defer { repo.remove() }
            repo.extraEnvironment = MotoServer.awsEnvironment
            let stack = "s3-state"

            let deploy = try repo.kit(["terraform", "deploy", "slow", "-s", stack])
            #expect(deploy.status == 0, "deploy slow failed:\n\(deploy.output)")

            var env = MotoServer.awsEnvironment
            env["KIT_STATS"] = "1"
            repo.extraEnvironment = env
            let relay = try repo.kit(["terraform", "deploy", "relay", "-s", stack])
            repo.extraEnvironment = MotoServer.awsEnvironment
            #expect(relay.status == 0, "deploy relay failed:\n\(relay.output)")
            #expect(relay.stderr.contains("state_reads=1 output_reads=0"), "the reference was not read by the plugin:\n\(relay.stderr)")

            let output = try repo.kit(["terraform", "output", "relay", "-s", stack, "-json"])
            #expect(output.status == 0, "\(output.output)")
            let json = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: [String: Any]] ?? [:]
            #expect(json["upstream"]?["value"] as? String == "from-s3-state", "\(output.stdout)")
        }

        @Test("no state object yet: plan --all plans slow and reports relay as waiting")
        func missingStateObjectWaits() throws {
            let moto = try MotoServer()
            defer { moto.stop() }
            let repo = try ScratchRepository.cases("s3-state-missing", motoEndpoint: moto.endpoint)
            defer { repo.remove() }
            var env = MotoServer.awsEnvironment
            env["KIT_STATS"] = "1"
            repo.extraEnvironment = env
            // Nothing in the bucket yet: the plugin's GET is a 404, so the reference has no state.
            let alone = try repo.kit(["terraform", "plan", "relay", "-s", "s3-state"])
            #expect(alone.status == 1, "\(alone.output)")
            #expect(alone.stderr.contains("has no state yet (no state object 's3://kit-tfstate/slow/s3-state/state/terraform.tfstate')"), "\(alone.stderr)")

            let plan = try repo.kit(["terraform", "plan", "--all", "-s", "s3-state", "--summary-file", "plan.json"])
            let s = try EstateTests.summary(repo, "plan.json")
            #expect(s.result("slow") == "changes" || s.result("slow") == "succeeded", "\(s.entry("slow"))\n\(plan.output)")
            #expect(s.result("relay") == "waiting", "\(s.entry("relay"))\n\(plan.output)")
            let message = s.entry("relay")["message"] as? String ?? ""
            // The plan created slow's workspace, and with it an empty state object: no outputs yet.
            #expect(message.contains("component 'slow' in stack 's3-state' has no state yet"), "\(message)")
            #expect(plan.stderr.contains("state_reads=1 output_reads=0"), "\(plan.stderr)")
        }
    }
}
