import Synchronization
import KitModel

/// Root modules read from their folders, each once per run: what `describe component` prints as
/// `component_info.terraform_config` and what masking reads for `sensitive = true` (one read serves
/// both).
public final class TerraformModules: Sendable {
    let fileSystem: FileSystem
    private let cache = Mutex<[String: TerraformModule?]>([:])

    public init(fileSystem: FileSystem = LocalFileSystem()) { self.fileSystem = fileSystem }

    /// The module in `folder` (its configuration files at the top level, as terraform reads them);
    /// nil when the folder does not exist. A file that cannot be read is an error in `diagnostics`.
    public func module(at folder: String) -> TerraformModule? {
        if let hit = cache.withLock({ $0[folder] }) { return hit }
        let module = read(folder)
        cache.withLock { $0[folder] = module }
        return module
    }

    private func read(_ folder: String) -> TerraformModule? {
        guard fileSystem.isDirectory(folder) else { return nil }
        let names = TerraformModule.configurationFiles(fileSystem.walk(folder).filter { !$0.contains("/") })
        var files: [(name: String, text: String)] = []
        var unreadable: [TerraformModule.Diagnostic] = []
        for name in names {
            let path = Paths.join(folder, name)
            do {
                let bytes = try fileSystem.readRegularFile(path, limit: InputLimits.standard.maxManifestBytes)
                files.append((name, String(decoding: bytes, as: UTF8.self)))
            } catch {
                unreadable.append(.init(severity: .error, summary: "Failed to read file", detail: "\(UserText.quoted(name)): \(error)"))
            }
        }
        var module = TerraformModule.read(path: folder, files: files)
        module.diagnostics.insert(contentsOf: unreadable, at: 0)
        return module
    }
}
