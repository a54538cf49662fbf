import Foundation
import KitCore
import KitPluginSDK
import Testing

@Suite("plugin loader refusals", .serialized)
struct LoaderRefusalTests {
    /// Loads the single plugin in `dir` and returns the refusal.
    func refusal(_ dir: String, pins: [String: String] = [:]) -> PluginLoadError? {
        do {
            _ = try LoaderFixtures.load([dir], pins: pins)
            return nil
        } catch let error as PluginLoadError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test func wrongMagic() throws {
        let dir = try LoaderFixtures.makeTempDir("magic")
        let path = try LoaderFixtures.compileCPlugin(name: "KitMagic", in: dir, defines: ["FIXTURE_MAGIC=0x1234ULL"])
        let error = refusal(dir)
        #expect(error == .badMagic(path: path, found: 0x1234))
        #expect(error?.description == "plugin '\(path)' exports 'kit_plugin_v1' but its table has magic 0x1234, not 'KITPLUG1' — it is not a kit plugin")
    }

    @Test func wrongABIMajor() throws {
        let dir = try LoaderFixtures.makeTempDir("major")
        let path = try LoaderFixtures.compileCPlugin(name: "KitGCP", in: dir, defines: ["FIXTURE_ABI_MAJOR=2"])
        let error = refusal(dir)
        #expect(error == .abiMajorMismatch(path: path, found: 2, expected: 1))
        #expect(error?.description == "plugin '\(path)' speaks plugin ABI 2; this kit speaks ABI 1 — upgrade kit or rebuild the plugin against KitPluginSDK 1.x")
    }

    @Test func tooSmallStructSize() throws {
        let dir = try LoaderFixtures.makeTempDir("size")
        let path = try LoaderFixtures.compileCPlugin(name: "KitSmall", in: dir, defines: ["FIXTURE_STRUCT_SIZE=24"])
        let error = refusal(dir)
        #expect(error == .structTooSmall(path: path, found: 24, minimum: PluginLibrary.minimumTableSize))
        #expect(error?.description == "plugin '\(path)' declares a 24-byte table; ABI 1 needs at least \(PluginLibrary.minimumTableSize) bytes — rebuild the plugin against KitPluginSDK 1.x")
    }

    @Test func notAnELFFile() throws {
        let dir = try LoaderFixtures.makeTempDir("notelf")
        let path = dir + "/libKitText.so"
        try "#!/bin/sh\necho hi\n".write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o644)
        let error = refusal(dir)
        #expect(error == .notELF(path: path))
        #expect(error?.description == "plugin '\(path)' is not an ELF shared library — build it as a '.dynamic' library product and put the '.so' here")
    }

    @Test func executableIsNotASharedObject() throws {
        let dir = try LoaderFixtures.makeTempDir("exec")
        let source = dir + "/main.c"
        try "int main(void) { return 0; }\n".write(toFile: source, atomically: true, encoding: .utf8)
        let path = dir + "/libKitExe.so"
        let (status, log) = try LoaderFixtures.run("/usr/bin/env", ["cc", "-no-pie", source, "-o", path])
        try #require(status == 0, "\(log)")
        try FileManager.default.removeItem(atPath: source)
        #expect(refusal(dir) == .notSharedObject(path: path, elfType: 2))
    }

    /// Compiles the C fixture, then overwrites header bytes at `offset`.
    func patchedPlugin(_ name: String, offset: Int, bytes: [UInt8]) throws -> (dir: String, path: String) {
        let dir = try LoaderFixtures.makeTempDir(name)
        let path = try LoaderFixtures.compileCPlugin(name: name, in: dir)
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        data.replaceSubrange(offset..<(offset + bytes.count), with: bytes)
        try data.write(to: URL(fileURLWithPath: path))
        chmod(path, 0o755)
        return (dir, path)
    }

    @Test func otherMachine() throws {
        let aarch64: UInt16 = PluginFileCheck.hostMachine == 183 ? 62 : 183
        let (dir, path) = try patchedPlugin("KitArm", offset: 18, bytes: [UInt8(aarch64 & 0xff), UInt8(aarch64 >> 8)])
        let error = refusal(dir)
        #expect(error == .wrongMachine(path: path, found: Int(aarch64), expected: PluginFileCheck.hostMachine))
        #expect(error?.description.hasPrefix("plugin '\(path)' is built for ELF machine \(aarch64) (") == true)
        #expect(error?.description.hasSuffix("— rebuild it for this machine") == true)
    }

