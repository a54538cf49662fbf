#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KitModel
import KitStacks

/// Protects the local backend's state, whose location kit chose, against a disk that fills up while
/// terraform writes it (terraform then leaves cut-off JSON, and every later run fails).
///
/// Before a run that can write the state, kit keeps a verified copy — written, fsync'd, read back and
/// compared — in `.kit/backups/<stack>/<component>/<workspace>/terraform.tfstate`, and refuses an
/// apply when the state's file system has less than 4 × the state's size + 64 KiB free. After the run,
/// a state that no longer parses as JSON is replaced by the copy (atomically, fsync'd) and the run
/// fails saying so. `kit state recover` does the same by hand.
public struct LocalStateGuard: Sendable {
    /// terraform's state file for the pair's workspace.
    public var statePath: String
    /// kit's verified copy of it.
    public var backupPath: String
    /// Where terraform writes the state it could not persist (`errored.tfstate` in its working directory).
    public var erroredPath: String
    public var component: String
    public var stack: String

    /// The guard for `c`'s local state, or nil when the component does not use the local backend.
    public init?(_ c: ResolvedComponent, config: KitConfig) {
        guard c.backendType == "local" else { return nil }
        statePath = ReferenceResolver.localStatePath(c, config: config)
        erroredPath = WorkingFiles(component: c, config: config).workingDirectory + "/errored.tfstate"
        let ws = c.workspace.isEmpty ? "default" : c.workspace
        backupPath = Paths.join(config.stateDirectory, "backups/\(PathName.encode(c.stackName))/\(PathName.encode(c.name))/\(PathName.encode(ws))/terraform.tfstate")
        component = c.name
        stack = c.stackName
    }

    /// Subcommands that can write the state.
    public static func writesState(_ inv: TerraformInvocation) -> Bool {
        inv.subcommand.writesLocalState
    }

    /// Subcommands refused on a nearly full disk.
    static func applies(_ inv: TerraformInvocation) -> Bool { inv.subcommand.applies }

    /// Before any run: refuses a state that is already damaged; before a run that can write the state,
    /// also an apply on a nearly full disk, and a run whose copy cannot be kept.
    public func before(_ inv: TerraformInvocation, freeBytes: (String) -> Int64? = LocalStateGuard.freeBytes) throws {
        guard let bytes = FileManager.default.contents(atPath: statePath).map({ [UInt8]($0) }) else { return }   // no state yet
        guard Self.parses(bytes) else { throw LocalStateError.damagedBefore(state: statePath, backup: backupPath, component: component, stack: stack) }
        guard Self.writesState(inv) else { return }
        if Self.applies(inv), let free = freeBytes(Paths.dirname(statePath)) {
            let needed = 4 * Int64(bytes.count) + 64 * 1024
            if free < needed {
                throw LocalStateError.lowSpace(state: statePath, free: free, needed: needed, component: component, stack: stack)
            }
        }
        do { try Self.writeVerified(bytes, to: backupPath) } catch {
            throw LocalStateError.backupFailed(backup: backupPath, reason: "\(error)", component: component, stack: stack)
        }
    }

    /// After the run: when the state no longer parses, restores the newest good state and throws
    /// saying so — terraform's `errored.tfstate` (the state it could not persist) when it is a newer
    /// serial of the same lineage, else kit's copy from before the run.
    public func after(_ inv: TerraformInvocation) throws {
        guard Self.writesState(inv), let bytes = FileManager.default.contents(atPath: statePath).map({ [UInt8]($0) }), !Self.parses(bytes) else { return }
        guard let (source, good) = newestGood() else {
            throw LocalStateError.damagedNoBackup(state: statePath, component: component, stack: stack)
        }
        do { try Self.writeVerified(good, to: statePath) } catch {
            throw LocalStateError.restoreFailed(state: statePath, backup: source, reason: "\(error)", component: component, stack: stack)
        }
        throw LocalStateError.restored(state: statePath, backup: source, damagedBytes: bytes.count, component: component, stack: stack)
    }

    /// The newest state kit can restore: `errored.tfstate` when it parses and is a newer serial of the
    /// copy's lineage (or there is no copy), else kit's copy.
    func newestGood() -> (path: String, bytes: [UInt8])? {
        func read(_ p: String) -> ([UInt8], [String: Any])? {
            guard let b = FileManager.default.contents(atPath: p).map({ [UInt8]($0) }),
                  let o = try? JSONSerialization.jsonObject(with: Data(b)) as? [String: Any] else { return nil }
            return (b, o)
        }
        let copy = read(backupPath), errored = read(erroredPath)
        if let (eb, eo) = errored {
            guard let (_, co) = copy else { return (erroredPath, eb) }
            let sameLineage = (eo["lineage"] as? String) == (co["lineage"] as? String)
            if sameLineage, ((eo["serial"] as? Int) ?? 0) > ((co["serial"] as? Int) ?? 0) { return (erroredPath, eb) }
        }
        return copy.map { (backupPath, $0.0) }
    }

    /// `kit state recover`: restores the newest good state (see `newestGood`) when the state is missing
    /// or damaged; a state that parses and differs is replaced only with `force`. Returns what was done.
    public func recover(force: Bool) throws -> String {
        guard let (source, copy) = newestGood() else {
            throw LocalStateError.noBackup(backup: backupPath, component: component, stack: stack)
        }
        let current = FileManager.default.contents(atPath: statePath).map { [UInt8]($0) }
        if let current, current == copy { return "the state '\(statePath)' already equals kit's copy; nothing to do" }
        if let current, Self.parses(current), !force {
            throw LocalStateError.stateIsValid(state: statePath, backup: backupPath, component: component, stack: stack)
        }
        try Self.writeVerified(copy, to: statePath)
        return "restored '\(statePath)' from '\(source)' (\(copy.count) bytes)"
    }

