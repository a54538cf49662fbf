import Foundation
import KitCore

/// atmos's global `-C`/`--chdir` flag: `kit -C examples/demo-stacks describe config` runs as if
/// started in that directory. Only before the command (where atmos documents it); repeated flags
/// apply in order, each relative to the last, like `cd`.
enum WorkingDirectoryOption {
    /// A `-C` without a directory.
    struct UsageError: Error, CustomStringConvertible {
        let flag: String
        var description: String { "\(flag) needs a directory, e.g. 'kit \(flag) examples/demo-stacks list stacks'" }
    }

    /// The directory does not exist or cannot be entered.
    struct MissingDirectory: Error, CustomStringConvertible {
        let path: String
        let reason: String
        var description: String {
            "workdir does not exist or cannot be entered: \(UserText.quoted(path)) (\(reason)) — pass an existing directory to -C/--chdir"
        }
    }

    /// Changes the process's working directory; throws `MissingDirectory`.
    typealias ChangeDirectory = @Sendable (String) throws -> Void

    static let systemChangeDirectory: ChangeDirectory = { path in
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw MissingDirectory(path: path, reason: "no such directory")
        }
        guard isDirectory.boolValue else { throw MissingDirectory(path: path, reason: "not a directory") }
        guard FileManager.default.changeCurrentDirectoryPath(path) else {
            throw MissingDirectory(path: path, reason: String(cString: strerror(errno)))
        }
        // Programs kit starts (terraform, workflow shell steps) see the same directory in PWD.
        setenv("PWD", FileManager.default.currentDirectoryPath, 1)
    }

    /// The arguments without the leading `-C`/`--chdir` flags, after changing to each directory in turn.
    static func apply(_ arguments: [String], changeDirectory: ChangeDirectory) throws -> [String] {
        var rest = arguments[...]
        while let first = rest.first {
            let directory: String
            if first == "-C" || first == "--chdir" {
                guard rest.count >= 2, !rest[rest.startIndex + 1].isEmpty else { throw UsageError(flag: first) }
                directory = rest[rest.startIndex + 1]
                rest = rest.dropFirst(2)
            } else if first.hasPrefix("--chdir=") {
                directory = String(first.dropFirst("--chdir=".count))
                guard !directory.isEmpty else { throw UsageError(flag: "--chdir") }
                rest = rest.dropFirst()
            } else if first.hasPrefix("-C"), first.count > 2 {
                directory = String(first.dropFirst(2))
                rest = rest.dropFirst()
            } else {
                break
            }
            try changeDirectory(directory)
        }
        return Array(rest)
    }
}
