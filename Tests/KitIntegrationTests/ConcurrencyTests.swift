import Foundation
import Testing

extension KitIntegration {
    /// Two kit processes at once: different stacks of one component, and one stack on the S3 backend.
    @Suite("concurrent runs")
    struct ConcurrencyTests {
        @Test("two stacks of the same component applied at once keep separate state")
        func twoStacksAtOnce() throws {
            let repo = try ScratchRepository.cases("two-stacks")
            defer { repo.remove() }
            let blue = try repo.startKit(["terraform", "deploy", "slow", "-s", "blue"])
            let green = try repo.startKit(["terraform", "deploy", "slow", "-s", "green"])
            let blueResult = try blue.wait(timeout: 120)
            let greenResult = try green.wait(timeout: 120)
            #expect(blueResult.status == 0, "blue failed:\n\(blueResult.output)")
            #expect(greenResult.status == 0, "green failed:\n\(greenResult.output)")
            // Each takes ≥ 3 s (its provisioner sleeps); both started before either ended, so they overlapped.
            #expect(blueResult.seconds >= 3 && greenResult.seconds >= 3)

            for (stack, label) in [("blue", "blue-label"), ("green", "green-label")] {
                let workspace = try repo.selectedWorkspace(stack: stack, component: "slow")
                let state = try TerraformStateFile(path: repo.path(".kit/state/\(stack)/slow/workspaces/\(workspace)/terraform.tfstate"))
                #expect(state.resourceAddresses == ["terraform_data.slow"], "\(stack)")
                #expect(state.output("label") as? String == label, "\(stack) state holds another stack's value")
            }
        }

        @Test("the same stack applied twice at once from two checkouts on S3 + DynamoDB: one fails on terraform's lock, state stays valid")
        func sameStackDynamoDB() throws {
            try sameStackTwice(stack: "s3-dynamodb", lockKind: .dynamoDB)
        }

        @Test("the same stack applied twice at once from two checkouts on S3 with use_lockfile: one fails on terraform's lock, state stays valid")
        func sameStackLockfile() throws {
            try sameStackTwice(stack: "s3-lockfile", lockKind: .lockfile)
        }

        @Test("the same stack applied twice at once from one checkout: the second kit run waits for the first, both succeed")
        func sameStackSameCheckout() throws {
            let moto = try MotoServer()
            defer { moto.stop() }
            let repo = try ScratchRepository.cases("s3-dynamodb", motoEndpoint: moto.endpoint)
            defer { repo.remove() }
            repo.extraEnvironment = MotoServer.awsEnvironment
            let args = ["terraform", "deploy", "slow", "-s", "s3-dynamodb", "-lock-timeout=0s"]
            let first = try repo.startKit(args)
            let second = try repo.startKit(args)
            let results = [try first.wait(timeout: 120), try second.wait(timeout: 120)]
            let transcript = results.map(\.output).joined(separator: "\n=====\n")
            #expect(results.map(\.status) == [0, 0], "both runs must succeed, one after the other:\n\(transcript)")
            #expect(results.filter { $0.output.contains("another kit run is using 'slow' in 's3-dynamodb'; waiting") }.count == 1,
                    "exactly one run must have waited:\n\(transcript)")
            let list = try repo.kit(["terraform", "state", "list", "slow", "-s", "s3-dynamodb"])
            #expect(list.stdout.split(separator: "\n").map(String.init) == ["terraform_data.slow"], "\(list.output)")
            #expect(try moto.dynamoDBLocks().isEmpty, "a lock is left in the DynamoDB table")
        }

        enum LockKind { case dynamoDB, lockfile }

        func sameStackTwice(stack: String, lockKind: LockKind) throws {
            let moto = try MotoServer()
            defer { moto.stop() }
            // Two checkouts (as on two machines) sharing one S3 backend: only terraform's lock protects the state.
            let repo = try ScratchRepository.cases(stack, motoEndpoint: moto.endpoint)
            defer { repo.remove() }
            repo.extraEnvironment = MotoServer.awsEnvironment
            let other = try ScratchRepository.cases(stack, motoEndpoint: moto.endpoint)
            defer { other.remove() }
            other.extraEnvironment = MotoServer.awsEnvironment

            let args = ["terraform", "deploy", "slow", "-s", stack, "-lock-timeout=0s"]
            let first = try repo.startKit(args)
            let second = try other.startKit(args)
            let results = [try first.wait(timeout: 120), try second.wait(timeout: 120)]
            let statuses = results.map(\.status).sorted()
            let transcript = results.map(\.output).joined(separator: "\n=====\n")
            #expect(statuses == [0, 1], "expected one success and one lock failure:\n\(transcript)")
            if let failed = results.first(where: { $0.status != 0 }) {
                // terraform words it "Error acquiring the state lock" (plan/apply) or "failed to lock s3 state" (init, workspace).
                #expect(failed.output.contains("Error acquiring the state lock") || failed.output.contains("failed to lock s3 state"),
                        "the failure is not terraform's lock error:\n\(failed.output)")
            }

            let list = try repo.kit(["terraform", "state", "list", "slow", "-s", stack])
            #expect(list.status == 0, "\(list.output)")
            #expect(list.stdout.split(separator: "\n").map(String.init) == ["terraform_data.slow"], "\(list.output)")
            let plan = try repo.kit(["terraform", "plan", "slow", "-s", stack, "-detailed-exitcode", "-lock-timeout=0s"])
            #expect(plan.status == 0, "a second plan must show no changes:\n\(plan.output)")
            #expect(plan.output.contains("No changes."), "\(plan.output)")

            let keys = try moto.bucketKeys()
            switch lockKind {
            case .dynamoDB:
                #expect(keys.contains { $0.hasSuffix("dynamodb/terraform.tfstate") }, "\(keys)")
                #expect(try moto.dynamoDBLocks().isEmpty, "a lock is left in the DynamoDB table")
            case .lockfile:
                #expect(keys.contains { $0.hasSuffix("lockfile/terraform.tfstate") }, "\(keys)")
                #expect(!keys.contains { $0.hasSuffix(".tflock") }, "a lock file is left in the bucket: \(keys)")
            }
        }
    }
}
