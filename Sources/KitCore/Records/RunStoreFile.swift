import Foundation
import KitModel
import KitStacks
import KitTerraform

/// Creates the run database's folders (mode 0700) and file (mode 0600) before SQLite opens it, so the
/// modes do not depend on the process umask. Existing folders and files keep their modes.
enum RunStoreFile {
    /// Creates the missing folders above `path` and the file itself when it does not exist.
    static func prepare(_ path: String) throws(RunStoreError) {
        try makeDirectories(Paths.dirname(path), database: path)
        var info = stat()
        // lstat: a link at the database path is refused, never followed (a link to a missing file
        // would otherwise get a database created wherever it points).
        if lstat(path, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                if info.st_nlink > 1 { throw .linked(path: path, reason: "it is a hard link (\(info.st_nlink) names share the file)") }
                return
            case S_IFLNK: throw .linked(path: path, reason: WriteTargets.redirection(at: path) ?? "it is a symbolic link")
            case S_IFDIR: throw .cannotOpen(path: path, reason: reason(EISDIR))
            default: throw .cannotOpen(path: path, reason: "not a regular file")
            }
        }
        let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        if fd < 0 {
            if errno == EEXIST { return }
            if errno == ELOOP { throw .linked(path: path, reason: "it is a symbolic link") }
            throw .cannotOpen(path: path, reason: reason(errno))
        }
        defer { close(fd) }
        if fchmod(fd, 0o600) != 0 { throw .cannotOpen(path: path, reason: reason(errno)) }
    }

    /// `mkdir -p` with mode 0700 for every folder it creates.
    private static func makeDirectories(_ directory: String, database: String) throws(RunStoreError) {
        if directory.isEmpty || directory == "/" { return }
        var info = stat()
        if stat(directory, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFDIR { return }
            throw .cannotCreateDirectory(path: directory, database: database, reason: reason(ENOTDIR))
        }
        try makeDirectories(Paths.dirname(directory), database: database)
        if mkdir(directory, 0o700) != 0 {
            if errno == EEXIST { return }
            throw .cannotCreateDirectory(path: directory, database: database, reason: reason(errno))
        }
        if chmod(directory, 0o700) != 0 {
            throw .cannotCreateDirectory(path: directory, database: database, reason: reason(errno))
        }
    }

    /// The system's message for `code`, lowercase.
    private static func reason(_ code: Int32) -> String { String(cString: strerror(code)).lowercased() }
}
