import KitModel
import KitStacks
/// Local state kept under kit's earlier folder layout, where `/` in stack and component names became
/// `-` (`net/a` and `net-a` shared `.kit/state/<stack>/net-a/`). kit never starts such a pair from
/// empty state silently: when the new folder does not exist yet and the old one holds state, the run
/// stops with the exact commands to move it — or to start empty, when the old folder belongs to the
/// other name.
public enum LegacyStateLayout {
    /// Throws `TerraformError.legacyStateFolder` when `files`' local state still sits in the old folder.
    /// Only for the local backend with kit's default `path`/`workspace_dir`.
    public static func check(_ c: ResolvedComponent, _ files: WorkingFiles, backend: [String: Value],
                             config: KitConfig, fileSystem: FileSystem) throws {
        guard c.backendType == "local", backend["path"] == nil || backend["workspace_dir"] == nil else { return }
        let old = files.legacyLocalStateDirectory, new = files.localStateDirectory
        guard old != new, !fileSystem.isDirectory(new), fileSystem.isDirectory(old) else { return }
        let states = fileSystem.walk(old).filter { $0.hasSuffix(".tfstate") }
        guard !states.isEmpty else { return }
        throw TerraformError.legacyStateFolder(component: c.name, stack: c.stackName,
                                               old: old, new: new)
    }

    /// `'text'` for a POSIX shell (a `'` inside becomes `'\''`).
    static func shellQuoted(_ s: String) -> String { "'" + s.replacingAll("'", with: "'\\''") + "'" }
}
