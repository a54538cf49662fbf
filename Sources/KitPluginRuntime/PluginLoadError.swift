/// Why kit refused to load a plugin file, or could not find a requested plugin.
///
/// Every case names the file as kit found it (`path`) and says what it declares and what kit accepts.
public enum PluginLoadError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened or read.
    case unreadable(path: String, reason: String)
    /// The file does not start with the ELF magic bytes.
    case notELF(path: String)
    /// The file is ELF but not 64-bit.
    case notELF64(path: String)
    /// The file is ELF but not a shared object (ET_DYN).
    case notSharedObject(path: String, elfType: Int)
    /// The file was built for another CPU.
    case wrongMachine(path: String, found: Int, expected: Int)
    /// The file (or its directory) is writable by group or others.
    case writableByOthers(path: String, target: String, isDirectory: Bool, who: String, mode: UInt32)
    /// The file's sha256 is not the one pinned in kit.yaml.
    case pinMismatch(path: String, name: String, expected: String, actual: String)
    /// dlopen failed.
    case dlopenFailed(path: String, reason: String)
    /// The library does not export `kit_plugin_v1`.
    case missingEntryPoint(path: String)
    /// The table's magic is not "KITPLUG1".
    case badMagic(path: String, found: UInt64)
    /// The plugin speaks another ABI major.
    case abiMajorMismatch(path: String, found: UInt32, expected: UInt32)
    /// The plugin was built for a newer ABI minor than this kit speaks (it may rely on fields kit lacks).
    case abiMinorTooNew(path: String, found: UInt32, supported: UInt32)
    /// The file's sha256 differs from the one the plugin directory's lock file recorded at install.
    case lockMismatch(path: String, lockFile: String, expected: String, actual: String)
    /// The table is smaller than an ABI 1.0 table.
    case structTooSmall(path: String, found: UInt32, minimum: UInt32)
    /// The plugin shares kit's Swift runtime but was built by another Swift minor version.
    case toolchainMismatch(path: String, found: String, expected: String)
    /// The plugin loaded but its `describe` answer was unusable.
    case describeFailed(path: String, reason: String)
    /// A plugin named in the configuration was not found.
    case unknownPlugin(name: String, found: [String], searched: [String])
    /// Isolated mode: `kit-plugin-host` was not found next to kit.
    case hostNotFound(expected: String)
    /// Isolated mode: the host process refused or failed to load the plugin.
    case hostFailed(path: String, reason: String)

    /// Lowercase, values in single quotes, with what to do.
    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "plugin '\(path)' cannot be read: \(reason)"
        case .notELF(let path):
            return "plugin '\(path)' is not an ELF shared library — build it as a '.dynamic' library product and put the '.so' here"
        case .notELF64(let path):
            return "plugin '\(path)' is a 32-bit ELF file; this kit loads 64-bit shared libraries only — rebuild it for 64-bit"
        case .notSharedObject(let path, let type):
            return "plugin '\(path)' is an ELF file of type \(type), not a shared object (3) — build it as a '.dynamic' library product"
        case .wrongMachine(let path, let found, let expected):
            return "plugin '\(path)' is built for ELF machine \(found) (\(Self.machineName(found))); this kit runs on \(expected) (\(Self.machineName(expected))) — rebuild it for this machine"
        case .writableByOthers(let path, let target, let isDirectory, let who, let mode):
            let what = isDirectory ? "its directory '\(target)'" : "the file"
            return "plugin '\(path)' refused: \(what) is writable by \(who) (mode \(String(mode & 0o7777, radix: 8))) — run 'chmod go-w \(target)'"
        case .pinMismatch(let path, let name, let expected, let actual):
            return "plugin '\(path)' has sha256 '\(actual)' but kit.yaml pins '\(name)' to '\(expected)' — check where the file came from, then update 'plugins.pins.\(name)'"
        case .dlopenFailed(let path, let reason):
            return "plugin '\(path)' could not be loaded: \(reason)"
        case .missingEntryPoint(let path):
            return "plugin '\(path)' does not export 'kit_plugin_v1' — export it with KitPluginExport (see docs/plugins.md)"
        case .badMagic(let path, let found):
            return "plugin '\(path)' exports 'kit_plugin_v1' but its table has magic 0x\(String(found, radix: 16)), not 'KITPLUG1' — it is not a kit plugin"
        case .abiMajorMismatch(let path, let found, let expected):
            return "plugin '\(path)' speaks plugin ABI \(found); this kit speaks ABI \(expected) — upgrade kit or rebuild the plugin against KitPluginSDK \(expected).x"
        case .abiMinorTooNew(let path, let found, let supported):
            return "plugin '\(path)' was built for plugin ABI 1.\(found); this kit speaks ABI 1.\(supported) and does not know what 1.\(found) added — upgrade kit, or rebuild the plugin against ABI 1.\(supported) (KIT_PLUGIN_ABI_MINOR \(supported))"
        case .lockMismatch(let path, let lockFile, let expected, let actual):
            return "plugin '\(path)' has sha256 '\(actual)' but '\(lockFile)' recorded '\(expected)' when it was installed — the file changed since 'kit plugin install'; reinstall it or remove it with 'kit plugin remove'"
        case .structTooSmall(let path, let found, let minimum):
            return "plugin '\(path)' declares a \(found)-byte table; ABI 1 needs at least \(minimum) bytes — rebuild the plugin against KitPluginSDK 1.x"
        case .toolchainMismatch(let path, let found, let expected):
            return "plugin '\(path)' was built with Swift '\(found)' and shares kit's Swift runtime; this kit was built with Swift '\(expected)' — rebuild the plugin with Swift \(expected), or build it self-contained with '-static-stdlib'"
        case .describeFailed(let path, let reason):
            return "plugin '\(path)' did not describe itself: \(reason)"
        case .unknownPlugin(let name, let found, let searched):
            let have = found.isEmpty ? "no plugins were found" : "found: \(found.map { "'\($0)'" }.joined(separator: ", "))"
            return "plugin '\(name)' not found; \(have); kit looked in \(searched.map { "'\($0)'" }.joined(separator: ", ")) — put 'lib<Name>.so' in one of them or add its directory to 'plugins.paths'"
        case .hostNotFound(let expected):
            return "isolated mode needs 'kit-plugin-host' at '\(expected)' — install it next to kit or set 'plugins.isolated: false'"
        case .hostFailed(let path, let reason):
            return "plugin '\(path)' failed to start in kit-plugin-host: \(reason)"
        }
    }

    static func machineName(_ machine: Int) -> String {
        switch machine {
        case 3: return "x86"
        case 40: return "arm"
        case 62: return "x86_64"
        case 183: return "aarch64"
        case 243: return "riscv"
        default: return "unknown"
        }
    }
}

