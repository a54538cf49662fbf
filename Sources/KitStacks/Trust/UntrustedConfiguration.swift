import KitModel
/// What untrusted mode refuses in the repository's kit.yaml / atmos.yaml (rules `no-repository-paths`
/// and `terraform-command`): `stacks.allowed_external_paths`, `plugins.paths`, and a
/// `components.terraform.command` other than `terraform` or `tofu`. Each refusal names the file,
/// line and column of the key.
enum UntrustedConfiguration {
    static func check(_ root: Value, files: [String], fileSystem: FileSystem, environment: [String: String]) throws {
        for path in [["stacks", "allowed_external_paths"], ["plugins", "paths"]] {
            if let v = root.value(at: path), !v.isNull, v.listValue?.isEmpty != true {
                throw UntrustedRefusal(rule: .noRepositoryPaths,
                                       what: "the repository's configuration sets '\(path.joined(separator: "."))' — in untrusted mode kit reads only the repository and loads only installed plugins (set KIT_PLUGIN_PATH or KIT_STACKS_ALLOWED_EXTERNAL_PATHS in the job instead)",
                                       location: locate(path, files: files, fileSystem: fileSystem))
            }
        }
        for key in (root["env"]?.mapValue ?? [:]).keys.sorted() where ComponentResolver.controlsTheBinary(key) {
            throw UntrustedRefusal(rule: .terraformCommand,
                                   what: "the configuration's 'env' sets \(UserText.quoted(key)), which chooses or changes the terraform binary that runs",
                                   location: locate(["env", key], files: files, fileSystem: fileSystem))
        }
        let commandPath = ["components", "terraform", "command"]
        for key in ["KIT_COMPONENTS_TERRAFORM_COMMAND", "ATMOS_COMPONENTS_TERRAFORM_COMMAND"] {
            if let c = environment[key], !c.isEmpty {
                guard TrustPolicy.allowedCommands.contains(c) else {
                    throw UntrustedRefusal(rule: .terraformCommand, what: "\(key) is \(UserText.quoted(c)); use 'terraform' or 'tofu' on PATH")
                }
                return
            }
        }
        if let v = root.value(at: commandPath), !v.isNull {
            let c = v.interpolated
            if !c.isEmpty && !TrustPolicy.allowedCommands.contains(c) {
                throw UntrustedRefusal(rule: .terraformCommand, what: "'components.terraform.command' is \(UserText.quoted(c)); use 'terraform' or 'tofu' on PATH",
                                       location: locate(commandPath, files: files, fileSystem: fileSystem))
            }
        }
    }

    /// The file (the last that sets it) and position of `path`.
    static func locate(_ path: [String], files: [String], fileSystem: FileSystem) -> SourceLocation? {
        for file in files.reversed() {
            guard let bytes = try? fileSystem.readRegularFile(file, limit: InputLimits.standard.maxManifestBytes),
                  let parsed = try? bytes.withUnsafeBytes({ try YAMLParser.parse(bytes: $0, recordMarks: true) }),
                  parsed.value.value(at: path) != nil else { continue }
            return SourceLocation(file: file, mark: parsed.marks[ValuePath.key(path)])
        }
        return files.last.map { SourceLocation(file: $0) }
    }
}
