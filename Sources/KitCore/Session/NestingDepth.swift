import KitModel

/// atmos's circuit breaker for commands that run themselves: every shell or kit process a custom command
/// or a workflow starts gets `ATMOS_SHLVL` one higher than kit's own (the same variable atmos uses, so a
/// chain through atmos and kit counts once); a process that would start a child beyond depth 10 stops
/// with an error instead — a custom command whose step calls itself (`atmos loop` → `atmos loop` → …)
/// ends after ten levels rather than forking until the machine runs out of processes.
public enum NestingDepth {
    public static let variable = "ATMOS_SHLVL"
    public static let maximum = 10

    public struct Exceeded: Error, CustomStringConvertible {
        public var current: Int
        public var description: String {
            "ATMOS_SHLVL exceeds maximum allowed depth. Infinite recursion? current=\(current), max=\(NestingDepth.maximum) — "
                + "a custom command or workflow step runs kit (or atmos) again, which runs it again; break the cycle in its steps"
        }
    }

    public struct Invalid: Error, CustomStringConvertible {
        public var value: String
        public var description: String {
            "ATMOS_SHLVL is \(UserText.quoted(value)), not a number — unset it (kit and atmos set it for the processes they start)"
        }
    }

    /// `environment` for a child process: `ATMOS_SHLVL` one higher. Throws when that passes the maximum.
    public static func child(of environment: [String: String]) throws -> [String: String] {
        var current = 0
        if let text = environment[variable], !text.isEmpty {
            guard let n = Int(text), n >= 0 else { throw Invalid(value: text) }
            current = n
        }
        let next = current + 1
        if next > maximum { throw Exceeded(current: next) }
        var env = environment
        env[variable] = String(next)
        return env
    }
}
