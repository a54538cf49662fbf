import Foundation
import Testing

/// Issue 21: atmos's `--process-functions=false` on `describe component` and `describe stacks` prints
/// YAML functions as written instead of their values; `-q` is `--query`, as in atmos.
@Suite("describe --process-functions=false")
struct DescribeProcessFunctionsTests {
    static let environment = ["APP_HOME": "/srv/app"]

    @Test("describe component: functions as written with false, evaluated by default; masking still applies")
    func describeComponent() throws {
        let repo = try FixtureRepository("provenance-view")
        let evaluated = try repo.run(["describe", "component", "app", "-s", "acme-prod", "-q", ".vars.home"], environment: Self.environment)
        #expect(evaluated.exitCode == 0 && evaluated.stdout == "/srv/app\n", "\(evaluated.stdout)\(evaluated.stderr)")
        let asWritten = try repo.run(["describe", "component", "app", "-s", "acme-prod", "--process-functions=false", "-q", ".vars.home"],
                                     environment: Self.environment)
        #expect(asWritten.exitCode == 0 && asWritten.stdout == "\"!env APP_HOME\"\n", "\(asWritten.stdout)\(asWritten.stderr)")
        let secret = try repo.run(["describe", "component", "app", "-s", "acme-prod", "--process-functions", "false", "-q", ".vars.api_token"])
        #expect(secret.stdout == "\"***\"\n", "\(secret.stdout)")
        let bad = try repo.run(["describe", "component", "app", "-s", "acme-prod", "--process-functions=maybe"])
        #expect(bad.exitCode == 64, "\(bad.stderr)")
    }

    @Test("describe stacks: the same rule, streamed and with -s")
    func describeStacks() throws {
        let repo = try FixtureRepository("provenance-view")
        for extra in [[String](), ["-s", "acme-prod"]] {
            let run = try repo.run(["describe", "stacks", "--format", "json", "--process-functions=false"] + extra, environment: Self.environment)
            #expect(run.exitCode == 0, "\(run.stderr)")
            let doc = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
            let vars = ((((doc?["acme-prod"] as? [String: Any])?["components"] as? [String: Any])?["terraform"] as? [String: Any])?["app"] as? [String: Any])?["vars"] as? [String: Any]
            #expect(vars?["home"] as? String == "!env APP_HOME", "\(String(describing: vars))")
        }
        let evaluated = try repo.run(["describe", "stacks", "--format", "json"], environment: Self.environment)
        #expect(evaluated.stdout.contains("\"home\": \"/srv/app\""))
    }
}
