import Foundation

/// Where the integration tests find kit, terraform, moto_server and their fixtures.
///
/// Every tool a test needs is required: a missing one throws `IntegrationSetupError`, which fails
/// the test with a message that says how to provide it (never a skip).
enum IntegrationPaths {
    /// This test target's directory (`Tests/KitIntegrationTests`).
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().path

    /// The package root (holds `Package.swift`, the example `kit.yaml`, `stacks/` and `components/`).
    static let packageRoot = URL(fileURLWithPath: testsDirectory).deletingLastPathComponent().deletingLastPathComponent().path

    /// The fixture repository with the `slow`, `broken` and `validated` components.
    static let casesFixture = testsDirectory + "/Fixtures/cases"

    /// Golden files for `--dry-run` output.
    static let goldenDirectory = testsDirectory + "/Golden"

    /// The built kit: `KIT_BINARY`, else `<package root>/.build/debug/kit`.
    static func kitBinary() throws -> String {
        let env = ProcessInfo.processInfo.environment
        let path = env["KIT_BINARY"].flatMap { $0.isEmpty ? nil : $0 } ?? packageRoot + "/.build/debug/kit"
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw IntegrationSetupError("kit binary '\(path)' not found — run 'swift build' first, or set KIT_BINARY to the built kit")
        }
        return path
    }

    /// The terraform executable: `KIT_TEST_TERRAFORM`, else `terraform` on PATH.
    static func terraform() throws -> String {
        try tool(variable: "KIT_TEST_TERRAFORM", name: "terraform",
                 hint: "install terraform (scripts/setup does), or set KIT_TEST_TERRAFORM to its path")
    }

    /// The moto_server executable: `KIT_TEST_MOTO_SERVER`, else `moto_server` on PATH.
    static func motoServer() throws -> String {
        try tool(variable: "KIT_TEST_MOTO_SERVER", name: "moto_server",
                 hint: "install it with 'pip install \"moto[server]\"' (scripts/setup does), or set KIT_TEST_MOTO_SERVER to its path")
    }

    /// `python3` on PATH (for boto3).
    static func python() throws -> String {
        try tool(variable: "KIT_TEST_PYTHON", name: "python3", hint: "install python3 with boto3, or set KIT_TEST_PYTHON")
    }

    static func tool(variable: String, name: String, hint: String) throws -> String {
        let env = ProcessInfo.processInfo.environment
        if let given = env[variable], !given.isEmpty {
            guard FileManager.default.isExecutableFile(atPath: given) else {
                throw IntegrationSetupError("\(variable)='\(given)' is not an executable file — \(hint)")
            }
            return given
        }
        if let found = lookUp(name, path: env["PATH"] ?? "") { return found }
        throw IntegrationSetupError("'\(name)' not found: \(variable) is not set and '\(name)' is not on PATH — \(hint)")
    }

    /// The first executable `name` in the colon-separated `path`.
    static func lookUp(_ name: String, path: String) -> String? {
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

/// A test cannot run because something it needs is missing or broken; fails the test.
struct IntegrationSetupError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
