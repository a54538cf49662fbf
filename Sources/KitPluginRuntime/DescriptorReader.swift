import CKitProcess

/// Reads a descriptor to its end (EINTR retried in C).
public enum DescriptorReader {
    /// Everything until end of file.
    public static func readAll(_ fd: Int32) -> [UInt8] {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { kit_read(fd, $0.baseAddress, UInt($0.count)) }
            if n <= 0 { break }
            out.append(contentsOf: buffer[0..<n])
        }
        return out
    }

    /// Calls `line` for every complete line (without the newline), then for a final partial line.
    public static func forEachLine(_ fd: Int32, _ line: ([UInt8]) -> Void) {
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { kit_read(fd, $0.baseAddress, UInt($0.count)) }
            if n <= 0 { break }
            var start = 0
            for i in 0..<n where buffer[i] == 0x0A {
                pending.append(contentsOf: buffer[start..<i])
                line(pending)
                pending.removeAll(keepingCapacity: true)
                start = i + 1
            }
            pending.append(contentsOf: buffer[start..<n])
        }
        if !pending.isEmpty { line(pending) }
    }

    /// Writes all bytes (EINTR retried); false on failure.
    @discardableResult
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { kit_write_all(fd, $0.baseAddress, UInt($0.count)) } >= 0
    }
}

