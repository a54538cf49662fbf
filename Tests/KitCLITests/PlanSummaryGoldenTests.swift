import Foundation
import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform
import KitPluginSDK

/// The pull-request summary of an estate plan: replacements and destroys first, counts, findings,
/// collapsible plan text with secrets masked.
@Suite("plan summary")
struct PlanSummaryGoldenTests {
    static func plan(_ lines: [String], secrets: [String] = []) -> PlanText {
        var collector = PlanText.Collector()
        for l in lines { collector.take(Array(l.utf8)) }
        return collector.result(masking: secrets)
    }

    static let summary = EstateSummary(subcommand: "plan", results: [
        EstateResult(id: InstanceID(stack: "prod", component: "vpc"), status: .changes, wave: 0, durationMilliseconds: 4200, exitCode: 2,
                     counts: ChangeCounts(add: 1, change: 0, destroy: 1),
                     plan: plan([
                        "\u{1B}[1mTerraform will perform the following actions:\u{1B}[0m",
                        "  # aws_vpc.main must be replaced",
                        "-/+ resource \"aws_vpc\" \"main\" {",
                        "      ~ cidr_block = \"10.0.0.0/16\" -> \"10.1.0.0/16\" # forces replacement",
                        "    }",
                        "Plan: 1 to add, 0 to change, 1 to destroy.",
                     ])),
        EstateResult(id: InstanceID(stack: "prod", component: "db"), status: .changes, wave: 1, durationMilliseconds: 3100, exitCode: 2,
                     counts: ChangeCounts(add: 0, change: 1, destroy: 0),
                     findings: [Finding(severity: .error, policy: "aws.rds.production", message: "multi_az must be true in prod",
                                        path: "vars.multi_az", hint: "set vars.multi_az: true")],
                     plan: plan([
                        "  # aws_db_instance.main will be updated in-place",
                        "  ~ resource \"aws_db_instance\" \"main\" {",
                        "      ~ password = \"hunter2-secret\" -> \"n3w-hunter2-secret\"",
                        "    }",
                        "Plan: 0 to add, 1 to change, 0 to destroy.",
                     ], secrets: ["n3w-hunter2-secret", "hunter2-secret"])),
        EstateResult(id: InstanceID(stack: "prod", component: "dns"), status: .succeeded, wave: 1, durationMilliseconds: 900,
                     counts: ChangeCounts(add: 0, change: 0, destroy: 0), plan: plan(["No changes. Your infrastructure matches the configuration."])),
        EstateResult(id: InstanceID(stack: "prod", component: "queue"), status: .changes, wave: 1, durationMilliseconds: 1000, exitCode: 2,
                     counts: ChangeCounts(add: 0, change: 0, destroy: 1),
                     plan: plan(["  # aws_sqs_queue.old will be destroyed", "Plan: 0 to add, 0 to change, 1 to destroy."])),
    ], interrupted: false, durationMilliseconds: 9300, detailedExitCode: true)

    @Test("markdown: destroys and replacements first, the table, findings, masked plan text in <details>")
    func markdown() {
        let text = EstateSummaryFormat.markdown(Self.summary)
        #expect(!text.contains("hunter2"))
        Golden.check(text, named: "plan-summary-markdown")
    }

    @Test("json carries the replacements, destroys and masked plan text")
    func json() {
        let text = JSONWriter.pretty(EstateSummaryFormat.value(Self.summary))
        #expect(!text.contains("hunter2"))
        #expect(text.contains("\"replacements\": [\n        \"aws_vpc.main\"\n      ]"))
        #expect(text.contains("\"destroys\": [\n        \"aws_sqs_queue.old\"\n      ]"))
    }

    @Test("plan text is bounded per component and the markdown stays under GitHub's comment limit")
    func bounded() {
        let lines = (0..<5000).map { "  + line \($0) of a very large plan with many resources to add" }
        let big = Self.plan(lines)
        #expect(big.text.utf8.count <= PlanText.limit + 200)
        #expect(big.text.contains("more line(s) not shown"))
        let results = (0..<10).map { i in
            EstateResult(id: InstanceID(stack: "s", component: "c\(i)"), status: .succeeded, wave: 0, plan: big)
        }
        let md = EstateSummaryFormat.markdown(EstateSummary(subcommand: "plan", results: results, interrupted: false,
                                                            durationMilliseconds: 0, detailedExitCode: false))
        #expect(md.utf8.count <= 65_536)
        #expect(md.contains("left out: the comment would pass 60 KB"))
    }
}
