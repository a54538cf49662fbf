import CLibJQ
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif
import KitModel

/// Compiles and runs jq programs with libjq (jq 1.6 on Debian 12).
///
/// libjq is not safe to share between threads (a `jq_state` holds the running program), so every
/// call goes through one process-wide lock; compiled programs are kept in a small least-recently-used
/// cache keyed by program text. Library paths are empty, so nothing is ever loaded from disk; since
/// libjq 1.6 imports `~/.jq` whenever that file exists, kit refuses to compile while it does.
final class JQEngine: Sendable {
    /// The one engine of the process: libjq's state is process-wide, so is its lock.
    static let shared = JQEngine(capacity: 64)

    /// The most results one evaluation may produce (`repeat(1)` would otherwise never end).
    static let resultLimit = 100_000

    /// A compile or runtime failure, with libjq's message cleaned up.
    struct Failure: Error, Equatable {
        var message: String
        /// 1-based line within the program, for compile errors libjq places.
        var line: Int?
        /// 1-based column (Unicode scalars) within that line, when libjq marks it.
        var column: Int? = nil
    }

    private final class Compiled: @unchecked Sendable {
        let state: OpaquePointer
        init(_ state: OpaquePointer) { self.state = state }
        deinit {
            var s: OpaquePointer? = state
            jq_teardown(&s)
        }
    }

    private struct Cache {
        var programs: [String: Compiled] = [:]
        var order: [String] = []  // least recently used first
    }

