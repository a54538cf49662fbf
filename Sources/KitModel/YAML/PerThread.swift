#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One instance of a class per thread, created on first use and released when the thread ends (the
/// JSON writer's caches: each thread writes its own components, so they need no lock).
final class PerThread<T: AnyObject>: @unchecked Sendable {
    // @unchecked: the key is created once and pthread-specific values are per thread by definition.
    private let key: pthread_key_t
    private let make: @Sendable () -> T

    init(_ make: @escaping @Sendable () -> T) {
        var key = pthread_key_t()
        pthread_key_create(&key) { p in
            if let p { Unmanaged<AnyObject>.fromOpaque(p).release() }
        }
        self.key = key
        self.make = make
    }

    /// This thread's instance.
    var current: T {
        if let p = pthread_getspecific(key) { return Unmanaged<T>.fromOpaque(p).takeUnretainedValue() }
        let value = make()
        pthread_setspecific(key, Unmanaged.passRetained(value).toOpaque())
        return value
    }
}
