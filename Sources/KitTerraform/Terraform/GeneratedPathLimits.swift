#if canImport(Glibc)
import Glibc
#endif
import KitModel
import KitStacks

/// A stack or component name too long for the files kit writes for it: one clear error before
/// anything is written, instead of the system's "file name too long" halfway through a run.
public struct GeneratedPathTooLong: Error, Sendable, CustomStringConvertible {
    public var stack: String
    public var component: String
    /// The longest path element kit would write (capped for display) and its length in bytes.
    public var element: String
    public var bytes: Int

    public var description: String {
        "stack '\(UserText.escaped(stack, limit: 60))' (\(stack.utf8.count) bytes), component '\(UserText.escaped(component, limit: 60))': the name "
            + "'\(UserText.escaped(element, limit: 60))' kit would write for it is \(bytes) bytes, over the file system's "
            + "limit of \(WorkingFiles.maximumNameBytes) — shorten the stack name (name_pattern, name_template or "
            + "'name:' in the manifest) or the component name"
    }
}

extension WorkingFiles {
    /// NAME_MAX on Linux file systems: the most bytes one path element may have.
    public static let maximumNameBytes = 255

    /// Every path element of every file kit writes for this pair fits the file system.
    public func checkNameLengths(stack: String, component: String) throws {
        for path in [varfile, planfile, dataDirectory, backendConfigFile, localStateDirectory, workingDirectory] {
            for element in path.split(separator: "/") where element.utf8.count > Self.maximumNameBytes {
                throw GeneratedPathTooLong(stack: stack, component: component, element: String(element), bytes: element.utf8.count)
            }
        }
    }
}
