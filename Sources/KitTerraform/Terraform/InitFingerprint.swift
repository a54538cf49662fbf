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
            for line in bytes.split(separator: 10) where relevant(line) {
                h.update(Array(line))
                h.update([10])
            }
        }
        return h.finalizeHex()
    }

    /// The words that make a line count. Searched as bytes: Foundation's `contains` on each line cost
    /// about a millisecond of every plan. (Lines hash as before, so existing fingerprints stay valid.)
    static let words: [[UInt8]] = ["source", "version", "required_providers", "module ", "backend", "cloud"].map { Array($0.utf8) }

    static func relevant(_ line: ArraySlice<UInt8>) -> Bool {
        words.contains { contains(line, $0) }
    }

    static func contains(_ haystack: ArraySlice<UInt8>, _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, haystack.count >= needle.count else { return false }
        var i = haystack.startIndex
        let last = haystack.endIndex - needle.count
        while i <= last {
            if haystack[i] == first {
                var j = 1
                while j < needle.count && haystack[i + j] == needle[j] { j += 1 }
                if j == needle.count { return true }
            }
            i += 1
        }
        return false
    }

    /// The file that records the last successful init's fingerprint.
    public static func file(_ files: WorkingFiles) -> String { files.dataDirectory + "/kit-init.fingerprint" }
}
