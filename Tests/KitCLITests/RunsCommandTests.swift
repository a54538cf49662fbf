import Foundation
import KitCore
import Testing

/// `kit runs list` and `kit runs show` on run records written with `RunStore` into a fixture copy.
@Suite("runs commands")
struct RunsCommandTests {
    /// 2026-11-30T00:00:00Z.
    static let midnight = Date(timeIntervalSince1970: 1_795_996_800)

    /// A copy of `acme` with three recorded runs; returns the repository and the ids, oldest first.
    static func repository() throws -> (FixtureRepository, [Int64]) {
        let repo = try FixtureRepository("acme")
        let store = try RunStore(path: repo.root.appendingPathComponent(".kit/runs.db").path)
        let ids = try [
            RecordedRun(startedAt: midnight.addingTimeInterval(3_600), durationMilliseconds: 850, user: "alice",
                        stack: "acme-dev", component: "app", subcommand: "plan", arguments: ["-var", "token=***"],
                        dryRun: true, exitCode: 0, result: "succeeded"),
            RecordedRun(group: "g-1", startedAt: midnight.addingTimeInterval(7_200), durationMilliseconds: 12_345,
                        user: "bob", gitCommit: "abc123", stack: "acme-prod", component: "app", subcommand: "apply",
                        exitCode: 1, result: "blocked", planAdd: 1, planChange: 2, planDestroy: 3,
                        changedAddresses: ["terraform_data.app"],
                        findings: [RecordedFinding(severity: "error", policy: "demo.policy", message: "'x' is not allowed", path: "vars.x")],
                        overrideReason: nil),
            RecordedRun(startedAt: midnight.addingTimeInterval(10_800), durationMilliseconds: 61_000, user: "carol",
                        stack: "acme-dev", component: "db", subcommand: "apply", exitCode: 0, result: "succeeded",
                        planAdd: 0, planChange: 0, planDestroy: 0),
        ].map { try store.insert($0) }
        return (repo, ids)
    }

