import Synchronization
import KitModel
import KitStacks

/// A value read and written under a lock: the handlers a plugin reports through, which kit may set
/// on one thread while another thread's call reads them.
// @unchecked: `value` is read and written only inside `lock`.
final class LockedValue<T>: @unchecked Sendable {
    private let lock = Mutex<Void>(())
    private var value: T

    init(_ value: T) { self.value = value }

    /// The value now.
    var current: T {
        get { lock.withLock { _ in value } }
        set { lock.withLock { _ in value = newValue } }
    }
}
