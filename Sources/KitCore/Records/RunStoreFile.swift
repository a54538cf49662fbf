import Foundation

/// Creates the run database's folders (mode 0700) and file (mode 0600) before SQLite opens it, so the
/// modes do not depend on the process umask. Existing folders and files keep their modes.
enum RunStoreFile {
    /// Creates the missing folders above `path` and the file itself when it does not exist.
    static func prepare(_ path: String) throws(RunStoreError) {
        try makeDirectories(Paths.dirname(path), database: path)
        var info = stat()
        if stat(path, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFREG: return
            case S_IFDIR: throw .cannotOpen(path: path, reason: reason(EISDIR))
            default: throw .cannotOpen(path: path, reason: "not a regular file")
            }
        }
        let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0 {
            if errno == EEXIST { return }
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
