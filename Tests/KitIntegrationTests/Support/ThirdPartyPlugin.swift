import Foundation

/// The estate tests' third-party plugin `acme`, built from `Fixtures/plugins`: in C (`acme.c.fixture`,
/// compiled with `cc` against the public header) or in Swift (`AcmeSwift/`, an out-of-tree package
/// depending on this checkout's `KitPluginSDK` by path, built once per test run).
enum ThirdPartyPlugin: String, CaseIterable, CustomStringConvertible, Sendable {
    case c
    case swift

    var description: String { rawValue }

    static let fixtures = IntegrationPaths.testsDirectory + "/Fixtures/plugins"

    /// Copies the built library to `directory/libKitAcme.so` (mode 0755).
    func install(into directory: String) throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let built: String
        switch self {
        case .c: built = try Self.cLibrary.get()
        case .swift: built = try Self.swiftLibrary.get()
        }
        let target = directory + "/libKitAcme.so"
        try? fm.removeItem(atPath: target)
        try fm.copyItem(atPath: built, toPath: target)
        try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: target)
    }

    /// A private build directory for this test run.
    private static let buildRoot: Result<String, Error> = Result {
        let root = try ScratchRepository.makeTempDirectory("acme-plugin")
        return root
    }

    private static let cLibrary: Result<String, Error> = Result {
        let root = try buildRoot.get()
        let output = root + "/c/libKitAcme.so"
        try FileManager.default.createDirectory(atPath: root + "/c", withIntermediateDirectories: true)
        let include = IntegrationPaths.packageRoot + "/Sources/CKitPlugin/include"
        let result = try RunningCommand.run("/usr/bin/env", ["cc", "-x", "c", "-std=c11", "-D_GNU_SOURCE", "-shared", "-fPIC", "-O1",
                                                             "-Wall", "-Werror", "-I", include, fixtures + "/acme.c.fixture", "-o", output],
                                            cwd: root, environment: ProcessInfo.processInfo.environment, logDirectory: root, label: "cc acme")
        guard result.status == 0 else { throw IntegrationSetupError("cc failed for the acme fixture:\n\(result.output)") }
        return output
    }

    private static let swiftLibrary: Result<String, Error> = Result {
        let root = try buildRoot.get()
        let package = root + "/KitAcme"
        let fm = FileManager.default
        try fm.createDirectory(atPath: package + "/Sources/KitAcme", withIntermediateDirectories: true)
        let kit = IntegrationPaths.packageRoot
        let manifest = try String(contentsOfFile: fixtures + "/AcmeSwift/Package.swift.fixture", encoding: .utf8)
            .replacingOccurrences(of: "@KIT_PATH@", with: kit)
            .replacingOccurrences(of: "@KIT_PACKAGE@", with: URL(fileURLWithPath: kit).lastPathComponent.lowercased())
        try manifest.write(toFile: package + "/Package.swift", atomically: true, encoding: .utf8)
        try fm.copyItem(atPath: fixtures + "/AcmeSwift/Sources/KitAcme/Plugin.swift.fixture", toPath: package + "/Sources/KitAcme/Plugin.swift")
        var command = ["swift", "build", "--package-path", package, "--scratch-path", package + "/.build", "--product", "KitAcme"]
        if let lock = ProcessInfo.processInfo.environment["KIT_TEST_BUILD_LOCK"] { command = ["flock", lock] + command }
        let build = try RunningCommand.run("/usr/bin/env", command, cwd: root, environment: ProcessInfo.processInfo.environment,
                                           logDirectory: root, label: "swift build acme", timeout: 1200)
        guard build.status == 0 else { throw IntegrationSetupError("building the Swift acme plugin failed:\n\(build.output)") }
        let bin = try RunningCommand.run("/usr/bin/env", ["swift", "build", "--package-path", package, "--scratch-path", package + "/.build", "--show-bin-path"],
                                         cwd: root, environment: ProcessInfo.processInfo.environment, logDirectory: root, label: "swift bin path")
        let library = (bin.stdout.split(separator: "\n").last.map(String.init) ?? "") + "/libKitAcme.so"
        guard fm.fileExists(atPath: library) else { throw IntegrationSetupError("no '\(library)' after building the Swift acme plugin:\n\(build.output)") }
        return library
    }
}
