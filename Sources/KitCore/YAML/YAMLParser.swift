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
    }

    /// Parses `text`. With `recordMarks`, returns the mark of every node keyed by `ValuePath.key`.
    public static func parse(_ text: String, recordMarks: Bool = false,
                             include: IncludeResolver? = nil) throws -> (value: Value, marks: [String: Mark]) {
        var text = text
        return try text.withUTF8 { buffer in
            try parse(bytes: UnsafeRawBufferPointer(buffer), recordMarks: recordMarks, include: include)
        }
    }

    /// Parses UTF-8 bytes. An empty document is an empty map.
    public static func parse(bytes: UnsafeRawBufferPointer, recordMarks: Bool = false,
                             include: IncludeResolver? = nil) throws -> (value: Value, marks: [String: Mark]) {
        var builder = Builder(recordMarks: recordMarks, include: include)
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
                    builder.startList(tag: d.tag.map { String(cString: $0) },
                                      anchor: d.anchor.map { String(cString: $0) }, mark: mark)
                case YAML_SEQUENCE_END_EVENT:
                    try builder.end(mark: mark)
                case YAML_MAPPING_START_EVENT:
                    let d = event.data.mapping_start
                    builder.startMap(tag: d.tag.map { String(cString: $0) },
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

/// Builds a `Value` tree from libyaml events. Frames are classes so inserts never copy a container.
private struct Builder {
    final class Frame {
        let isMap: Bool
        var entries: [String: Value] = [:]
        var items: [Value] = []
        var pendingKey: String?
        var merges: [Value] = []
        let tag: String?
        let anchor: String?
        let mark: Mark
        init(isMap: Bool, tag: String?, anchor: String?, mark: Mark) {
            self.isMap = isMap; self.tag = tag; self.anchor = anchor; self.mark = mark
        }
    }

    let recordMarks: Bool
    let include: IncludeResolver?
    var stack: [Frame] = []
    var path: [String] = []
    var anchors: [String: Value] = [:]
    var marks: [String: Mark] = [:]
    var root: Value?

    init(recordMarks: Bool, include: IncludeResolver?) {
        self.recordMarks = recordMarks
        self.include = include
    }

    /// True when the next node completes a map key (not a value).
    var expectingKey: Bool {
        guard let top = stack.last else { return false }
        return top.isMap && top.pendingKey == nil
    }

    mutating func scalar(_ text: String, tag: String?, plain: Bool, anchor: String?, mark: Mark) throws {
        if expectingKey {
            // Keys are strings; non-string scalars are stringified (atmos: `1:` becomes "1").
            let key: String
            if plain, case .double(let d) = YAMLParser.resolvePlain(text) { key = JSONWriter.format(double: d) } else { key = text }
            stack.last!.pendingKey = key
            return
        }
        let value = try resolveScalar(text, tag: tag, plain: plain, mark: mark)
        if let anchor { anchors[anchor] = value }
        try add(value, mark: mark)
    }

    func resolveScalar(_ text: String, tag: String?, plain: Bool, mark: Mark) throws -> Value {
        guard let tag, tag != "!" else { return plain ? YAMLParser.resolvePlain(text) : .string(text) }
        switch tag {
        case "tag:yaml.org,2002:str": return .string(text)
        case "tag:yaml.org,2002:int":
            guard let i = Int(text) else { throw YAMLParser.Failure(message: "'\(text)' is not an integer", mark: mark) }
            return .int(i)
        case "tag:yaml.org,2002:float":
            guard let d = Double(text) else { throw YAMLParser.Failure(message: "'\(text)' is not a number", mark: mark) }
            return .double(d)
        case "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null": return YAMLParser.resolvePlain(text)
        case "!include", "!include.raw":
            guard let include else { return .string("\(tag) \(text)") }
            return try include(text, tag == "!include.raw", mark)
        case "!literal": return .string(text)
        case "!append":
            throw YAMLParser.Failure(message: "'!append' must tag a list, not a scalar", mark: mark)
        default:
            if YAMLParser.functionTags.contains(tag) {
                return .string(text.isEmpty ? tag : "\(tag) \(text)")
            }
            throw YAMLParser.Failure(message: "unsupported YAML tag '\(tag)'", mark: mark)
        }
    }

    mutating func start(isMap: Bool, tag: String?, anchor: String?, mark: Mark) {
        if expectingKey { stack.last!.pendingKey = "<complex key>" }
        if recordMarks, let top = stack.last {
            path.append(top.isMap ? (top.pendingKey ?? "") : String(top.items.count))
        }
        stack.append(Frame(isMap: isMap, tag: tag, anchor: anchor, mark: mark))
    }

    mutating func startMap(tag: String?, anchor: String?, mark: Mark) { start(isMap: true, tag: tag, anchor: anchor, mark: mark) }
    mutating func startList(tag: String?, anchor: String?, mark: Mark) { start(isMap: false, tag: tag, anchor: anchor, mark: mark) }

    mutating func end(mark endMark: Mark) throws {
        let frame = stack.removeLast()
        if recordMarks, !stack.isEmpty, !path.isEmpty { path.removeLast() }
        var value: Value
        if frame.isMap {
            // YAML merge keys: explicit keys win over merged ones; earlier merge sources win over later.
            for source in frame.merges.reversed() {
                for (k, v) in source.mapValue ?? [:] where frame.entries[k] == nil { frame.entries[k] = v }
            }
            value = .map(frame.entries)
            if let tag = frame.tag, tag != "tag:yaml.org,2002:map", tag != "!" {
                throw YAMLParser.Failure(message: "unsupported YAML tag '\(tag)' on a map", mark: frame.mark)
            }
        } else {
            value = .list(frame.items)
            if frame.tag == "!append" {
                value = .tagged("!append", value)
            } else if let tag = frame.tag, tag != "tag:yaml.org,2002:seq", tag != "!" {
                throw YAMLParser.Failure(message: "unsupported YAML tag '\(tag)' on a list", mark: frame.mark)
            }
        }
        if let anchor = frame.anchor { anchors[anchor] = value }
        try add(value, mark: frame.mark)
    }

    mutating func alias(_ name: String, mark: Mark) throws {
        guard let value = anchors[name] else {
            throw YAMLParser.Failure(message: "unknown anchor '\(name)'", mark: mark)
        }
        if expectingKey { stack.last!.pendingKey = value.interpolated; return }
        try add(value, mark: mark)
    }

    mutating func add(_ value: Value, mark: Mark) throws {
        guard let top = stack.last else {
            root = value
            if recordMarks { marks[""] = mark }
            return
        }
        if top.isMap {
            let key = top.pendingKey ?? ""
            top.pendingKey = nil
            if key == "<<" {
                if case .list(let sources) = value { top.merges.append(contentsOf: sources) } else { top.merges.append(value) }
                return
            }
            if let existing = top.entries[key] {
                if case .map(let a) = existing, case .map(let b) = value {
                    top.entries[key] = .map(a.merging(b) { _, new in new })
                } else if existing != value {
                    throw YAMLParser.Failure(message: "key '\(key)' appears twice in one map with different values", mark: mark)
                }
            } else {
                top.entries[key] = value
            }
            if recordMarks { marks[ValuePath.key(path + [key])] = mark }
        } else {
            if recordMarks { marks[ValuePath.key(path + [String(top.items.count)])] = mark }
            top.items.append(value)
        }
    }
}
