import Foundation
import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

/// `--since` parsing and the table, text and JSON renderings of recorded runs.
@Suite struct RunReportTests {
    static let now = Date(timeIntervalSince1970: 1_795_996_800 + 8 * 3_600) // 2026-11-30T08:00:00Z

    @Test("durations count back from now", arguments: [
        ("30m", 1_800.0), ("12h", 43_200.0), ("1d", 86_400.0), ("2w", 1_209_600.0), ("0m", 0.0), ("90d", 7_776_000.0),
    ])
    func durations(text: String, seconds: Double) throws {
        #expect(try RunSince.date(from: text, now: Self.now) == Self.now.addingTimeInterval(-seconds))
    }

    @Test("dates are midnight UTC; ISO 8601 date-times are taken as written")
    func dates() throws {
        #expect(try RunSince.date(from: "2026-11-30", now: Self.now) == Date(timeIntervalSince1970: 1_795_996_800))
        #expect(try RunSince.date(from: "2024-02-29", now: Self.now) == Date(timeIntervalSince1970: 1_709_164_800))
        #expect(try RunSince.date(from: "2026-11-30T08:00:00Z", now: Self.now) == Self.now)
        #expect(try RunSince.date(from: "2026-11-30T09:00:00+01:00", now: Self.now) == Self.now)
    }

    @Test("anything else is a usage error quoting the value", arguments: [
        "", "d", "3x", "1.5d", "-1d", "+1d", "1 d", "1D", "yesterday", "2026-13-01", "2025-02-29", "2026-1-5",
        "99999999999999999999d", "5000000w",
    ])
    func invalid(text: String) {
        let error = #expect(throws: RunSince.UsageError.self) { try RunSince.date(from: text, now: Self.now) }
        #expect(error?.description == "invalid --since value '\(text)' — use a duration such as '30m', '12h', '1d' or '2w', or a date such as '2026-11-30'")
    }

    static let planned = RecordedRun(
        id: 12, group: "g1", startedAt: Date(timeIntervalSince1970: 1_795_996_800 + 29_109.045), durationMilliseconds: 245_300,
        user: "alice", gitCommit: "abc123", stack: "acme-prod", component: "vpc", subcommand: "apply",
        arguments: ["-var", "token=***"], dryRun: false, exitCode: 1, result: "blocked",
        planAdd: 2, planChange: 1, planDestroy: 0, changedAddresses: ["aws_vpc.main", "aws_subnet.a"],
        findings: [RecordedFinding(severity: "error", policy: "aws.vpc.flow_logs", message: "flow logs are off", path: "vars.flow_logs"),
                   RecordedFinding(severity: "info", policy: "aws.tags", message: "ok")],
        overrideReason: nil)
    static let dryRun = RecordedRun(
        id: 9, startedAt: Date(timeIntervalSince1970: 1_795_996_800 - 1), durationMilliseconds: 850, user: "bob",
        stack: "acme-dev", component: "networking/vpc", subcommand: "plan", dryRun: true, exitCode: 0, result: "succeeded")

    @Test("the table has a header and one aligned row per run; no plan shows '-'")
    func table() {
        #expect(RunReport.table([Self.planned, Self.dryRun]) == """
            ID  STARTED (UTC)        STACK      COMPONENT       COMMAND         RESULT     EXIT  DURATION  +/~/-
            12  2026-11-30 08:05:09  acme-prod  vpc             apply           blocked    1     4m05s     +2 ~1 -0
            9   2026-11-29 23:59:59  acme-dev   networking/vpc  plan (dry run)  succeeded  0     850ms     -

            """)
        #expect(RunReport.table([]) == "")
    }

    @Test("durations read at a glance", arguments: [(0, "0ms"), (999, "999ms"), (1_000, "1.0s"), (12_345, "12.3s"),
                                                   (60_000, "1m00s"), (3_599_999, "59m59s"), (3_720_000, "1h02m")])
    func durationText(milliseconds: Int, text: String) {
        #expect(RunReport.duration(milliseconds) == text)
    }

    @Test("show's text lists every field, one per line, lists continued under their label")
    func text() {
        #expect(RunReport.text(Self.planned) == """
            run         12
            started     2026-11-30 08:05:09.045 UTC
            duration    4m05s
            user        alice
            git commit  abc123
            group       g1
            stack       acme-prod
            component   vpc
            command     apply -var token=***
            dry run     no
            result      blocked
            exit code   1
            plan        +2 ~1 -0
            changed     aws_vpc.main
                        aws_subnet.a
            findings    error aws.vpc.flow_logs: flow logs are off (vars.flow_logs)
                        info aws.tags: ok
            override    -

            """)
    }

    @Test("JSON carries every field under its column name, with sorted keys")
    func json() {
        #expect(JSONWriter.pretty(RunReport.value(Self.dryRun)) == """
            {
              "arguments": [],
              "changed_addresses": [],
              "component": "networking/vpc",
              "dry_run": true,
              "duration_ms": 850,
              "exit_code": 0,
              "findings": [],
              "git_commit": null,
              "group": null,
              "id": 9,
              "override_reason": null,
              "plan_add": null,
              "plan_change": null,
              "plan_destroy": null,
              "result": "succeeded",
              "stack": "acme-dev",
              "started_at": "2026-11-29T23:59:59.000Z",
              "subcommand": "plan",
              "user": "bob"
            }

            """)
        let planned = RunReport.value(Self.planned)
        #expect(planned["findings"] == .list([
            .map(["severity": .string("error"), "policy": .string("aws.vpc.flow_logs"),
                  "message": .string("flow logs are off"), "path": .string("vars.flow_logs")]),
            .map(["severity": .string("info"), "policy": .string("aws.tags"), "message": .string("ok"), "path": .null]),
        ]))
        #expect(planned["started_at"] == .string("2026-11-30T08:05:09.045Z"))
        #expect(planned["plan_add"] == .int(2))
    }
}
