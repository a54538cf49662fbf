import Foundation
import Synchronization

@_silgen_name("unshare") private func unshare(_ flags: Int32) -> Int32

/// Runs a body on a thread of its own whose umask is `mask`, without touching the umask of the other
/// threads: the thread first leaves the process's shared filesystem context (`unshare(CLONE_FS)`),
/// so tests running in parallel keep their own umask.
enum ThreadUmask {
    private static let cloneFS: Int32 = 0x0000_0200

    struct Unavailable: Error, CustomStringConvertible {
        var errno: Int32
        var description: String { "unshare(CLONE_FS) failed: \(String(cString: strerror(errno)))" }
    }

    static func run(_ mask: mode_t, _ body: @escaping @Sendable () throws -> Void) throws {
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        Thread {
            defer { done.signal() }
            guard unshare(cloneFS) == 0 else { outcome.set(Unavailable(errno: errno)); return }
            umask(mask)
            do { try body() } catch { outcome.set(error) }
        }.start()
        done.wait()
        if let error = outcome.error { throw error }
    }

    private final class Outcome: @unchecked Sendable {
        private let lock = Mutex<(any Error)?>(nil)
        func set(_ error: any Error) { lock.withLock { $0 = error } }
        var error: (any Error)? { lock.withLock { $0 } }
    }
}
