import Foundation
import Testing
@testable import KitModel

/// `ProcessEnvironment`: the process's environment as Foundation reads it, and the splitting rules.
@Suite struct ProcessEnvironmentTests {
    @Test("the current environment reads as ProcessInfo reads it")
    func sameAsFoundation() {
        #expect(ProcessEnvironment.current() == ProcessInfo.processInfo.environment)
        #expect(!ProcessEnvironment.current().isEmpty)
    }

    @Test("entries split at the first '='; empty values kept; entries without '=' skipped; the first of two names wins; UTF-8 decoded")
    func splitting() {
        let entries = ["A=a=b=c", "EMPTY=", "NOEQUALS", "DUP=first", "DUP=second", "U=gr\u{00FC}n \u{1F331}", "=nameless"]
        var pointers: [UnsafeMutablePointer<CChar>?] = entries.map { strdup($0) } + [nil]
        defer { pointers.forEach { free($0) } }
        let env = pointers.withUnsafeMutableBufferPointer { ProcessEnvironment.dictionary($0.baseAddress!) }
        #expect(env == ["A": "a=b=c", "EMPTY": "", "DUP": "first", "U": "gr\u{00FC}n \u{1F331}", "": "nameless"])
    }
}
