import CLibYAML

/// A position in a source file, 1-based.
public struct Mark: Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) { self.line = line; self.column = column }
    public var description: String { "\(line):\(column)" }
}

/// A path inside a document: map keys and list indices as strings, joined for table lookups.
public enum ValuePath {
    /// The separator used in mark-table keys; never appears in YAML keys kit accepts.
    public static let separator: Character = "\u{1}"
    /// The lookup key for a path.
    public static func key(_ components: [String]) -> String { components.joined(separator: String(separator)) }
}

/// Resolves `!include` / `!include.raw` while parsing; given the argument text, returns the value.
public typealias IncludeResolver = (_ argument: String, _ raw: Bool, _ mark: Mark) throws -> Value

/// A YAML document parsed with libyaml into a `Value`, optionally with the mark of every node.
public struct YAMLParser {
    /// The tags kit keeps as `"!tag args"` strings (YAML functions evaluated later or reported as not yet evaluated).
    public static let functionTags: Set<String> = [
        "!env", "!exec", "!template", "!unset", "!terraform.output", "!terraform.state", "!store",
        "!store.get", "!secret", "!random", "!cwd", "!repo-root", "!git.root", "!git.sha", "!git.ref",
        "!git.branch", "!git.repository", "!git.owner", "!git.name", "!git.host", "!git.url",
        "!aws.account_id", "!aws.region", "!aws.caller_identity_arn", "!aws.caller_identity_user_id",
        "!aws.organization_id", "!version", "!tags", "!labels", "!labels.keys", "!labels.values", "!emulator", "!cel",
    ]

    /// What went wrong while parsing; `mark` is where.
    public struct Failure: Error, Sendable {
        public var message: String
        public var mark: Mark
        /// Set when the document is well-formed but refused: the setting that governs the refusal
        /// (`max_depth`, `max_alias_expansion`, `max_manifest_bytes`, `allowed_external_paths`,
        /// `regular_files`, `remote_include`); nil for a syntax error.
        public var limitKey: String? = nil

        package init(message: String, mark: Mark, limitKey: String? = nil) {
            self.message = message
            self.mark = mark
            self.limitKey = limitKey
        }
    }

    /// Parses `text`. With `recordMarks`, returns the mark of every node keyed by `ValuePath.key`.
    public static func parse(_ text: String, recordMarks: Bool = false, limits: InputLimits = .standard,
                             include: IncludeResolver? = nil) throws -> (value: Value, marks: [String: Mark]) {
        var text = text
        return try text.withUTF8 { buffer in
            try parse(bytes: UnsafeRawBufferPointer(buffer), recordMarks: recordMarks, limits: limits, include: include)
        }
    }