    private let cache: Mutex<Cache>
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        cache = Mutex(Cache())
    }

    /// Compiles `program` (or finds it in the cache); throws `Failure` with libjq's first message.
    func check(_ program: String) throws {
        try cache.withLock { cache in _ = try compiled(program, &cache) }
    }

    /// Every result of `program` on `input`, in order. Throws `Failure` for a compile error, a
    /// runtime error (jq's `error`, a type error), `halt_error`, more than `resultLimit` results, or a
    /// number beyond ±2^53 in the results when the input had ints jq could not hold exactly.
    func run(_ program: String, on input: Value) throws -> [Value] {
        try cache.withLock { cache in
            let state = try compiled(program, &cache).state
            var inexact = 0
            jq_start(state, JQValues.jv(input, inexact: &inexact), 0)
            var results: [Value] = []
            var large = false
            while true {
                let r = jq_next(state)
                if jv_get_kind(r) != JV_KIND_INVALID {
                    if results.count == Self.resultLimit {
                        jv_free(r)
                        throw Failure(message: "the expression produced more than \(Self.resultLimit) results", line: nil)
                    }
                    results.append(JQValues.value(r, large: &large))
                    continue
                }
                if jq_halted(state) != 0 {
                    jv_free(r)
                    let code = jq_get_exit_code(state)
                    let message = jq_get_error_message(state)
                    defer { jv_free(code); jv_free(message) }
                    let failed = jv_get_kind(code) == JV_KIND_NUMBER ? jv_number_value(code) != 0 : jv_get_kind(code) != JV_KIND_INVALID
                    if !failed { break }  // `halt`: the results so far
                    let text = jv_get_kind(message) == JV_KIND_STRING ? JQValues.swiftString(message) : JQValues.json(message)
                    throw Failure(message: "halt_error: \(Self.trimmed(text))", line: nil)
                }
                if jv_invalid_has_msg(jv_copy(r)) != 0 {
                    let msg = jv_invalid_get_msg(r)
                    defer { jv_free(msg) }
                    let text = jv_get_kind(msg) == JV_KIND_STRING
                        ? JQValues.swiftString(msg) : "error (not a string): \(JQValues.json(msg))"
                    throw Failure(message: Self.trimmed(text), line: nil)
                }
                jv_free(r)
                break
            }
            if large && inexact > 0 {
                throw Failure(message: "the input holds integers beyond ±2^53, which jq (64-bit floats) cannot represent exactly, and a number of that size is in the result", line: nil)
            }
            return results
        }
    }

    private func compiled(_ program: String, _ cache: inout Cache) throws -> Compiled {
        if let hit = cache.programs[program] {
            if let at = cache.order.firstIndex(of: program) { cache.order.remove(at: at) }
            cache.order.append(program)
            return hit
        }
        if let home = getenv("HOME").map({ String(cString: $0) }), !home.isEmpty, access(home + "/.jq", F_OK) == 0 {
            throw Failure(message: "\(home)/.jq exists, and libjq would load it into every query — kit runs no jq modules, so that a query means the same on every machine; rename or move it to use queries with kit", line: nil)
        }
        guard let state = jq_init() else { throw Failure(message: "libjq could not start (out of memory)", line: nil) }
        let compiled = Compiled(state)
        let box = MessageBox()
        let unmanaged = Unmanaged.passRetained(box)
        defer { unmanaged.release() }
        jq_set_error_cb(state, Self.collectMessage, unmanaged.toOpaque())
        jq_set_attr(state, jv_string("JQ_LIBRARY_PATH"), jv_array())
        let ok = program.withCString { jq_compile(state, $0) }
        // Without a callback libjq would print to stderr; later messages are dropped (errors come from jq_next).
        jq_set_error_cb(state, Self.collectMessage, nil)
        guard ok != 0 else { throw Self.compileFailure(box.messages, program: program) }
        cache.programs[program] = compiled
        cache.order.append(program)
        if cache.order.count > capacity { cache.programs[cache.order.removeFirst()] = nil }
        return compiled
    }

    private final class MessageBox { var messages: [String] = [] }

    /// libjq's message callback: appends to the `MessageBox` in `data`, or drops the message.
    private static let collectMessage: jq_msg_cb = { data, msg in
        defer { jv_free(msg) }
        guard let data else { return }
        let box = Unmanaged<MessageBox>.fromOpaque(data).takeUnretainedValue()
        box.messages.append(jv_get_kind(msg) == JV_KIND_STRING ? JQValues.swiftString(msg) : JQValues.json(msg))
    }

    /// The first compile message without jq's decoration: `jq: error: `, the echoed source, the
    /// `at <top-level>, line N:` place (kept as `line`), the closing `jq: N compile errors`.
    static func compileFailure(_ messages: [String], program: String) -> Failure {
        let real = messages.filter { !($0.hasPrefix("jq: ") && $0.contains("compile error")) }
        guard let first = real.first else { return Failure(message: "libjq could not compile the expression", line: nil) }
        var text = first
        if text.hasPrefix("jq: error: ") { text.removeFirst("jq: error: ".count) }
        var line: Int?, column: Int?
        if let at = text.range(of: " at <top-level>, line ") {
            let rest = text[at.upperBound...]
            line = Int(rest.prefix(while: { $0.isNumber }))
            // libjq echoes the line, then pads with one space per byte before the error's start.
            if let line, let echo = rest.range(of: ":\n") {
                let lines = program.split(separator: "\n", omittingEmptySubsequences: false)
                if line >= 1, line <= lines.count {
                    let source = lines[line - 1]
                    let shown = rest[echo.upperBound...]
                    let pad = shown.utf8.count - source.utf8.count
                    if shown.hasPrefix(source), pad >= 0, pad <= source.utf8.count {
                        let prefix = source.utf8.prefix(pad)
                        column = String(decoding: prefix, as: UTF8.self).unicodeScalars.count + 1
                    }
                }
            }
            text = String(text[..<at.lowerBound])
            // libjq places "unexpected $end" before the last token; the expression ends after it.
            if text.contains("unexpected $end") {
                let lines = program.split(separator: "\n", omittingEmptySubsequences: false)
                line = lines.count
                column = (lines.last?.unicodeScalars.count ?? 0) + 1
            }
        }
        text = text.replacingOccurrences(of: " (Unix shell quoting issues?)", with: "")
        if text.hasPrefix("syntax error") {
            // Whole words only: `unexpected IDENT, expecting $end` → `unexpected name, expecting end of expression`.
            text = text.split(separator: " ", omittingEmptySubsequences: false).map { word -> String in
                let bare = word.hasSuffix(",") ? word.dropLast() : word[...]
                guard let name = tokenNames[String(bare)] else { return String(word) }
                return name + (word.hasSuffix(",") ? "," : "")
            }.joined(separator: " ")
        }
        if real.count > 1 { text += " (and \(real.count - 1) more error\(real.count == 2 ? "" : "s"))" }
        return Failure(message: trimmed(text), line: line, column: column)
    }

    /// libjq's grammar token names, as words.
    static let tokenNames: [String: String] = [
        "INVALID_CHARACTER": "invalid character", "QQSTRING_START": "string",
        "QQSTRING_TEXT": "string text", "QQSTRING_INTERP_START": "'\\('", "QQSTRING_INTERP_END": "')'",
        "QQSTRING_END": "end of string", "$end": "end of expression",
        "IDENT": "name", "FIELD": "field", "LITERAL": "literal", "FORMAT": "format",
        "SETPIPE": "'|='", "SETPLUS": "'+='", "SETMINUS": "'-='", "SETMULT": "'*='",
        "SETDIV": "'/='", "SETMOD": "'%='", "SETDEFINEDOR": "'//='", "DEFINEDOR": "'//'",
        "NEQ": "'!='", "EQ": "'=='", "LESSEQ": "'<='", "GREATEREQ": "'>='", "REC": "'..'",
    ]

    static func trimmed(_ s: String) -> String {
        var s = Substring(s)
        while let last = s.last, last == "\n" || last == " " { s.removeLast() }
        return MessageText.quoted(String(s), limit: 300)
    }
}
