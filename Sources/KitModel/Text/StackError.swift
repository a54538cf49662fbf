/// Where something is: a file (relative to the repository when possible) and an optional position.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var mark: Mark?
    public init(file: String, mark: Mark? = nil) { self.file = file; self.mark = mark }
    public var description: String { mark.map { "\(file):\($0.line):\($0.column)" } ?? file }
}

/// Errors from reading, importing, merging and resolving stacks. Messages are lowercase, quote user
/// values in single quotes, and end with what to do.
public enum StackError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformedYAML(SourceLocation, message: String)
    case unreadable(file: String, reason: String)
    case importNotFound(SourceLocation, importPath: String, suggestion: String?)
    case importCycle(chain: [String])
    case invalidImport(SourceLocation, message: String)
    case invalidSection(SourceLocation?, path: String, expected: String, found: String, stack: String?, component: String?)
    case inheritanceCycle(stack: String, chain: [String])
    /// An inheritance cycle with the position of the link that closes it.
    case locatedInheritanceCycle(SourceLocation, stack: String, chain: [String])
    case unknownBase(SourceLocation?, stack: String, component: String, base: String, via: String, suggestion: String?)
    case unknownStack(stack: String, suggestion: String?, component: String?)
    case unknownComponent(component: String, stack: String, suggestions: [String])
    case duplicateStack(stack: String, component: String, files: [String])
    case noManifests(stacksBase: String, patterns: [String])
    case noRepository(directory: String)
    case componentEscapes(SourceLocation?, component: String, folder: String, stack: String)
    case globalMetadataField(SourceLocation, key: String)
    case backendTypeMismatch(stack: String, component: String, section: String, type: String, keys: [String])
    case missingNameToken(file: String, token: String, pattern: String, component: String)
    case template(SourceLocation, message: String)
    case invalidMergeStrategy(SourceLocation?, value: String)
    case functionNotEvaluated(stack: String, component: String, path: String, function: String)
    case limitExceeded(SourceLocation, message: String)
    case outsideRepository(SourceLocation?, what: String, path: String, repository: String)
    case directoryLoop(path: String, target: String)
    case unreadableFolder(path: String, reason: String)
    case tooManyFiles(stacksBase: String, limit: Int)
    case invalidStackName(SourceLocation?, name: String, reason: String)
    case notTerraform(component: String, stack: String, type: String)
    case stackNotResolved(stack: String, suggestion: String?, failedManifests: [String], firstError: String)
    case validationFailed(component: String, stack: String, problems: [String])
    case yamlFunction(SourceLocation?, stack: String, component: String, path: String, function: String, message: String)

    public var description: String { UserText.line(text) }

    /// True for "stack not found" and "component not found".
    public var isNotFound: Bool {
        switch self {
        case .unknownStack, .unknownComponent, .stackNotResolved: return true
        default: return false
        }
    }

    /// The whole text: the place, then the message.
    private var text: String { place.map { "\($0): " + message } ?? message }

    /// Where the text says the error is, printed before the message: a file:line:column, a file, or a
    /// folder (nil when the error names no place).
    var place: String? {
        switch self {
        case .malformedYAML(let loc, _), .limitExceeded(let loc, _), .importNotFound(let loc, _, _), .invalidImport(let loc, _),
             .locatedInheritanceCycle(let loc, _, _), .globalMetadataField(let loc, _), .template(let loc, _):
            return loc.description
        case .outsideRepository(let loc, _, _, _), .invalidStackName(let loc, _, _), .invalidSection(let loc, _, _, _, _, _),
             .unknownBase(let loc, _, _, _, _, _), .componentEscapes(let loc, _, _, _), .invalidMergeStrategy(let loc, _),
             .yamlFunction(let loc, _, _, _, _, _):
            return loc?.description
        case .directoryLoop(let path, _), .unreadableFolder(let path, _), .unreadable(let path, _), .missingNameToken(let path, _, _, _):
            return path
        case .tooManyFiles(let base, _):
            return base
        case .importCycle, .inheritanceCycle, .unknownStack, .unknownComponent, .duplicateStack, .noManifests, .noRepository,
             .backendTypeMismatch, .validationFailed, .stackNotResolved, .notTerraform, .functionNotEvaluated:
            return nil
        }
    }

    /// The text after the place (before control characters are escaped).
    public var message: String {
        switch self {
        case .malformedYAML(_, let message):
            return "malformed YAML: \(message) — fix the syntax at this position"
        case .limitExceeded(_, let message):
            return message
        case .outsideRepository(_, let what, let path, let repository):
            return "\(what) \(UserText.quoted(path)) is outside the repository \(UserText.quoted(repository)) — move it into the repository, or list its folder in stacks.allowed_external_paths in kit.yaml"
        case .directoryLoop(_, let target):
            return "the folder link leads back to \(UserText.quoted(target)), which contains it (a loop) — remove the link"
        case .unreadableFolder(_, let reason):
            return "cannot list the folder: \(reason) — fix its permissions, or move it out of the stacks directory"
        case .tooManyFiles(_, let limit):
            return "the stacks directory holds more than \(limit) files and folders — point stacks.base_path at the stacks only, or raise stacks.limits.max_files in kit.yaml"
        case .invalidStackName(_, let name, let reason):
            return "stack name \(UserText.quoted(name)) \(reason) — choose a name of plain segments (letters, digits, '-', '_', '.', '/')"
        case .unreadable(_, let reason):
            return "cannot read the file: \(reason) — check that it exists and is readable"
        case .importNotFound(_, let path, let suggestion):
            let hint = suggestion.map { " — did you mean \(UserText.quoted($0))?" } ?? " — check the path (relative to the stacks directory, or to this file with ./ or ../) or add 'skip_if_missing: true'"
            return "import \(UserText.quoted(path)) not found\(hint)"
        case .importCycle(let chain):
            return "import cycle: \(chain.map { "\(UserText.quoted($0))" }.joined(separator: " → ")) — remove one of these imports"
        case .invalidImport(_, let message):
            return "invalid import: \(message)"
        case .invalidSection(_, let path, let expected, let found, let stack, let component):
            var where_ = ""
            if let stack { where_ += " in stack \(UserText.quoted(stack))" }
            if let component { where_ += " (component \(UserText.quoted(component)))" }
            return "section \(UserText.quoted(path))\(where_) must be a \(expected), found a \(found) — change it to a \(expected)"
        case .locatedInheritanceCycle(_, let stack, let chain):
            return StackError.inheritanceCycle(stack: stack, chain: chain).message
        case .inheritanceCycle(let stack, let chain):
            return "component inheritance cycle in stack \(UserText.quoted(stack)): \(chain.map { "\(UserText.quoted($0))" }.joined(separator: " → ")) — remove one of these 'inherits'/'component' links"
        case .unknownBase(_, let stack, let component, let base, let via, let suggestion):
            let hint = suggestion.map { " — did you mean \(UserText.quoted($0))?" } ?? " — define it in the stack or its imports, or remove it from \(UserText.quoted(via))"
            return "component \(UserText.quoted(component)) inherits from \(UserText.quoted(base)) (using \(UserText.quoted(via))) in stack \(UserText.quoted(stack)), but \(UserText.quoted(base)) is not defined\(hint)"
        case .unknownStack(let stack, let suggestion, let component):
            let comp = component.map { " containing component \(UserText.quoted($0))" } ?? ""
            let hint = suggestion.map { " — did you mean \(UserText.quoted($0))?" } ?? " — run 'kit list stacks' to see the stack names"
            return "stack \(UserText.quoted(stack))\(comp) not found\(hint)"
        case .unknownComponent(let component, let stack, let suggestions):
            let hint = suggestions.isEmpty
                ? " — run 'kit list components -s \(stack)' to see its components"
                : " — did you mean \(suggestions.map { "\(UserText.quoted($0))" }.joined(separator: " or "))?"
            return "component \(UserText.quoted(component)) not found in stack \(UserText.quoted(stack))\(hint)"
        case .duplicateStack(let stack, let component, let files):
            return "stack \(UserText.quoted(stack)) is defined by several manifests with different configuration for component \(UserText.quoted(component)): \(files.map { "\(UserText.quoted($0))" }.joined(separator: ", ")) — give each manifest a distinct name (vars or 'name:')"
        case .noManifests(let base, let patterns):
            return "no stack manifests found in \(UserText.quoted(base)) matching \(patterns.map { "\(UserText.quoted($0))" }.joined(separator: ", ")) — check stacks.base_path and stacks.included_paths in kit.yaml"
        case .noRepository:
            return "no kit.yaml or atmos.yaml in this directory or its parents, and no 'stacks' directory here — run kit from the root of a stack repository, or create kit.yaml"
        case .componentEscapes(_, let component, let folder, let stack):
            return "component \(UserText.quoted(component)) in stack \(UserText.quoted(stack)) points to folder \(UserText.quoted(folder)), which is outside the components directory — use a path below components.terraform.base_path without '..'"
        case .globalMetadataField(_, let key):
            return "'metadata.\(key)' is not allowed at the top level of a manifest (only labels, tags, custom, enabled, locked, terraform_workspace_pattern) — move it into a component's metadata"
        case .backendTypeMismatch(let stack, let component, let section, let type, let keys):
            return "component \(UserText.quoted(component)) in stack \(UserText.quoted(stack)): \(section) defines \(keys.map { "\(UserText.quoted($0))" }.joined(separator: ", ")) but the \(section)_type is \(UserText.quoted(type)) — add a '\(section).\(type)' block or set \(section)_type to one of the defined types"
        case .missingNameToken(_, let token, let pattern, let component):
            return "the stack name pattern \(UserText.quoted(pattern)) needs \(UserText.quoted(token)), but component \(UserText.quoted(component)) has no string 'vars.\(token)' — set vars.\(token) (as a string) in this stack or its imports"
        case .template(_, let message):
            return "template error: \(message)"
        case .invalidMergeStrategy(_, let value):
            return "invalid list_merge_strategy \(UserText.quoted(value)) — use one of 'replace', 'append', 'merge'"
        case .validationFailed(let component, let stack, let problems):
            return "component \(UserText.quoted(component)) in stack \(UserText.quoted(stack)) failed its settings.validation (\(problems.count) problem(s)); terraform was not run — fix the configuration, or set 'disabled: true' on the validation entry"
        case .stackNotResolved(let stack, let suggestion, let failed, let firstError):
            let names = failed.map { UserText.quoted($0) }.joined(separator: ", ")
            let hint = suggestion.map { "; or did you mean \(UserText.quoted($0))?" } ?? ""
            return "stack \(UserText.quoted(stack)) is not among the stacks that resolve, and \(failed.count) stack manifest(s) could not be loaded (\(names)); the first: \(firstError) — fix that manifest and retry\(hint)"
        case .notTerraform(let component, let stack, let type):
            return "component \(UserText.quoted(component)) in stack \(UserText.quoted(stack)) is a \(type) component, and kit runs terraform only — run it with atmos or \(type) ('kit describe component' shows its configuration)"
        case .yamlFunction(_, let stack, let component, let path, let function, let message):
            return "\(function) in \(UserText.quoted(path)) of component \(UserText.quoted(component)) in stack \(UserText.quoted(stack)): \(message)"
        case .functionNotEvaluated(let stack, let component, let path, let function):
            return "component \(UserText.quoted(component)) in stack \(UserText.quoted(stack)): \(UserText.quoted(path)) uses \(UserText.quoted(function)), which kit does not evaluate yet — replace it with a literal value or an '!env' lookup"
        }
    }
}

/// Closest candidates by edit distance, for "did you mean" hints.
public enum Suggestions {
    /// The candidates within a small edit distance of `word`, best first (at most `limit`).
    /// Words longer than 256 bytes get no suggestion (the edit distance is quadratic).
    public static func closest(to word: String, in candidates: [String], limit: Int = 1) -> [String] {
        guard word.utf8.count <= 256 else { return [] }
        let w = Array(word.lowercased().utf8)
        let threshold = max(2, w.count / 3)
        var scored: [(Int, String)] = []
        for c in candidates where c.utf8.count <= 256 {
            let d = distance(w, Array(c.lowercased().utf8))
            if d <= threshold { scored.append((d, c)) }
        }
        return scored.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }.prefix(limit).map(\.1)
    }

    static func distance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }
}
