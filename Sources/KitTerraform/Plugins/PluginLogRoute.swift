#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KitModel
import KitStacks

/// Where a plugin's log lines go while a thread works for one component.
///
/// An estate run calls plugins from each component's job thread; a plugin's log events and its
/// stdout/stderr lines are reported on the thread that made the call (isolated: while kit reads
/// the host's answer; in-process: during or right after `handle`). `with(_:_:)` makes the lines
/// reported on the calling thread go to that component's log, so they carry its
/// `[<stack>/<component>]` prefix and appear with its terraform output; outside `with` (one
/// component, `kit plugin …`) `current` is nil and the caller prints them as before.
public enum PluginLogRoute {
    /// Receives one diagnostic line (`note: plugin 'acme': …`), already formatted.
    public typealias Sink = @Sendable (Diagnostic) -> Void

    fileprivate final class Box {
        let sink: Sink
        init(_ sink: @escaping Sink) { self.sink = sink }
    }

    /// One thread-specific slot for the whole process (created once, never deleted).
    fileprivate static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// The sink of the component the calling thread is working for, or nil.
    public static var current: Sink? {
        guard let raw = pthread_getspecific(key) else { return nil }
        return Unmanaged<Box>.fromOpaque(raw).takeUnretainedValue().sink
    }

    /// A route set with `enter`, until `leave`.
    public struct Entered {
        fileprivate let previous: UnsafeMutableRawPointer?
        fileprivate let box: Unmanaged<Box>

        /// Restores the route that was current before `enter` (call once, on the same thread).
        public func leave() {
            pthread_setspecific(PluginLogRoute.key, previous)
            box.release()
        }
    }

    /// Makes plugin log lines reported on this thread go to `sink` until `leave()` is called on the
    /// result (on this thread); routes nest.
    public static func enter(_ sink: @escaping Sink) -> Entered {
        let previous = pthread_getspecific(key)
        let box = Unmanaged.passRetained(Box(sink))
        pthread_setspecific(key, box.toOpaque())
        return Entered(previous: previous, box: box)
    }

    /// Runs `body` with plugin log lines reported on this thread going to `sink`; restores the
    /// previous route afterwards (routes nest).
    public static func with<T>(_ sink: @escaping Sink, _ body: () throws -> T) rethrows -> T {
        let entered = enter(sink)
        defer { entered.leave() }
        return try body()
    }
}
