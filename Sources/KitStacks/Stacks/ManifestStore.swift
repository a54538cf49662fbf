import Foundation
import Synchronization
import KitModel

/// Every file below the stacks directory, listed once per run, for extension probing and import globs.
/// Glob results are memoised per pattern (the index never changes during a run).
public final class StackFileIndex: Sendable {
    /// Relative paths, sorted.
    public let files: [String]
    let set: Set<String>
    let segments: [[[UInt8]]]
    /// Positions in `files`, ordered by the paths' UTF-8 bytes: the files under one folder are a run.
    private let byteOrder: [Int]
    private let bytes: [[UInt8]]
    private let globCache = Mutex<[String: [String]]>([:])

    public init(files: [String]) {
        self.files = files
        self.set = Set(files)
        self.segments = files.map(Glob.segments)
        let bytes = files.map { Array($0.utf8) }
        self.bytes = bytes
        self.byteOrder = files.indices.sorted { bytes[$0].lexicographicallyPrecedes(bytes[$1]) }
    }

    /// Positions (in `files` order) of the files whose path starts with `prefix`; a binary search, so
    /// that a repository with many import globs does not compare every glob with every file.
    func positions(withPrefix prefix: String) -> [Int] {
        if prefix.isEmpty { return Array(files.indices) }
        let p = Array(prefix.utf8)
        var low = 0, high = byteOrder.count
        while low < high {
            let mid = (low + high) / 2
            if bytes[byteOrder[mid]].lexicographicallyPrecedes(p) { low = mid + 1 } else { high = mid }
        }
        var out: [Int] = []
        while low < byteOrder.count, bytes[byteOrder[low]].starts(with: p) {
            out.append(byteOrder[low])
            low += 1
        }
        return out.sorted()
    }

    /// True when the relative path is a file.
    public func contains(_ rel: String) -> Bool { set.contains(rel) }

    /// Files matching a glob, in lexical order.
    public func glob(_ pattern: String) -> [String] {
        if let hit = globCache.withLock({ $0[pattern] }) { return hit }
        let g = Glob(pattern)
        let prefix = Glob.literalPrefix(pattern)
        var out: [String] = []
        for i in positions(withPrefix: prefix) where g.matches(segments: segments[i]) { out.append(files[i]) }
        globCache.withLock { $0[pattern] = out }
        return out
    }

    /// The manifest ids (relative path without extension), for suggestions.
    public var manifestIDs: [String] {
        files.compactMap { f in
            for ext in [".yaml.tmpl", ".yml.tmpl", ".yaml", ".yml"] where f.hasSuffix(ext) { return String(f.dropLast(ext.count)) }
            return nil
        }
    }
}

/// Reads and parses each manifest at most once per run, however many stacks import it.
public final class ManifestStore: Sendable {
    public let fileSystem: FileSystem
    public let stacksBase: String
    public let repoBase: String
    /// Bounds on every manifest and included file.
    public let limits: InputLimits
    /// Folders (links resolved) that `!include` may read from: the repository and the allowed external paths.
    public let allowedRoots: [String]
    /// One cell per manifest: the first thread to ask parses it while holding the cell's lock, so a
    /// manifest is parsed exactly once however many threads ask at the same time.
    final class Cell: Sendable {
        let result = Mutex<Result<Value, Error>?>(nil)
    }
    private struct State {
        var cells: [String: Cell] = [:]
        var withActions: Set<String> = []
        /// Manifests whose text cannot spell a YAML function (see `FunctionText`).
        var functionTextFree: Set<String> = []
        var texts: [String: String] = [:]
        var parseCount = 0
        var bytesParsed = 0
    }
    private let state = Mutex(State())
    /// Marks of the few manifests errors were located in lately: a repository with many errors in
    /// one file (every component of a stack failing the same way) must not re-parse it per error.
    private let recentMarks = Mutex<[String: [String: Mark]]>([:])
    private static let recentMarksLimit = 8
    /// Manifest (absolute) → the files its `!include`s read (absolute, as written, before links are
    /// resolved): `describe affected` counts a change to one as a change to the manifest.
    private let includedFiles = Mutex<[String: Set<String>]>([:])

