import KitModel
/// Path-style component arguments (atmos's `ResolveComponentFromPath`, issue 21):
/// `kit describe component . -s dev` in a component folder, `./vpc`, `components/terraform/vpc`.
///
/// - An argument is a path when it is `.`, starts with `./` or `../`, or is absolute (atmos's
///   `IsExplicitComponentPath`); or when it holds a `/`, names no component, and is a folder
///   (relative to the working directory) inside a components base path.
/// - An explicit relative path is taken relative to the working directory; when nothing is there, relative
///   to the terraform base path (`./vpc` from the repository root means `components/terraform/vpc`).
/// - The folder below the components base path (terraform's `components.terraform.base_path`, for other
///   types `components.<type>.base_path` or `components/<type>`) is matched against the folders of the
///   stack's components (`metadata.component`, or the name); abstract components are not candidates.
/// - Errors (as atmos): a path in the stacks directory, the components base path itself, a path outside
///   every components base path, no component of the stack using the folder, more than one doing so.
public enum ComponentPath {
    /// A path argument that names no component.
    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        case inStacksDirectory(path: String, stacksBase: String)
        case componentsBase(path: String, base: String)
        case outsideComponents(path: String, bases: [String])
        case noComponent(folder: String, type: String, stack: String, available: [String])
        case ambiguous(folder: String, stack: String, components: [String])

        public var description: String {
            switch self {
            case .inStacksDirectory(let path, let base):
                return "the component path \(UserText.quoted(path)) is in the stacks directory '\(base)', not a component folder — give a folder under a components base path, or the component's name"
            case .componentsBase(let path, let base):
                return "the component path \(UserText.quoted(path)) is the components base path '\(base)' itself — give a component folder inside it, e.g. '\(base)/vpc'"
            case .outsideComponents(let path, let bases):
                return "the component path \(UserText.quoted(path)) is not inside a components base path (\(bases.map { "'\($0)'" }.joined(separator: ", "))) — give a component folder, or the component's name"
            case .noComponent(let folder, let type, let stack, let available):
                let hint = available.isEmpty ? "" : " — its \(type) components are: \(available.joined(separator: ", "))"
                return "no \(type) component of stack \(UserText.quoted(stack)) uses the folder \(UserText.quoted(folder))\(hint)"
            case .ambiguous(let folder, let stack, let components):
                return "the folder \(UserText.quoted(folder)) is used by \(components.count) components of stack \(UserText.quoted(stack)) (\(components.joined(separator: ", "))) — name one of them instead of the path"
            }
        }
    }

    /// True for `.`, `./…`, `../…` and absolute paths.
    public static func isExplicit(_ argument: String) -> Bool {
        argument == "." || argument == ".." || argument.hasPrefix("./") || argument.hasPrefix("../") || argument.hasPrefix("/")
    }

    /// The component name `argument` stands for in `stack`: the argument itself when it is not a path.
    /// `warn` hears about components of the stack that failed to resolve while the folder's user was
    /// looked for (they are not the answer's concern unless nothing else uses the folder).
    public static func resolve(_ argument: String, stack: String, catalog: StackCatalog, workingDirectory: String,
                               fileSystem: FileSystem = LocalFileSystem(), warn: (String) -> Void = { _ in }) throws -> String {
        let config = catalog.config
        let bases = componentBases(config)
        let explicit = isExplicit(argument)
        var path = Paths.normalize(argument.hasPrefix("/") ? argument : Paths.join(workingDirectory, argument))
        if !explicit {
            // `components/terraform/vpc`: a path only when it is a folder inside a components base.
            guard argument.contains("/"), fileSystem.isDirectory(path),
                  bases.contains(where: { LocalFileSystem.isInside(real(path), real($0.path)) && real(path) != real($0.path) }) else { return argument }
        } else if !argument.hasPrefix("/") && !fileSystem.exists(path) {
            let underTerraform = Paths.normalize(Paths.join(config.terraform.basePath, argument))
            if fileSystem.exists(underTerraform) { path = underTerraform }
        }
        let resolved = real(path)
        let stacksBase = real(config.stacksBasePath)
        if LocalFileSystem.isInside(resolved, stacksBase) {
            throw Failure.inStacksDirectory(path: argument, stacksBase: Paths.relative(config.stacksBasePath, to: config.basePath))
        }
        for base in bases {
            let b = real(base.path)
            guard LocalFileSystem.isInside(resolved, b) else { continue }
            let baseDisplay = Paths.relative(base.path, to: config.basePath)
            if resolved == b { throw Failure.componentsBase(path: argument, base: baseDisplay) }
            let folder = Paths.relative(resolved, to: b)
            return try component(using: folder, type: base.type, stack: stack, catalog: catalog, warn: warn)
        }
        let shown = bases.filter { $0.type == "terraform" || fileSystem.isDirectory($0.path) }
        throw Failure.outsideComponents(path: argument, bases: shown.map { Paths.relative($0.path, to: config.basePath) })
    }

    /// The non-abstract component of `stack` whose folder is `folder`.
    static func component(using folder: String, type: String, stack: String, catalog: StackCatalog,
                          warn: (String) -> Void = { _ in }) throws -> String {
        let names = catalog.stackNames(types: [type])
        guard let inStack = names[stack] else {
            let all = catalog.stackNames(types: StackCatalog.allComponentTypes)
            if all[stack] != nil { throw Failure.noComponent(folder: folder, type: type, stack: stack, available: []) }
            throw StackError.unknownStack(stack: stack, suggestion: Suggestions.closest(to: stack, in: Array(all.keys)).first, component: nil)
        }
        var matches: [String] = []
        // A component that fails to resolve does not stop the search (atmos finds the folder's user
        // however broken its neighbours are); it is reported, and it is the error when nothing else
        // uses the folder — it may be the one that does.
        var failed: [(name: String, error: Error)] = []
        for name in inStack.sorted() {
            do {
                let c = try catalog.find(component: name, stack: stack, types: [type])
                if c.folder == folder && !c.isAbstract { matches.append(name) }
            } catch {
                failed.append((name, error))
            }
        }
        if matches.isEmpty, let first = failed.first { throw first.error }
        if !failed.isEmpty {
            warn("the folder \(UserText.quoted(folder)) was matched without \(failed.count) component(s) of stack '\(stack)' that failed to resolve (\(failed.map { "'\($0.name)'" }.joined(separator: ", "))); if one of them uses the folder too, name the component instead of the path — first error: \(UserText.firstLine("\(failed[0].error)"))")
        }
        switch matches.count {
        case 1: return matches[0]
        case 0: throw Failure.noComponent(folder: folder, type: type, stack: stack, available: inStack.sorted())
        default: throw Failure.ambiguous(folder: folder, stack: stack, components: matches)
        }
    }

    /// Each component type's base path (absolute), terraform first.
    static func componentBases(_ config: KitConfig) -> [(type: String, path: String)] {
        var out: [(type: String, path: String)] = [("terraform", config.terraform.basePath)]
        for type in StackCatalog.describedOnlyComponentTypes {
            let configured = config.rawConfiguration.value(at: ["components", type, "base_path"])?.stringValue ?? ""
            let rel = configured.isEmpty ? "components/\(type)" : configured
            out.append((type, rel.hasPrefix("/") ? rel : Paths.normalize(Paths.join(config.basePath, rel))))
        }
        return out
    }

    static func real(_ path: String) -> String { LocalFileSystem.realPath(path) ?? path }
}
