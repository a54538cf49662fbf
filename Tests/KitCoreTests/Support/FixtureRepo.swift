import Foundation
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

/// A throwaway stack repository written from inline strings into a unique temporary directory
/// (below `sessionRoot`, which is deleted when the test process exits).
///
/// `files` maps repository-relative paths (`stacks/deploy/dev.yaml`, `components/terraform/vpc/main.tf`)
/// to their text. Unless `files` contains its own `kit.yaml` (or `atmos.yaml`), a `kit.yaml` is
/// written from `FixtureRepo.kitYAML(...)`.
struct FixtureRepo {
    /// Absolute path of the repository root.
    let root: String

    /// The directory holding every fixture of this test process; removed when the process exits.
    static let sessionRoot: String = {
        var template = Array((NSTemporaryDirectory() + "/kit-fixtures-XXXXXX").utf8CString)
        let dir = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        let path = Paths.normalize(dir.map { String(cString: $0) } ?? NSTemporaryDirectory() + "/kit-fixtures")
        atexit { try? FileManager.default.removeItem(atPath: FixtureRepo.sessionRoot) }
        return path
    }()

    init(_ files: [String: String], kitYAML: String? = FixtureRepo.kitYAML()) throws {
        var template = Array((Self.sessionRoot + "/repo-XXXXXX").utf8CString)
        guard let dir = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw CocoaError(.fileWriteUnknown)
        }
        root = Paths.normalize(String(cString: dir))
        var all = files
        if let kitYAML, files["kit.yaml"] == nil, files["atmos.yaml"] == nil { all["kit.yaml"] = kitYAML }
        for (path, text) in all { try write(path, text) }
    }

    /// The default kit.yaml: stacks under `stacks/`, top-level manifests matched by `included`.
    static func kitYAML(included: [String] = ["deploy/**/*"], excluded: [String] = ["**/_defaults.yaml"],
                        extra: String = "") -> String {
        """
        base_path: .
        stacks:
          base_path: stacks
          included_paths: [\(included.map { "\"\($0)\"" }.joined(separator: ", "))]
          excluded_paths: [\(excluded.map { "\"\($0)\"" }.joined(separator: ", "))]
        components:
          terraform:
            base_path: components/terraform
        \(extra)
        """
    }

    /// Writes (or overwrites) one file below the root, creating directories.
    func write(_ path: String, _ text: String) throws {
        let abs = root + "/" + path
        try FileManager.default.createDirectory(atPath: Paths.dirname(abs), withIntermediateDirectories: true)
        try text.write(toFile: abs, atomically: true, encoding: .utf8)
    }

    /// The configuration kit loads when run from the repository root.
    func config(environment: [String: String] = [:], directory: String = "") throws -> KitConfig {
        try ConfigLoader(environment: environment, workingDirectory: directory.isEmpty ? root : root + "/" + directory).load()
    }

    /// The stack catalog for this repository.
    func catalog(environment: [String: String] = [:]) throws -> StackCatalog {
        try StackCatalog(config: config(environment: environment), templates: GoTemplateRendering(environment: environment))
    }

    /// Shorthand: resolves `component` in `stack`.
    func component(_ component: String, _ stack: String) throws -> ResolvedComponent {
        try catalog().find(component: component, stack: stack)
    }
}

/// The error a throwing expression raised, for asserting on its case and message.
func caught(_ body: () throws -> Void) -> Error? {
    do { try body(); return nil } catch { return error }
}

/// The `Value` at a dotted path of a map (`"test.a"`), for terse expectations.
extension Dictionary where Key == String, Value == KitCore.Value {
    subscript(path path: String) -> KitCore.Value? {
        KitCore.Value.map(self).value(at: path.split(separator: ".").map(String.init))
    }
}

extension KitCore.Value: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: KitCore.Value...) { self = .list(elements) }
    public init(dictionaryLiteral elements: (String, KitCore.Value)...) {
        self = .map(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    public init(nilLiteral: ()) { self = .null }
}