    /// Whether an `!include` query may read the environment (`env`, `$ENV`): not in untrusted mode.
    let queryEnvironment: QueryEnvironmentAccess

    public init(fileSystem: FileSystem, stacksBase: String, repoBase: String,
                limits: InputLimits = .standard, allowedRoots: [String]? = nil,
                queryEnvironment: QueryEnvironmentAccess = .allowed) {
        self.queryEnvironment = queryEnvironment
        self.fileSystem = fileSystem
        self.stacksBase = stacksBase
        self.repoBase = repoBase
        self.limits = limits
        self.allowedRoots = allowedRoots ?? [repoBase]
    }

    /// Reads a manifest within the size limit; refusals become located stack errors.
    func readManifest(_ abs: String) throws -> [UInt8] {
        do { return try fileSystem.readRegularFile(abs, limit: limits.maxManifestBytes) } catch let f as FileReadFailure {
            if case .tooLarge = f {
                throw StackError.limitExceeded(SourceLocation(file: display(abs)),
                                               message: "the file is larger than \(limits.maxManifestBytes) bytes — split it, or raise stacks.limits.max_manifest_bytes in kit.yaml")
            }
            throw StackError.unreadable(file: display(abs), reason: "\(f)")
        } catch {
            throw StackError.unreadable(file: display(abs), reason: "\(error)")
        }
    }

    /// The files the `!include`s of a manifest (relative to the stacks directory) read, absolute,
    /// once the manifest has been parsed.
    public func includes(of rel: String) -> Set<String> {
        includedFiles.withLock { $0[Paths.join(stacksBase, rel)] ?? [] }
    }

    /// How many manifests were parsed, and their total size.
    public var statistics: (parsed: Int, bytes: Int) {
        state.withLock { ($0.parseCount, $0.bytesParsed) }
    }

    /// A repository-relative display path for an absolute path.
    public func display(_ abs: String) -> String { Paths.relative(abs, to: repoBase) }

    /// The raw text of a manifest (relative to the stacks directory).
    public func text(_ rel: String) throws -> String {
        let abs = Paths.join(stacksBase, rel)
        if let t = state.withLock({ $0.texts[abs] }) { return t }
        let bytes = try readManifest(abs)
        let t = String(decoding: bytes, as: UTF8.self)
        state.withLock { $0.texts[abs] = t }
        return t
    }

    /// A manifest's bytes, read now (not cached; `ManifestFactsCache` keys its records by them).
    public func bytes(_ rel: String) throws -> [UInt8] { try readManifest(Paths.join(stacksBase, rel)) }

    /// The parsed manifest (relative to the stacks directory); parsed exactly once, then cached,
    /// even when several threads ask for it at the same time.
    public func manifest(_ rel: String) throws -> Value {
        let abs = Paths.join(stacksBase, rel)
        let cell = state.withLock { s -> Cell in
            if let c = s.cells[abs] { return c }
            let c = Cell()
            s.cells[abs] = c
            return c
        }
        let result = cell.result.withLock { cached -> Result<Value, Error> in
            if let cached { return cached }
            let r = Result { () throws -> Value in
                let bytes = try readManifest(abs)
                let value = try parse(bytes: bytes, abs: abs)
                let hasAction = Self.containsAction(bytes)
                let functionTextFree = !FunctionText.mayHold(bytes)
                state.withLock { s in
                    if hasAction { s.withActions.insert(abs) }
                    if functionTextFree { s.functionTextFree.insert(abs) }
                    s.parseCount += 1
                    s.bytesParsed += bytes.count
                }
                return value
            }
            cached = r
            return r
        }
        return try result.get()
    }

    /// True when a parsed manifest's text holds a template action (`{{`), so the component template
    /// pass has work to do for stacks that import it.
    public func hasTemplateActions(_ rel: String) -> Bool {
        let abs = Paths.join(stacksBase, rel)
        return state.withLock { $0.withActions.contains(abs) }
    }

