/// Builds a `Value` tree from libyaml events. Frames are classes so inserts never copy a container.
///
/// Every node's height (nesting below it) and weight (nodes plus scalar bytes) are tracked, so an
/// alias or an `!include` is measured before it is inserted: the depth cap holds for expanded
/// documents, and aliases cannot expand a small document into gigabytes (an "alias bomb").
struct YAMLBuilder {
    final class Frame {
        let isMap: Bool
        var entries: [String: Value] = [:]
        var items: [Value] = []
        var pendingKey: String?
        var merges: [Value] = []
        let tag: String?
        let anchor: String?
        let mark: Mark
        /// The nesting below this frame so far (0 when it holds only scalars).
        var height = 0
        /// Nodes plus scalar bytes so far, this frame included.
        var weight = 1
        init(isMap: Bool, tag: String?, anchor: String?, mark: Mark) {
            self.isMap = isMap; self.tag = tag; self.anchor = anchor; self.mark = mark
        }
    }

    /// An anchored value with its measures.
    struct Anchor {
        var value: Value
        var height: Int
        var weight: Int
    }

    let recordMarks: Bool
    let include: IncludeResolver?
    let limits: InputLimits
    /// What aliases may add before the document is refused.
    let aliasBudget: Int
    var stack: [Frame] = []
    var path: [String] = []
    var anchors: [String: Anchor] = [:]
    var marks: [String: Mark] = [:]
    var root: Value?
    /// What aliases have added so far.
    var expanded = 0
    /// What `!include`s have added so far (counted against the manifest size limit).
    var included = 0

    init(recordMarks: Bool, include: IncludeResolver?, limits: InputLimits, documentBytes: Int) {
        self.recordMarks = recordMarks
        self.include = include
        self.limits = limits
        self.aliasBudget = limits.expansionBudget(documentBytes: documentBytes)
    }

    /// True when the next node completes a map key (not a value).
    var expectingKey: Bool {
        guard let top = stack.last else { return false }
        return top.isMap && top.pendingKey == nil
    }

    func tooDeep(_ mark: Mark) -> YAMLParser.Failure {
        YAMLParser.Failure(message: "nesting is deeper than \(limits.maxDepth) levels (aliases and !include expanded) — flatten the data, or raise stacks.limits.max_depth in kit.yaml",
                           mark: mark, limitKey: "max_depth")
    }

    mutating func scalar(_ text: String, tag: String?, plain: Bool, anchor: String?, mark: Mark) throws {
        if expectingKey {
            // Keys are strings; non-string scalars are stringified (atmos: `1:` becomes "1").
            let key: String
            if plain, case .double(let d) = YAMLParser.resolvePlain(text) { key = JSONWriter.format(double: d) } else { key = text }
            stack.last!.pendingKey = key
            stack.last!.weight += key.utf8.count
            return
        }
        var height = 0, weight = 1 + text.utf8.count
        let value: Value
        if let tag, tag == "!include" || tag == "!include.raw", let include {
            value = try include(text, tag == "!include.raw", mark)
            (height, weight) = Self.measure(value)
            included += weight
            if included > limits.maxManifestBytes {
                throw YAMLParser.Failure(message: "the files this manifest includes are larger than \(limits.maxManifestBytes) bytes in all — include less, or raise stacks.limits.max_manifest_bytes in kit.yaml",
                                         mark: mark, limitKey: "max_manifest_bytes")
            }
        } else {
            value = try resolveScalar(text, tag: tag, plain: plain, mark: mark)
        }
        if let anchor { anchors[anchor] = Anchor(value: value, height: height, weight: weight) }
        try add(value, mark: mark, height: height, weight: weight)
    }

