import KitPluginSDK
import KitModel
import KitStacks
/// Decides whether `terraform init` can be skipped: the fingerprint covers the terraform command, the
/// backend (type and values), the provider overrides, the dependency lock file, and every line of the
/// root module's `*.tf`/`*.tf.json` files that declares a provider requirement or a module source.
/// It is stored in the pair's data directory after a successful init; deleting that directory forces init.
public enum InitFingerprint {
    /// The fingerprint for a sequence about to run.
    public static func compute(_ seq: CommandSequence, fileSystem: FileSystem) -> String {
        var h = SHA256()
        h.update(Array("command=\(seq.command)\n".utf8))
        for step in seq.steps {
            if case .write(let path, let content, _) = step, !path.hasSuffix(".tfvars.json") {
                h.update(Array("file=\(Paths.basename(path))\n".utf8))
                h.update(Array(content.utf8))
            }
        }
        let dir = seq.moduleDirectory
        if let lock = (try? fileSystem.read(seq.workingDirectory + "/.terraform.lock.hcl")) ?? (try? fileSystem.read(dir + "/.terraform.lock.hcl")) {
            h.update(lock)
        }
        for name in (fileSystem.walk(dir).filter { !$0.contains("/") && ($0.hasSuffix(".tf") || $0.hasSuffix(".tf.json")) }).sorted() {
            guard !name.hasSuffix("_override.tf.json"), name != "backend.tf.json",
                  let bytes = try? fileSystem.read(dir + "/" + name) else { continue }
            h.update(Array("tf=\(name)\n".utf8))
            for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") where relevant(line) {
                h.update(Array(line.utf8))
                h.update([10])
            }
        }
        return h.finalizeHex()
    }

    static func relevant(_ line: Substring) -> Bool {
        line.contains("source") || line.contains("version") || line.contains("required_providers") ||
            line.contains("module ") || line.contains("backend") || line.contains("cloud")
    }

    /// The file that records the last successful init's fingerprint.
    public static func file(_ files: WorkingFiles) -> String { files.dataDirectory + "/kit-init.fingerprint" }
}