    /// True when a parsed manifest's text cannot spell a YAML function (`FunctionText.mayHold` said
    /// no). False for a manifest not parsed through `manifest(_:)`: unknown is not free.
    public func cannotHoldFunctionText(_ rel: String) -> Bool {
        let abs = Paths.join(stacksBase, rel)
        return state.withLock { $0.functionTextFree.contains(abs) }
    }

    static func containsAction(_ bytes: [UInt8]) -> Bool {
        var prev: UInt8 = 0
        for b in bytes {
            if b == 123 && prev == 123 { return true }
            prev = b
        }
        return false
    }

    /// Parses rendered text (not cached: it depends on a template context).
    public func parse(text: String, rel: String) throws -> Value {
        try parse(bytes: Array(text.utf8), abs: Paths.join(stacksBase, rel))
    }

    /// The marks of every node of a manifest, for error positions and provenance (the last few
    /// files' are kept).
    public func marks(_ rel: String) -> [String: Mark] {
        if let hit = recentMarks.withLock({ $0[rel] }) { return hit }
        let abs = Paths.join(stacksBase, rel)
        guard let bytes = try? readManifest(abs) else { return [:] }
        let marks = (try? bytes.withUnsafeBytes { try YAMLParser.parse(bytes: $0, recordMarks: true, limits: limits, include: includeResolver(abs)) }.marks) ?? [:]
        recentMarks.withLock { cache in
            if cache.count >= Self.recentMarksLimit { cache.removeAll() }
            cache[rel] = marks
        }
        return marks
    }

    func parse(bytes: [UInt8], abs: String) throws -> Value {
        do {
            let v = try bytes.withUnsafeBytes { try YAMLParser.parse(bytes: $0, limits: limits, include: includeResolver(abs)) }.value
            if case .null = v { return .emptyMap }
            return v
        } catch let f as YAMLParser.Failure {
            let location = SourceLocation(file: display(abs), mark: f.mark)
            if f.limitKey != nil { throw StackError.limitExceeded(location, message: f.message) }
            throw StackError.malformedYAML(location, message: f.message)
        }
    }

    /// `!include path`: ./ and ../ relative to the manifest, absolute as is, other paths relative to base_path.
    /// YAML and JSON files become data, `.tfvars`/`.hcl` attribute files too (`TFVarsParser`); other files become their text.
    func includeResolver(_ abs: String) -> IncludeResolver {
        let repoBase = repoBase
        let display = self.display
        return { [self] argument, raw, mark in
            let pathText = argument.split(separator: " ", maxSplits: 1).first.map(String.init) ?? argument
            let shown = UserText.quoted(pathText)
            if Paths.isRemoteAddress(pathText) {
                throw YAMLParser.Failure(message: "!include \(shown) is a remote address; kit includes files of the repository only (it does not download during a run) — vendor the file (kit vendor pull) and include its path",
                                         mark: mark, limitKey: "remote_include")
            }
            let target: String
            if pathText.hasPrefix("./") || pathText.hasPrefix("../") {
                target = Paths.join(Paths.dirname(abs), pathText)
            } else {
                target = Paths.join(repoBase, pathText)
            }
            includedFiles.withLock { _ = $0[abs, default: []].insert(target) }
            guard pathText.utf8.count <= 4096, let real = confined(target) else {
                throw YAMLParser.Failure(message: "!include \(shown) is outside the repository — include files inside it, or list their folder in stacks.allowed_external_paths in kit.yaml",
                                         mark: mark, limitKey: "allowed_external_paths")
            }
            let bytes: [UInt8]
            do { bytes = try fileSystem.readRegularFile(real, limit: limits.maxManifestBytes) } catch let f as FileReadFailure {
                if case .tooLarge = f {
                    throw YAMLParser.Failure(message: "!include \(shown) is larger than \(limits.maxManifestBytes) bytes — include a smaller file, or raise stacks.limits.max_manifest_bytes in kit.yaml",
                                             mark: mark, limitKey: "max_manifest_bytes")
                }
                throw YAMLParser.Failure(message: "!include \(shown) cannot be read: \(f) — include a regular file", mark: mark, limitKey: "regular_files")
            } catch {
                throw YAMLParser.Failure(message: "!include \(shown) not found (looked at \(UserText.quoted(display(target))))", mark: mark)
            }
            let text = String(decoding: bytes, as: UTF8.self)
            if raw { return .string(text) }
            let query = argument.split(separator: " ", maxSplits: 1).dropFirst().first.map { String($0).trimmingSpaces() } ?? ""
            if target.hasSuffix(".yaml") || target.hasSuffix(".yml") || target.hasSuffix(".json") {
                let data: Value
                do { data = try YAMLParser.parse(text, limits: limits).value } catch let f as YAMLParser.Failure {
                    throw YAMLParser.Failure(message: "in !include \(shown) at \(f.mark): \(f.message)", mark: mark, limitKey: f.limitKey)
                }
                return try Self.select(query, in: data, pathText: pathText, mark: mark, environment: queryEnvironment)
            }
            if target.hasSuffix(".tfvars") || target.hasSuffix(".hcl") {
                let data: Value
                do { data = try TFVarsParser.parse(text) } catch let f as TFVarsParser.Failure {
                    throw YAMLParser.Failure(message: "in !include \(shown) at \(f.mark): \(f.message)", mark: mark)
                }
                return try Self.select(query, in: data, pathText: pathText, mark: mark, environment: queryEnvironment)
            }
            if !query.isEmpty {
                throw YAMLParser.Failure(message: "!include \(shown) has a query \(UserText.quoted(query)), but only YAML and JSON files can be queried", mark: mark)
            }
            return .string(text)
        }
    }