    @Test("list prints a table, newest first")
    func listTable() throws {
        let (repo, ids) = try Self.repository()
        let run = try repo.run(["runs", "list"])
        #expect(run.exitCode == 0)
        #expect(run.stderr == "")
        #expect(run.stdout == """
            ID  STARTED (UTC)        STACK      COMPONENT  COMMAND         RESULT     EXIT  DURATION  +/~/-
            \(ids[2])   2026-11-30 03:00:00  acme-dev   db         apply           succeeded  0     1m01s     +0 ~0 -0
            \(ids[1])   2026-11-30 02:00:00  acme-prod  app        apply           blocked    1     12.3s     +1 ~2 -3
            \(ids[0])   2026-11-30 01:00:00  acme-dev   app        plan (dry run)  succeeded  0     850ms     -

            """)
    }

    @Test("--stack, --component and --limit filter; --format json is sorted-key JSON with a newline")
    func listFiltersAndJSON() throws {
        let (repo, ids) = try Self.repository()
        let dev = try repo.run(["runs", "list", "--stack", "acme-dev", "--format", "json"])
        #expect(dev.exitCode == 0)
        #expect(dev.stderr == "")
        #expect(dev.stdout.hasSuffix("}\n]\n"))
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(dev.stdout.utf8)) as? [[String: Any]])
        #expect(rows.map { $0["id"] as? Int } == [Int(ids[2]), Int(ids[0])])
        #expect(rows.map { $0["stack"] as? String } == ["acme-dev", "acme-dev"])
        #expect(rows[1]["arguments"] as? [String] == ["-var", "token=***"])
        #expect(rows[1]["dry_run"] as? Bool == true)
        #expect(rows[1]["started_at"] as? String == "2026-11-30T01:00:00.000Z")
        let keys = ["arguments", "changed_addresses", "component", "dry_run", "duration_ms", "exit_code", "findings",
                    "git_commit", "group", "id", "override_reason", "plan_add", "plan_change", "plan_destroy", "result",
                    "stack", "started_at", "subcommand", "user"]
        #expect(rows[0].keys.sorted() == keys)
        let firstKeys = dev.stdout.split(separator: "\n").prefix(21).compactMap { line -> String? in
            let t = line.trimmingCharacters(in: .whitespaces)
            guard t.hasPrefix("\""), let end = t.dropFirst().firstIndex(of: "\"") else { return nil }
            return String(t[t.index(after: t.startIndex)..<end])
        }
        #expect(firstKeys == keys)

        let app = try repo.run(["runs", "list", "-c", "app", "--limit", "1"])
        #expect(app.exitCode == 0)
        #expect(app.stdout.split(separator: "\n").count == 2)
        #expect(app.stdout.contains("acme-prod  app"))

        let none = try repo.run(["runs", "list", "--stack", "acme-staging"])
        #expect(none.exitCode == 0)
        #expect(none.stdout == "")
    }

    @Test("--since takes dates and durations; a bad value is a usage error")
    func since() throws {
        let (repo, ids) = try Self.repository()
        let recent = try repo.run(["runs", "list", "--since", "2026-11-30T02:00:00Z", "--format", "json"])
        #expect(recent.exitCode == 0)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(recent.stdout.utf8)) as? [[String: Any]])
        #expect(rows.map { $0["id"] as? Int } == [Int(ids[2]), Int(ids[1])])
        let day = try repo.run(["runs", "list", "--since", "2026-12-01"])
        #expect(day.exitCode == 0)
        #expect(day.stdout == "")
        let all = try repo.run(["runs", "list", "--since", "2026-11-30"])
        #expect(all.stdout.split(separator: "\n").count == 4)
        let bad = try repo.run(["runs", "list", "--since", "3x"])
        #expect(bad.exitCode == 64)
        #expect(bad.stdout == "")
        #expect(bad.stderr == "error: invalid --since value '3x' — use a duration such as '30m', '12h', '1d' or '2w', or a date such as '2026-11-30'\n")
    }

    @Test("show prints every field of one run, as text or JSON")
    func show() throws {
        let (repo, ids) = try Self.repository()
        let text = try repo.run(["runs", "show", String(ids[1])])
        #expect(text.exitCode == 0)
        #expect(text.stderr == "")
        #expect(text.stdout == """
            run         \(ids[1])
            started     2026-11-30 02:00:00.000 UTC
            duration    12.3s
            user        bob
            git commit  abc123
            group       g-1
            stack       acme-prod
            component   app
            command     apply
            dry run     no
            result      blocked
            exit code   1
            plan        +1 ~2 -3
            changed     terraform_data.app
            findings    error demo.policy: 'x' is not allowed (vars.x)
            override    -

            """)
        let json = try repo.run(["runs", "show", String(ids[1]), "--format", "json"])
        #expect(json.exitCode == 0)
        #expect(json.stdout.hasPrefix("{\n  \"arguments\": [],\n"))
        #expect(json.stdout.hasSuffix("\n}\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["id"] as? Int == Int(ids[1]))
        #expect(object["findings"] as? [[String: String]] == [["severity": "error", "policy": "demo.policy", "message": "'x' is not allowed", "path": "vars.x"]])
        #expect(object["group"] as? String == "g-1")
    }

    @Test("show of an unknown id is an error naming the id and the database")
    func showUnknown() throws {
        let (repo, _) = try Self.repository()
        let run = try repo.run(["runs", "show", "999"])
        #expect(run.exitCode == 1)
        #expect(run.stdout == "")
        let path = repo.root.appendingPathComponent(".kit/runs.db").path
        #expect(run.stderr == "error: no run with id '999' in '\(path)' — run 'kit runs list' to see the recorded ids\n")
    }

    @Test("without a database, list notes it on stderr, exits 0 and creates nothing")
    func noDatabase() throws {
        let repo = try FixtureRepository("acme")
        let path = repo.root.appendingPathComponent(".kit/runs.db").path
        let table = try repo.run(["runs", "list"])
        #expect(table.exitCode == 0)
        #expect(table.stdout == "")
        #expect(table.stderr == "note: no runs recorded yet in '\(path)'\n")
        let json = try repo.run(["runs", "list", "--format", "json"])
        #expect(json.exitCode == 0)
        #expect(json.stdout == "[]\n")
        let show = try repo.run(["runs", "show", "1"])
        #expect(show.exitCode == 1)
        #expect(show.stderr == "error: no run with id '1' in '\(path)' — run 'kit runs list' to see the recorded ids\n")
        #expect(!FileManager.default.fileExists(atPath: repo.root.appendingPathComponent(".kit").path))
    }
}
