#if canImport(Glibc)
import Glibc
#endif
import KitModel
import KitStacks

/// The varfile and planfile of a (stack, component) sit in the shared component folder under the
/// stem `<stack>-<component>`, as atmos names them. The stem is not injective — stack `a-b` with
/// component `c` and stack `a` with component `b-c` share it — so the first pair to run claims its stem
/// (`.kit/claims/<encoded varfile path>`, created exclusively), and another pair that would write the
/// same files is refused with an error naming both instead of reading or applying the other's plan.
public struct FileNameClaims: Sendable {
    public let config: KitConfig

    public init(config: KitConfig) { self.config = config }

    /// The claim file for `files`' varfile.
    func claimPath(_ files: WorkingFiles) -> String {
        config.stateDirectory + "/claims/" + PathName.encode(Paths.relative(files.varfile, to: config.basePath))
    }

    /// Claims the stem of `files` for (stack, component), or throws when another pair holds it.
    public func claim(_ files: WorkingFiles, stack: String, component: String) throws {
        let path = claimPath(files)
        let identity = "\(stack)\n\(component)\n"
        try? AtomicFile.makeDirectories(Paths.dirname(path))
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        if fd >= 0 {
            _ = identity.withCString { write(fd, $0, strlen($0)) }
            close(fd)
            return
        }
        guard errno == EEXIST, let bytes = try? LocalFileSystem().readRegularFile(path, limit: 1 << 16) else { return }
        let held = String(decoding: bytes, as: UTF8.self)
        guard held != identity else { return }
        let parts = held.split(separator: "\n", omittingEmptySubsequences: false)
        let otherStack = parts.count > 0 ? String(parts[0]) : "?"
        let otherComponent = parts.count > 1 ? String(parts[1]) : "?"
        throw TerraformError.sharedFileNames(
            file: Paths.relative(files.varfile, to: config.basePath),
            component: component, stack: stack, otherComponent: otherComponent, otherStack: otherStack,
            claim: Paths.relative(path, to: config.basePath))
    }
}