    /// The path to read for `target` when it lies inside the allowed folders (checked on the path as
    /// written and, when it exists, with links resolved), else nil.
    func confined(_ target: String) -> String? {
        guard allowedRoots.contains(where: { LocalFileSystem.isInside(target, $0) }) ||
              allowedRoots.contains(where: { LocalFileSystem.isInside(target, LocalFileSystem.realPath($0) ?? $0) }) else { return nil }
        guard fileSystem is LocalFileSystem, let real = LocalFileSystem.realPath(target) else { return target }
        let roots = allowedRoots.map { LocalFileSystem.realPath($0) ?? $0 }
        return roots.contains(where: { LocalFileSystem.isInside(real, $0) }) ? real : nil
    }

    /// The part of an `!include`d document a jq query selects (docs/query.md): exactly one result.
    /// A path to a key or index the file lacks (`.vars.nope`, `.list[9]`) is an error rather than null.
    static func select(_ query: String, in data: Value, pathText: String, mark: Mark,
                       environment: QueryEnvironmentAccess = .allowed) throws -> Value {
        if query.isEmpty || query == "." { return data }
        let prefix = "!include \(UserText.quoted(pathText)): "
        do {
            let value = try QueryExpression.parse(query, environment: environment).evaluate(data)
            if value.isNull, let missing = try missingPath(query, in: data) {
                throw YAMLParser.Failure(message: prefix + "\(UserText.quoted(query)) is not in the file (\(missing))", mark: mark)
            }
            return value
        } catch let e as QueryError {
            throw YAMLParser.Failure(message: prefix + "the query \(UserText.quoted(query)): \(e.detail)", mark: mark)
        }
    }

    /// When `query` is a path expression (`.a.b[0]`) one of whose steps is missing from `data`, what
    /// is missing (`no key 'b'`); nil when every step exists or the query is not a path.
    static func missingPath(_ query: String, in data: Value) throws -> String? {
        guard let paths = try? QueryExpression.parse("path(\(query))").evaluateAll(data) else { return nil }
        for case .list(let steps) in paths {
            var current = data
            for step in steps {
                while case .tagged(_, let inner) = current { current = inner }
                switch (current, step) {
                case (.map(let m), .string(let k)):
                    guard let next = m[k] else { return "no key \(UserText.quoted(k))" }
                    current = next
                case (.list(let l), .int(let i)):
                    let at = i < 0 ? l.count + i : i
                    guard l.indices.contains(at) else { return "no item \(i): the list has \(l.count)" }
                    current = l[at]
                default:
                    return nil
                }
            }
        }
        return nil
    }
}