    func resolveScalar(_ text: String, tag: String?, plain: Bool, mark: Mark) throws -> Value {
        guard let tag, tag != "!" else { return plain ? YAMLParser.resolvePlain(text) : .string(text) }
        switch tag {
        case "tag:yaml.org,2002:str": return .string(text)
        case "tag:yaml.org,2002:int":
            guard let i = Int(text) else { throw YAMLParser.Failure(message: "\(UserText.quoted(text)) is not an integer", mark: mark) }
            return .int(i)
        case "tag:yaml.org,2002:float":
            guard let d = Double(text) else { throw YAMLParser.Failure(message: "\(UserText.quoted(text)) is not a number", mark: mark) }
            return .double(d)
        case "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null": return YAMLParser.resolvePlain(text)
        case "!include", "!include.raw": return .string("\(tag) \(text)")
        case "!literal": return .string(text)
        case "!append":
            throw YAMLParser.Failure(message: "'!append' must tag a list, not a scalar", mark: mark)
        default:
            if YAMLParser.functionTags.contains(tag) {
                return .string(text.isEmpty ? tag : "\(tag) \(text)")
            }
            throw YAMLParser.Failure(message: "unsupported YAML tag \(UserText.quoted(tag))", mark: mark)
        }
    }

    mutating func start(isMap: Bool, tag: String?, anchor: String?, mark: Mark) throws {
        if stack.count >= limits.maxDepth { throw tooDeep(mark) }
        if expectingKey { stack.last!.pendingKey = "<complex key>" }
        if recordMarks, let top = stack.last {
            path.append(top.isMap ? (top.pendingKey ?? "") : String(top.items.count))
        }
        stack.append(Frame(isMap: isMap, tag: tag, anchor: anchor, mark: mark))
    }

    mutating func startMap(tag: String?, anchor: String?, mark: Mark) throws { try start(isMap: true, tag: tag, anchor: anchor, mark: mark) }
    mutating func startList(tag: String?, anchor: String?, mark: Mark) throws { try start(isMap: false, tag: tag, anchor: anchor, mark: mark) }

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
                throw YAMLParser.Failure(message: "unsupported YAML tag \(UserText.quoted(tag)) on a map", mark: frame.mark)
            }
        } else {
            value = .list(frame.items)
            if frame.tag == "!append" {
                value = .tagged("!append", value)
            } else if let tag = frame.tag, tag != "tag:yaml.org,2002:seq", tag != "!" {
                throw YAMLParser.Failure(message: "unsupported YAML tag \(UserText.quoted(tag)) on a list", mark: frame.mark)
            }
        }
        let height = frame.height + 1
        if let anchor = frame.anchor { anchors[anchor] = Anchor(value: value, height: height, weight: frame.weight) }
        try add(value, mark: frame.mark, height: height, weight: frame.weight)
    }

    mutating func alias(_ name: String, mark: Mark) throws {
        guard let anchor = anchors[name] else {
            throw YAMLParser.Failure(message: "unknown anchor \(UserText.quoted(name))", mark: mark)
        }
        expanded += anchor.weight
        if expanded > aliasBudget {
            throw YAMLParser.Failure(message: "aliases expand this document by more than \(aliasBudget) nodes and bytes (an alias bomb?) — use fewer aliases, or raise stacks.limits.max_alias_expansion in kit.yaml",
                                     mark: mark, limitKey: "max_alias_expansion")
        }
        if expectingKey { stack.last!.pendingKey = anchor.value.interpolated; return }
        try add(anchor.value, mark: mark, height: anchor.height, weight: anchor.weight)
    }

    mutating func add(_ value: Value, mark: Mark, height: Int, weight: Int) throws {
        if stack.count + height > limits.maxDepth { throw tooDeep(mark) }
        guard let top = stack.last else {
            root = value
            if recordMarks { marks[""] = mark }
            return
        }
        top.height = max(top.height, height)
        top.weight += weight
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
                    throw YAMLParser.Failure(message: "key \(UserText.quoted(key)) appears twice in one map with different values", mark: mark)
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

    /// The height and weight of a value built elsewhere (an `!include`d document, itself parsed within the limits).
    static func measure(_ value: Value) -> (height: Int, weight: Int) {
        switch value {
        case .string(let s): return (0, 1 + s.utf8.count)
        case .tagged(_, let inner): return measure(inner)
        case .list(let items):
            var h = 0, w = 1
            for item in items { let m = measure(item); h = max(h, m.height); w += m.weight }
            return (h + 1, w)
        case .map(let entries):
            var h = 0, w = 1
            for (k, item) in entries { let m = measure(item); h = max(h, m.height); w += m.weight + k.utf8.count }
            return (h + 1, w)
        default: return (0, 1)
        }
    }
}