    /// True when `bytes` is a JSON object (terraform's state document).
    static func parses(_ bytes: [UInt8]) -> Bool {
        guard !bytes.isEmpty, let object = try? JSONSerialization.jsonObject(with: Data(bytes)) else { return false }
        return object is [String: Any]
    }

    /// Writes `bytes` to a temporary file beside `path`, fsyncs it, reads it back and compares, then
    /// renames it over `path` and fsyncs the folder. Mode 0600, folders 0700; links are not followed.
    static func writeVerified(_ bytes: [UInt8], to path: String) throws {
        try AtomicFile.makeDirectories(Paths.dirname(path))
        let tmp = path + ".kit-tmp-\(getpid())"
        unlink(tmp)
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw POSIXFailure(errno: errno, path: tmp) }
        var done = 0
        var failure: Int32 = 0
        bytes.withUnsafeBytes { buf in
            while done < buf.count {
                let n = write(fd, buf.baseAddress! + done, buf.count - done)
                if n < 0 { if errno == EINTR { continue }; failure = errno; break }
                done += n
            }
        }
        if failure == 0 && fsync(fd) != 0 { failure = errno }
        close(fd)
        guard failure == 0 else { unlink(tmp); throw POSIXFailure(errno: failure, path: tmp) }
        guard FileManager.default.contents(atPath: tmp).map({ [UInt8]($0) }) == bytes else {
            unlink(tmp)
            throw POSIXFailure(errno: EIO, path: tmp)
        }
        guard rename(tmp, path) == 0 else { let e = errno; unlink(tmp); throw POSIXFailure(errno: e, path: path) }
        let dir = open(Paths.dirname(path), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dir >= 0 { fsync(dir); close(dir) }
    }

    /// Bytes available to unprivileged users on the file system holding `folder`.
    public static func freeBytes(_ folder: String) -> Int64? {
        var st = statvfs()
        guard statvfs(folder, &st) == 0 else { return nil }
        return Int64(st.f_bavail) * Int64(st.f_frsize)
    }
}

/// What the state guard refuses or reports.
public enum LocalStateError: Error, Equatable, Sendable, CustomStringConvertible {
    case damagedBefore(state: String, backup: String, component: String, stack: String)
    case lowSpace(state: String, free: Int64, needed: Int64, component: String, stack: String)
    case backupFailed(backup: String, reason: String, component: String, stack: String)
    case restored(state: String, backup: String, damagedBytes: Int, component: String, stack: String)
    case damagedNoBackup(state: String, component: String, stack: String)
    case restoreFailed(state: String, backup: String, reason: String, component: String, stack: String)
    case noBackup(backup: String, component: String, stack: String)
    case stateIsValid(state: String, backup: String, component: String, stack: String)

    public var description: String {
        func pair(_ c: String, _ s: String) -> String { "component \(UserText.quoted(c)) in stack \(UserText.quoted(s))" }
        switch self {
        case .damagedBefore(let state, let backup, let c, let s):
            return "the local state '\(state)' of \(pair(c, s)) is not valid JSON (damaged by an earlier run?); nothing was run — restore kit's copy '\(backup)' with 'kit state recover \(c) -s \(s)'"
        case .lowSpace(let state, let free, let needed, let c, let s):
            return "only \(free / 1024) KiB are free on the disk holding '\(Paths.dirname(state))', and an apply of \(pair(c, s)) needs at least \(needed / 1024) KiB (4 × the state + 64 KiB) to write its state safely; nothing was run — free space (df -h '\(Paths.dirname(state))') and run again"
        case .backupFailed(let backup, let reason, let c, let s):
            return "cannot keep a copy of the local state of \(pair(c, s)) in '\(backup)': \(reason); nothing was run — free space and check permissions of '\(Paths.dirname(backup))'"
        case .restored(let state, let backup, let n, let c, let s):
            return "terraform left the local state '\(state)' of \(pair(c, s)) as \(n) bytes that are not valid JSON (a full disk?); kit restored it from '\(backup)' (terraform's errored.tfstate when it is newer, else kit's copy from before this run) — free space and run again"
        case .damagedNoBackup(let state, let c, let s):
            return "terraform left the local state '\(state)' of \(pair(c, s)) damaged (not valid JSON), and kit has no copy to restore — free space, then repair it from terraform.tfstate.backup beside it or errored.tfstate"
        case .restoreFailed(let state, let backup, let reason, let c, let s):
            return "terraform left the local state '\(state)' of \(pair(c, s)) damaged (not valid JSON), and restoring kit's copy failed: \(reason) — free space, then run 'kit state recover \(c) -s \(s)' (the newest good state is '\(backup)')"
        case .noBackup(let backup, let c, let s):
            return "kit has no copy of the local state of \(pair(c, s)) ('\(backup)' is missing or not valid JSON); copies are kept before each run that can write the state"
        case .stateIsValid(let state, let backup, let c, let s):
            return "the local state '\(state)' of \(pair(c, s)) is valid JSON and differs from kit's copy '\(backup)'; recovering would roll it back — pass --force to do that anyway"
        }
    }
}
