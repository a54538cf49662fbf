import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

@Suite struct TerraformOutputScannerTests {
    @Test(arguments: [
        ("Plan: 4 to add, 1 to change, 2 to destroy.", ChangeCounts(add: 4, change: 1, destroy: 2)),
        ("\u{1B}[1mPlan:\u{1B}[0m 4 to add, 0 to change, 0 to destroy.", ChangeCounts(add: 4, change: 0, destroy: 0)),
        ("No changes. Your infrastructure matches the configuration.", ChangeCounts(add: 0, change: 0, destroy: 0)),
        ("Apply complete! Resources: 2 added, 0 changed, 1 destroyed.", ChangeCounts(add: 2, change: 0, destroy: 1)),
        ("Destroy complete! Resources: 3 destroyed.", ChangeCounts(add: 0, change: 0, destroy: 3)),
    ])
    func summaryLines(line: String, expected: ChangeCounts) {
        #expect(TerraformOutputScanner.counts(in: Array(line.utf8)) == expected)
    }

    @Test func otherLinesAreNotCounts() {
        for line in ["terraform_data.x: Creating...", "Plan: nothing", "", "  # terraform_data.x will be created"] {
            #expect(TerraformOutputScanner.counts(in: Array(line.utf8)) == nil, "\(line)")
        }
    }

    @Test func runRecordArgumentsMaskVariableValues() {
        #expect(RunRecorder.maskedArguments(["-var", "token=s3cret", "-var=pw=x", "-auto-approve"]) == ["-var", "token=***", "-var=pw=***", "-auto-approve"])
    }
}
