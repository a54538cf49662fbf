import Foundation
import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

@Suite struct ShellTextTests {
    @Test(arguments: [
        ("plain-value_1.2/x:y=z", "plain-value_1.2/x:y=z"),
        ("demo;touch /tmp/pwned", "'demo;touch /tmp/pwned'"),
        ("it's", "'it'\\''s'"),
        ("", "''"),
        ("$(rm -rf /)", "'$(rm -rf /)'"),
        ("a\nb", "'a\nb'"),
        ("a<b", "'a<b'"), ("a>b", "'a>b'"), ("é", "'é'"), ("a\r\nb", "'a\r\nb'"), ("%+,@", "%+,@"),
    ])
    func quote(value: String, expected: String) {
        #expect(ShellText.quote(value) == expected)
    }

    /// The byte rule equals the character rule it replaced (a set of safe characters, then no `<`/`>`),
    /// over every byte and over strings mixing safe and unsafe characters.
    @Test func byteRuleEqualsCharacterRule() {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./:=@%+,")
        func old(_ v: String) -> Bool { !v.isEmpty && v.allSatisfy { safe.contains($0) } }
        var samples = (0..<128).map { String(UnicodeScalar(UInt8($0))) } + ["é", "ß", "✓", "e\u{301}", "\r\n", "ab c", "a-b_c", "x/y:z"]
        samples += samples.map { "ok" + $0 + "ok" }
        for s in samples {
            #expect((ShellText.quote(s) == s) == old(s), "\(s.unicodeScalars.map { $0.value })")
        }
    }

    @Test func relativePaths() {
        #expect(ShellText.relativePath(from: "/r/.kit/terraform/s/c/root/demo/app", to: "/r/.kit/terraform/s/c/data") == "../../../data")
        #expect(ShellText.relativePath(from: "/r/a", to: "/r/a") == ".")
    }

    // Issue 20 §5 changed this test: values of `env:` entries used to be printed (quoted); a dry run
    // now prints their names only. kit's own values are still printed, quoted.
    @Test func dryRunShowsEnvNamesOnlyAndQuotesKitsValues() throws {
        var c = CommandSequenceTests.component()
        c.env = ["NOTE": .string("x;touch /tmp/pwned"), "DB_PASSWORD": .string("hunter2")]
        c.stackName = "ue1 dev"
        let seq = try CommandSequenceTests.build(["plan", "vpc", "-s", "ue1-dev"], component: c)
        let text = seq.describe(relativeTo: "/repo")
        #expect(text.contains("# kit: env (values not shown): DB_PASSWORD NOTE\n"), "\(text)")
        #expect(!text.contains("pwned") && !text.contains("hunter2"), "\(text)")
        #expect(text.contains("KIT_STACK='ue1 dev'"), "\(text)")
        #expect(text.contains("TF_DATA_DIR=../../data"), "\(text)")
    }

    @Test func unusableCommandsNameThePathAndTheSetting() throws {
        let dir = NSTemporaryDirectory() + "kit-shelltext-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(FileManager.default.createFile(atPath: dir + "/plain", contents: Data("x".utf8), attributes: [.posixPermissions: 0o644]))
        for (path, problem) in [(dir + "/missing", "does not exist"), (dir, "is a folder"), (dir + "/plain", "is not an executable file")] {
            let e = caught { _ = try SystemProcessRunner.resolve(path, env: [:]) }
            #expect("\(e!)".contains("terraform command '\(path)' \(problem) — set 'command:'"), "\(e!)")
        }
    }
}