    @Test func thirtyTwoBitELF() throws {
        let (dir, path) = try patchedPlugin("Kit32", offset: 4, bytes: [1])
        let error = refusal(dir)
        #expect(error == .notELF64(path: path))
        #expect(error?.description == "plugin '\(path)' is a 32-bit ELF file; this kit loads 64-bit shared libraries only — rebuild it for 64-bit")
    }

    @Test func worldWritableFile() throws {
        let dir = try LoaderFixtures.makeTempDir("writable")
        let path = try LoaderFixtures.compileCPlugin(name: "KitOpen", in: dir)
        chmod(path, 0o666)
        let error = refusal(dir)
        #expect(error == .writableByOthers(path: path, target: path, isDirectory: false, who: "group and others", mode: 0o100666))
        #expect(error?.description == "plugin '\(path)' refused: the file is writable by group and others (mode 666) — run 'chmod go-w \(path)'")
    }

    @Test func groupWritableDirectory() throws {
        let dir = try LoaderFixtures.makeTempDir("writabledir")
        let path = try LoaderFixtures.compileCPlugin(name: "KitDir", in: dir)
        chmod(path, 0o755)
        chmod(dir, 0o775)
        let error = refusal(dir)
        #expect(error?.description == "plugin '\(path)' refused: its directory '\(dir)' is writable by group (mode 775) — run 'chmod go-w \(dir)'")
    }

    @Test func sha256PinMismatchAndMatch() throws {
        let dir = try LoaderFixtures.makeTempDir("pin")
        let path = try LoaderFixtures.compileCPlugin(name: "KitPinned", in: dir, defines: [#"FIXTURE_NAME="pinned""#])
        let actual = try PluginFileCheck.sha256(path: path, display: path)
        let wrong = String(repeating: "0", count: 64)
        let error = refusal(dir, pins: ["pinned": wrong])
        #expect(error == .pinMismatch(path: path, name: "pinned", expected: wrong, actual: actual))
        #expect(error?.description == "plugin '\(path)' has sha256 '\(actual)' but kit.yaml pins 'pinned' to '\(wrong)' — check where the file came from, then update 'plugins.pins.pinned'")
        #expect(try LoaderFixtures.load([dir], pins: ["pinned": actual.uppercased()]).plugins.map(\.name) == ["pinned"])
    }

    @Test func toolchainGateForPluginsSharingTheSwiftRuntime() throws {
        let dir = try LoaderFixtures.makeTempDir("toolchain")
        let runtime = try LoaderFixtures.swiftRuntimeDirectory()
        let path = try LoaderFixtures.compileCPlugin(
            name: "KitOldSwift", in: dir, defines: [#"FIXTURE_SWIFT_VERSION="5.9""#, #"FIXTURE_NAME="oldswift""#],
            extraFlags: ["-L", runtime, "-Wl,--no-as-needed", "-lswiftCore", "-Wl,-rpath," + runtime])
        let error = refusal(dir)
        #expect(error == .toolchainMismatch(path: path, found: "5.9", expected: SwiftToolchain.version))
        #expect(error?.description == "plugin '\(path)' was built with Swift '5.9' and shares kit's Swift runtime; this kit was built with Swift '\(SwiftToolchain.version)' — rebuild the plugin with Swift \(SwiftToolchain.version), or build it self-contained with '-static-stdlib'")
    }

    @Test func selfContainedPluginIsExemptFromTheToolchainGate() throws {
        let dir = try LoaderFixtures.makeTempDir("exempt")
        _ = try LoaderFixtures.compileCPlugin(name: "KitStatic", in: dir, defines: [#"FIXTURE_SWIFT_VERSION="5.9""#, #"FIXTURE_NAME="static""#])
        #expect(try LoaderFixtures.load([dir]).plugins.map(\.swiftVersion) == ["5.9"])
    }
}