    /// Parses UTF-8 bytes. An empty document is an empty map.
    ///
    /// `limits` bound the nesting depth (aliases and includes expanded) and what aliases and includes
    /// may add, so that no document can take unbounded time or memory, here or in the writers.
    public static func parse(bytes: UnsafeRawBufferPointer, recordMarks: Bool = false, limits: InputLimits = .standard,
                             include: IncludeResolver? = nil) throws -> (value: Value, marks: [String: Mark]) {
        var builder = YAMLBuilder(recordMarks: recordMarks, include: include, limits: limits, documentBytes: bytes.count)
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw Failure(message: "cannot initialise the YAML parser", mark: Mark(line: 1, column: 1))
        }
        defer { yaml_parser_delete(&parser) }
        let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
        let empty: [UInt8] = [0]
        try empty.withUnsafeBufferPointer { emptyPtr in
            yaml_parser_set_input_string(&parser, base ?? emptyPtr.baseAddress!, bytes.count)
            var event = yaml_event_t()
            var documents = 0
            while true {
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    let problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
                    let context = parser.context.map { " " + String(cString: $0) } ?? ""
                    if parser.error == YAML_READER_ERROR {
                        // Reader errors (NUL, control characters, invalid UTF-8) carry a byte offset, not a mark.
                        let value = parser.problem_value >= 0 ? " (0x" + String(parser.problem_value, radix: 16, uppercase: true) + ")" : ""
                        throw Failure(message: problem + value, mark: position(ofByte: Int(parser.problem_offset), in: bytes))
                    }
                    let m = parser.problem_mark
                    throw Failure(message: problem + context,
                                  mark: Mark(line: Int(m.line) + 1, column: Int(m.column) + 1))
                }
                defer { yaml_event_delete(&event) }
                let mark = Mark(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return
                case YAML_DOCUMENT_START_EVENT:
                    documents += 1
                    if documents > 1 {
                        throw Failure(message: "more than one YAML document in a stack manifest", mark: mark)
                    }
                case YAML_SCALAR_EVENT:
                    let s = event.data.scalar
                    let text = string(s.value, Int(s.length))
                    let tag = s.tag.map { String(cString: $0) }
                    let anchor = s.anchor.map { String(cString: $0) }
                    let plain = s.style == YAML_PLAIN_SCALAR_STYLE
                    try builder.scalar(text, tag: tag, plain: plain, anchor: anchor, mark: mark)
                case YAML_SEQUENCE_START_EVENT:
                    let d = event.data.sequence_start
                    try builder.startList(tag: d.tag.map { String(cString: $0) },
                                      anchor: d.anchor.map { String(cString: $0) }, mark: mark)
                case YAML_SEQUENCE_END_EVENT:
                    try builder.end(mark: mark)
                case YAML_MAPPING_START_EVENT:
                    let d = event.data.mapping_start
                    try builder.startMap(tag: d.tag.map { String(cString: $0) },
                                     anchor: d.anchor.map { String(cString: $0) }, mark: mark)
                case YAML_MAPPING_END_EVENT:
                    try builder.end(mark: mark)
                case YAML_ALIAS_EVENT:
                    let name = String(cString: event.data.alias.anchor)
                    try builder.alias(name, mark: mark)
                default:
                    break
                }
            }
        }
        return (builder.root ?? .emptyMap, builder.marks)
    }

    /// The line and column (in characters) of byte `offset`, for errors libyaml reports by offset.
    static func position(ofByte offset: Int, in bytes: UnsafeRawBufferPointer) -> Mark {
        var line = 1, column = 1
        for i in 0..<min(max(offset, 0), bytes.count) {
            let b = bytes[i]
            if b == 10 { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 }
        }
        return Mark(line: line, column: column)
    }

    @inline(__always) static func string(_ p: UnsafeMutablePointer<UInt8>?, _ n: Int) -> String {
        guard let p, n > 0 else { return "" }
        return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }

    /// Resolves a plain scalar to null, bool, int, float or string (YAML 1.2 core schema, as Go's yaml.v3).
    public static func resolvePlain(_ s: String) -> Value {
        guard let first = s.utf8.first else { return .null }
        switch first {
        case UInt8(ascii: "~"): if s == "~" { return .null }
        case UInt8(ascii: "n"), UInt8(ascii: "N"):
            if s == "null" || s == "Null" || s == "NULL" { return .null }
            return .string(s)
        case UInt8(ascii: "t"), UInt8(ascii: "T"):
            if s == "true" || s == "True" || s == "TRUE" { return .bool(true) }
            return .string(s)
        case UInt8(ascii: "f"), UInt8(ascii: "F"):
            if s == "false" || s == "False" || s == "FALSE" { return .bool(false) }
            return .string(s)
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."):
            return resolveNumber(s) ?? .string(s)
        default: break
        }
        return .string(s)
    }

    static func resolveNumber(_ s: String) -> Value? {
        let body = s.hasPrefix("+") ? String(s.dropFirst()) : s
        if let i = Int(body) { return .int(i) }
        if body.hasPrefix("0x"), let i = Int(body.dropFirst(2), radix: 16) { return .int(i) }
        if body.hasPrefix("0o"), let i = Int(body.dropFirst(2), radix: 8) { return .int(i) }
        switch body {
        case ".inf", ".Inf", ".INF": return .double(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .double(-.infinity)
        case ".nan", ".NaN", ".NAN": return .double(.nan)
        default: break
        }
        // A float must look like one: digits, one dot and/or an exponent.
        var sawDigit = false
        for (i, c) in body.utf8.enumerated() {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): sawDigit = true
            case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): break
            case UInt8(ascii: "-"), UInt8(ascii: "+"):
                if i != 0 { let prev = Array(body.utf8)[i - 1]; if prev != UInt8(ascii: "e") && prev != UInt8(ascii: "E") { return nil } }
            default: return nil
            }
        }
        guard sawDigit, let d = Double(body) else { return nil }
        return .double(d)
    }
}
