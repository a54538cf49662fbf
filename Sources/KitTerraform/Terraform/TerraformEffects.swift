#if canImport(Glibc)
import Glibc
#endif
import KitModel
import KitStacks

/// A lock held for the length of a run; released by `release()`.
public protocol HeldLock: Sendable {
    /// A descriptor children keep open so the lock outlives a killed kit (-1 when there is none).
    var descriptor: Int32 { get }
    func release()
}

/// Everything a terraform run does to the world besides spawning processes: files it writes, links,
/// removes and locks, and the interrupts it watches. Injected into `TerraformRunner` so its gating
/// logic is tested without touching the disk (`Tests/KitCoreTests/Terraform/TerraformRunnerTests`).
public protocol RunEffects: Sendable {
    /// Writes `text` atomically (temporary file + rename) with `mode`, creating parent folders 0700.
    func write(_ text: String, to path: String, mode: mode_t) throws
    /// Removes a file if it exists.
    func remove(_ path: String)
    /// `mkdir -p` with owner-only folders.
    func makeDirectories(_ path: String) throws
    /// Creates or refreshes the pair's working directory.
    func sync(_ mirror: ModuleMirror) throws
    /// Takes the pair's exclusive run lock, calling `waiting` once when another run holds it.
    func lockPair(_ directory: String, waiting: () -> Void) throws -> HeldLock
    /// Takes the shared init lock of a plugin cache (blocking), for one init.
    func lockInit(cache: String) throws -> HeldLock
    /// Makes state files below `directory` owner-only.
    func restrictStateFiles(in directory: String)
    /// Makes an existing file owner-only.
    func restrict(_ path: String)
    /// SIGINT/SIGTERM received so far.
    var interrupts: Int { get }
    /// Why writing `path` would be redirected (a symlink, a hard link), or nil (see `WriteTargets`).
    func redirection(at path: String) -> String?
}

extension RunEffects {
    /// The local disk's answer.
    public func redirection(at path: String) -> String? { WriteTargets.redirection(at: path) }
}

/// The real effects: the local disk, `flock`, and the process-wide interrupt counter.
public struct LocalRunEffects: RunEffects {
    public init() {}

    public func write(_ text: String, to path: String, mode: mode_t) throws { try AtomicFile.write(text, to: path, mode: mode) }
    public func remove(_ path: String) { AtomicFile.remove(path) }
    public func makeDirectories(_ path: String) throws { try AtomicFile.makeDirectories(path) }
    public func sync(_ mirror: ModuleMirror) throws { try mirror.sync() }
    public func lockPair(_ directory: String, waiting: () -> Void) throws -> HeldLock {
        try FileLock.acquire(directory + "/run.lock", waiting: waiting)
    }
    public func lockInit(cache: String) throws -> HeldLock {
        try AtomicFile.makeDirectories(cache)
        return try FileLock.acquire(cache + "/.kit-init.lock", waiting: {})
    }
    public func restrictStateFiles(in directory: String) {
        for name in LocalFileSystem().walk(directory) where name.hasSuffix(".tfstate") || name.hasSuffix(".tfstate.backup") {
            chmod(directory + "/" + name, 0o600)
        }
    }
    public func restrict(_ path: String) { chmod(path, 0o600) }
    public var interrupts: Int { Interrupts.received }
}

/// An exclusive `flock` on a file, held until `release()`.
public struct FileLock: HeldLock {
    public let descriptor: Int32

    /// Takes the lock, calling `waiting` once if another process holds it, then blocking until it is free.
    public static func acquire(_ path: String, waiting: () -> Void) throws -> FileLock {
        try AtomicFile.makeDirectories(Paths.dirname(path))
        let fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw POSIXFailure(errno: errno, path: path) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            waiting()
            while flock(fd, LOCK_EX) != 0 && errno == EINTR {}
        }
        return FileLock(descriptor: fd)
    }

    public func release() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
