import Foundation
import Testing
@testable import KitModel

/// `LocalFileSystem.readRegularFile` reads straight into its result (sized by fstat): every size
/// round-trips byte for byte, and the limit holds exactly.
@Suite struct RegularFileReadTests {
    @Test func sizesRoundTripAndTheLimitHolds() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kit-read-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let fs = LocalFileSystem()
        for size in [0, 1, 4095, 65_536, 65_537, 200_001] {
            let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            let path = dir.appendingPathComponent("f\(size)").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            #expect(try fs.readRegularFile(path, limit: size) == bytes, "size \(size)")
            if size > 0 {
                #expect(throws: FileReadFailure.tooLarge(path: path, limit: size - 1)) { try fs.readRegularFile(path, limit: size - 1) }
            }
        }
        #expect(throws: FileReadFailure.self) { try fs.readRegularFile(dir.path, limit: 10) }
    }
}
