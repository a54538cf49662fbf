import Foundation

/// How many threads kit's parallel loops use.
enum Parallelism {
    /// The processors this process may use (cgroup CPU quotas included), read once: Foundation reads
    /// the cgroup files on every `activeProcessorCount` call.
    static let processors = max(1, ProcessInfo.processInfo.activeProcessorCount)
}
