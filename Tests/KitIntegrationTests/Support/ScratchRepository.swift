import Foundation

/// A fresh copy of a stack repository in a private temp directory, with its own HOME (holding a
/// `.terraformrc` that turns off the update check), in which the tests run the built kit.
final class ScratchRepository: @unchecked Sendable {
    /// The temp directory holding `repo/`, `home/` and `logs/`.
    let root: String
    /// The repository copy (kit's working directory).
    let repo: String
    let home: String
    let logs: String
    /// Added to the environment of every command (e.g. AWS credentials for the S3 backend).
    var extraEnvironment: [String: String] = [:]

    private init(label: String) throws {
        root = try Self.makeTempDirectory(label)
        repo = root + "/repo"
        home = root + "/home"
        logs = root + "/logs"
        for dir in [repo, home, logs] { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        try "disable_checkpoint = true\n".write(toFile: home + "/.terraformrc", atomically: true, encoding: .utf8)
    }

    /// A copy of `Fixtures/cases`; `@MOTO_ENDPOINT@` in its stacks becomes `motoEndpoint` and
    /// `@AZURE_BLOB_ENDPOINT@` becomes `azureBlobEndpoint`, when given.
    static func cases(_ label: String, motoEndpoint: String? = nil, azureBlobEndpoint: String? = nil) throws -> ScratchRepository {
        let scratch = try ScratchRepository(label: label)
        try copyTree(IntegrationPaths.casesFixture, to: scratch.repo)
        func substitute(_ placeholder: String, _ value: String?, in name: String) throws {
            guard let value else { return }
            let file = scratch.repo + "/stacks/" + name
            let text = try String(contentsOfFile: file, encoding: .utf8)
            try text.replacingOccurrences(of: placeholder, with: value).write(toFile: file, atomically: true, encoding: .utf8)
        }
        try substitute("@MOTO_ENDPOINT@", motoEndpoint, in: "_s3.yaml")
        try substitute("@AZURE_BLOB_ENDPOINT@", azureBlobEndpoint, in: "azure-state.yaml")
        return scratch
    }

    /// A repository written from inline files (repository-relative path → text).
    static func files(_ label: String, _ files: [String: String]) throws -> ScratchRepository {
        let scratch = try ScratchRepository(label: label)
        for (path, text) in files {
            let abs = scratch.repo + "/" + path
            try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: abs).deletingLastPathComponent().path,
                                                    withIntermediateDirectories: true)
            try text.write(toFile: abs, atomically: true, encoding: .utf8)
        }
        return scratch
    }

    /// A copy of the example repository at the package root: `kit.yaml`, `stacks/`, `components/terraform/demo/`.
    static func demo(_ label: String) throws -> ScratchRepository {
        let scratch = try ScratchRepository(label: label)
        let source = IntegrationPaths.packageRoot
        try FileManager.default.copyItem(atPath: source + "/kit.yaml", toPath: scratch.repo + "/kit.yaml")
        try copyTree(source + "/stacks", to: scratch.repo + "/stacks")
        try FileManager.default.createDirectory(atPath: scratch.repo + "/components/terraform", withIntermediateDirectories: true)
        try copyTree(source + "/components/terraform/demo", to: scratch.repo + "/components/terraform/demo")
        return scratch
    }

    /// The environment kit runs with: nothing inherited but PATH (terraform's directory first), a
    /// private HOME, the update check off, and `extraEnvironment`.
    func environment(terraform: String?) -> [String: String] {
        var path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        var env: [String: String] = ["HOME": home, "CHECKPOINT_DISABLE": "1", "TMPDIR": root, "NO_COLOR": "1"]
        if let terraform {
            path = URL(fileURLWithPath: terraform).deletingLastPathComponent().path + ":" + path
            env["KIT_COMPONENTS_TERRAFORM_COMMAND"] = terraform
        }
        env["PATH"] = path
        for (k, v) in extraEnvironment { env[k] = v }
        return env
    }

    /// Runs `kit <arguments>` in the repository with the test terraform and waits for it.
    func kit(_ arguments: [String], timeout: Double = 120) throws -> CommandResult {
        try startKit(arguments).wait(timeout: timeout)
    }

    /// Starts `kit <arguments>` in the repository with the test terraform; `blockedSignals` are
    /// blocked in kit's inherited signal mask.
    func startKit(_ arguments: [String], blockedSignals: [Int32] = []) throws -> RunningCommand {
        try RunningCommand(try IntegrationPaths.kitBinary(), arguments, cwd: repo,
                           environment: environment(terraform: try IntegrationPaths.terraform()),
                           logDirectory: logs, label: "kit " + arguments.joined(separator: " "), blockedSignals: blockedSignals)
    }

    /// Runs `kit <arguments>` without terraform on PATH (for `--dry-run`, which must not need it).
    func kitWithoutTerraform(_ arguments: [String]) throws -> CommandResult {
        try RunningCommand.run(try IntegrationPaths.kitBinary(), arguments, cwd: repo, environment: environment(terraform: nil),
                               logDirectory: logs, label: "kit " + arguments.joined(separator: " "))
    }

    /// An absolute path inside the repository.
    func path(_ relative: String) -> String { repo + "/" + relative }

    /// True when the file exists in the repository.
    func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: path(relative)) }

    /// Permission bits of a repository file.
    func mode(_ relative: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path(relative))
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    /// Every file under the repository (relative paths), sorted.
    func allFiles() -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: repo) else { return [] }
        var files: [String] = []
        while let name = walker.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: repo + "/" + name, isDirectory: &isDir), !isDir.boolValue { files.append(name) }
        }
        return files.sorted()
    }

    /// The workspace terraform selected for a (stack, component) pair, from its TF_DATA_DIR.
    func selectedWorkspace(stack: String, component: String) throws -> String {
        let file = path(".kit/terraform/\(stack)/\(component)/data/environment")
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw IntegrationSetupError("no workspace recorded at '\(file)' — kit did not use TF_DATA_DIR=.kit/terraform/\(stack)/\(component)/data")
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Deletes the temp directory (kept when `KIT_TEST_KEEP=1`, to look at a failure).
    func remove() {
        if ProcessInfo.processInfo.environment["KIT_TEST_KEEP"] == "1" { return }
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Names never copied from a source tree: what kit and terraform generate there.
    static func isGenerated(_ name: String) -> Bool {
        [".terraform", ".kit", ".build", "backend.tf.json", "providers_override.tf.json", "terraform_override.tf.json",
         ".terraform.lock.hcl"].contains(name) ||
            name.hasSuffix(".planfile") || name.hasSuffix(".terraform.tfvars.json") || name.hasSuffix(".tfstate") ||
            name.hasSuffix(".tfstate.backup") || name.contains(".kit-tmp-")
    }

    /// Copies a directory tree, leaving out generated files.
    static func copyTree(_ source: String, to destination: String) throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: destination, withIntermediateDirectories: true)
        for name in try fm.contentsOfDirectory(atPath: source) where !isGenerated(name) {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: source + "/" + name, isDirectory: &isDir) else { continue }
            if isDir.boolValue {
                try copyTree(source + "/" + name, to: destination + "/" + name)
            } else {
                try fm.copyItem(atPath: source + "/" + name, toPath: destination + "/" + name)
            }
        }
    }

    static func makeTempDirectory(_ label: String) throws -> String {
        var tmp = NSTemporaryDirectory()
        while tmp.count > 1 && tmp.hasSuffix("/") { tmp.removeLast() }
        var template = Array((tmp + "/kit-it-\(label)-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw IntegrationSetupError("mkdtemp failed in '\(tmp)'")
        }
        // Resolve symlinks so paths kit prints match the ones the tests compute.
        return URL(fileURLWithPath: String(cString: made)).resolvingSymlinksInPath().path
    }
}

/// A terraform state file (format version 4), read as JSON.
struct TerraformStateFile {
    let json: [String: Any]

    /// Reads the file; throws with the path when it is missing or not JSON.
    init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw IntegrationSetupError("state file '\(path)' does not exist")
        }
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw IntegrationSetupError("state file '\(path)' is not a JSON object")
        }
        json = object
    }

    /// `type.name` of every managed resource.
    var resourceAddresses: [String] {
        ((json["resources"] as? [[String: Any]]) ?? []).compactMap { r in
            guard let type = r["type"] as? String, let name = r["name"] as? String else { return nil }
            return "\(type).\(name)"
        }.sorted()
    }

    /// An output's value.
    func output(_ name: String) -> Any? { ((json["outputs"] as? [String: Any])?[name] as? [String: Any])?["value"] }
}
