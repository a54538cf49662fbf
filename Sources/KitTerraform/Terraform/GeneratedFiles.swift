import Foundation
import KitModel
import KitStacks

/// The files of a component's `generate` section (atmos's format): file name → content, where a string
/// is written as is and a map or list is serialised by the name's extension — `.json`/`.tf.json` (pretty
/// JSON, sorted keys), `.yaml`/`.yml`, `.tf`/`.hcl` (HCL: `variable`/`output`/`provider`/`module` blocks
/// with one label, `resource`/`data` with two, `terraform`/`locals` without, other keys attributes),
/// `.tfvars` (HCL attributes), anything else JSON. Template actions in the strings are rendered with the
/// component's context by the component template pass, as every other section.
///
/// kit writes these files into the pair's working directory before every terraform run (they are part
/// of the init fingerprint), and `kit terraform generate files` writes them into the component folder.
public struct GeneratedFiles: Sendable, Equatable {
    /// One file: its name in the component folder and its content.
    public struct File: Sendable, Equatable {
        public var name: String
        public var content: String
    }

    /// The files, sorted by name.
    public var files: [File]

    /// The names kit writes itself in the working directory; a `generate` entry may not replace them.
    public static let reservedNames: Set<String> = ["backend.tf.json", "providers_override.tf.json", "terraform_override.tf.json", ".terraform"]

    /// Serialises `c.generate`. Throws `TerraformError.generateFailed` naming the stack, component and file.
    public init(component c: ResolvedComponent) throws {
        var out: [File] = []
        for name in c.generate.keys.sorted() {
            func fail(_ message: String) -> TerraformError {
                .generateFailed(component: c.name, stack: c.stackName, stackFile: c.stackFile, file: name, message: message)
            }
            guard !name.isEmpty, !name.contains("/"), name != ".", name != "..", !name.hasPrefix(".terraform") else {
                throw fail("a generated file's name must be a plain file name in the component folder (no '/', no '..')")
            }
            guard !Self.reservedNames.contains(name), !name.hasSuffix(".terraform.tfvars.json"), !name.hasSuffix(".planfile") else {
                throw fail("kit writes this file itself — choose another name")
            }
            let value = c.generate[name]!
            do { out.append(File(name: name, content: try Self.serialise(name: name, value))) } catch let e as Failure {
                throw fail(e.message)
            }
        }
        files = out
    }

    struct Failure: Error { var message: String }

    /// The content of one entry.
    static func serialise(name: String, _ value: Value) throws -> String {
        let lower = name.lowercased()
        switch value {
        case .string(let s): return s
        case .null: throw Failure(message: "the content is empty (null) — give a string, map or list")
        case .int, .double, .bool: return value.interpolated + "\n"
        case .tagged(let tag, _): throw Failure(message: "\(tag) was not evaluated here — generate takes strings, maps and lists")
        case .map, .list: break
        }
        if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") { return YAMLWriter.document(value) }
        if lower.hasSuffix(".tf.json") || lower.hasSuffix(".json") { return JSONWriter.pretty(value) }
        if lower.hasSuffix(".tfvars") {
            guard let m = value.mapValue else { throw Failure(message: "a .tfvars file needs a map of variables, found a \(value.typeName)") }
            return HCLWriter.attributes(m)
        }
        if lower.hasSuffix(".tf") || lower.hasSuffix(".hcl") {
            guard let m = value.mapValue else { throw Failure(message: "a .tf/.hcl file needs a map of blocks, found a \(value.typeName)") }
            return try hcl(m)
        }
        return JSONWriter.pretty(value)
    }

    static let labelCounts: [String: Int] = ["variable": 1, "output": 1, "provider": 1, "module": 1, "resource": 2, "data": 2]
    static let unlabeledBlocks: Set<String> = ["terraform", "locals"]

    /// HCL blocks and attributes from a map, keys sorted.
    static func hcl(_ m: [String: Value]) throws -> String {
        var out: [String] = []
        func body(_ b: [String: Value]) -> String {
            b.keys.sorted().compactMap { k in b[k].map { "  " + HCLWriter.identifier(k) + " = " + HCLWriter.expression($0) } }.joined(separator: "\n")
        }
        func block(_ head: String, _ b: [String: Value]) -> String {
            b.isEmpty ? head + " {}" : head + " {\n" + body(b) + "\n}"
        }
        for key in m.keys.sorted() {
            let v = m[key]!
            guard let inner = v.mapValue else { out.append(HCLWriter.identifier(key) + " = " + HCLWriter.expression(v)); continue }
            if let labels = labelCounts[key] {
                for first in inner.keys.sorted() {
                    guard let firstMap = inner[first]?.mapValue else { throw Failure(message: "block \(key) \(UserText.quoted(first)) needs a map, found a \(inner[first]!.typeName)") }
                    if labels == 1 { out.append(block("\(key) \(HCLWriter.string(first))", firstMap)); continue }
                    for second in firstMap.keys.sorted() {
                        guard let secondMap = firstMap[second]?.mapValue else {
                            throw Failure(message: "block \(key) \(UserText.quoted(first)) \(UserText.quoted(second)) needs a map, found a \(firstMap[second]!.typeName)")
                        }
                        out.append(block("\(key) \(HCLWriter.string(first)) \(HCLWriter.string(second))", secondMap))
                    }
                }
            } else if unlabeledBlocks.contains(key) {
                out.append(block(key, inner))
            } else {
                out.append(HCLWriter.identifier(key) + " = " + HCLWriter.expression(v))
            }
        }
        return out.joined(separator: "\n\n") + "\n"
    }

    /// The run's write steps: each file into terraform's working directory (the pair's own, so stacks
    /// sharing a module never read each other's generated files). Call `init(component:)` first to check.
    public static func writeSteps(_ c: ResolvedComponent, workingDirectory: String) -> [TerraformStep] {
        guard !c.generate.isEmpty, let generated = try? GeneratedFiles(component: c) else { return [] }
        return generated.files.map { .write(path: workingDirectory + "/" + $0.name, content: $0.content, summary: "generate: \($0.name)") }
    }

    /// Writes the files into `directory` (atomically, mode 0644: they are source files of the module).
    public func write(into directory: String) throws {
        for f in files { try AtomicFile.write(f.content, to: directory + "/" + f.name, mode: 0o644) }
    }

    /// Removes the files from `directory`; returns the names that existed.
    public func clean(in directory: String) throws -> [String] {
        var removed: [String] = []
        for f in files where FileManager.default.fileExists(atPath: directory + "/" + f.name) {
            try FileManager.default.removeItem(atPath: directory + "/" + f.name)
            removed.append(f.name)
        }
        return removed
    }
}