/// A failure while calling a loaded plugin.
public enum PluginCallError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The plugin answered `{"ok": false, "error": {...}}`.
    case pluginError(plugin: String, op: String, code: String, message: String, hint: String?)
    /// The plugin said the request was malformed (status 2).
    case badRequest(plugin: String, op: String, message: String)
    /// The plugin's response could not be understood.
    case invalidResponse(plugin: String, op: String, reason: String)
    /// Isolated mode: the host process died from a signal.
    case crashed(plugin: String, op: String, signal: Int32)
    /// Isolated mode: the host process exited or closed its output.
    case exited(plugin: String, op: String, status: Int32)
    /// The plugin did not answer within the configured timeout (`plugins.timeout`).
    case timedOut(plugin: String, op: String, seconds: Double)
    /// kit received SIGINT/SIGTERM while the plugin was answering; its host was stopped too.
    case interrupted(plugin: String, op: String)

    /// Lowercase, values in single quotes.
    public var description: String {
        switch self {
        case .pluginError(let plugin, let op, let code, let message, let hint):
            return "plugin '\(plugin)' failed '\(op)': \(message) [\(code)]" + (hint.map { " — \($0)" } ?? "")
        case .badRequest(let plugin, let op, let message):
            return "plugin '\(plugin)' rejected the '\(op)' request as malformed: \(message) — this is a kit or SDK version mismatch; rebuild the plugin against this kit's KitPluginSDK"
        case .invalidResponse(let plugin, let op, let reason):
            return "plugin '\(plugin)' sent an invalid response to '\(op)': \(reason)"
        case .crashed(let plugin, let op, let signal):
            return "plugin '\(plugin)' crashed (signal \(signal)) while handling '\(op)'"
        case .exited(let plugin, let op, let status):
            return "plugin '\(plugin)' exited (status \(status)) while handling '\(op)'"
        case .timedOut(let plugin, let op, let seconds):
            return "plugin '\(plugin)' did not answer '\(op)' within \(Self.seconds(seconds)) s; kit stopped it — raise 'plugins.timeout' in kit.yaml or fix the plugin"
        case .interrupted(let plugin, let op):
            return "interrupted while plugin '\(plugin)' was handling '\(op)'"
        }
    }

    /// `30`, or `0.5` for a fraction.
    public static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
