import Foundation

/// A tmpfs of a few hundred kilobytes mounted on a fresh folder, for tests that need a disk that
/// really fills up (writes fail with ENOSPC, as on a full disk). Mounting needs root (CAP_SYS_ADMIN);
/// without it the test fails saying so. `unmount()` undoes it (lazily, so an open file cannot keep it).
final class TinyFilesystem {
    let path: String
    private let logDirectory: String

    init(at path: String, kilobytes: Int, logDirectory: String) throws {
        guard getuid() == 0 else {
            throw IntegrationSetupError("this test mounts a \(kilobytes) KB tmpfs to fill a disk for real, which needs root (uid 0 with CAP_SYS_ADMIN); run the integration suite as root, e.g. in the CI container")
        }
        self.path = path
        self.logDirectory = logDirectory
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let mount = try RunningCommand.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(kilobytes)k,mode=0700", "tmpfs", path],
                                           cwd: "/", environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"], logDirectory: logDirectory, label: "mount-tmpfs")
        guard mount.status == 0 else { throw IntegrationSetupError("mount -t tmpfs on '\(path)' failed (status \(mount.status)):\n\(mount.output)") }
    }

    /// Writes zeros to `name` until the file system refuses; returns the errno of that refusal.
    @discardableResult
    func fill(_ name: String = "filler") throws -> Int32 {
        let fd = open(path + "/" + name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw IntegrationSetupError("cannot create '\(path)/\(name)': errno \(errno)") }
        defer { close(fd) }
        let chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let written = chunk.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 { return errno }
            if written < chunk.count {
                // A short write: the next one reports why.
                continue
            }
        }
    }

    /// Removes a file written by `fill`, freeing the space.
    func free(_ name: String = "filler") throws { try FileManager.default.removeItem(atPath: path + "/" + name) }

    func unmount() {
        _ = try? RunningCommand.run("/bin/umount", ["-l", path], cwd: "/", environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"],
                                    logDirectory: logDirectory, label: "umount-tmpfs")
    }
}
