import KitModel
import KitStacks
/// Untrusted mode (rule `installed-plugins`): the plugins kit may load before it opens one.
///
/// A plugin file loads when it is first-party (`libKitAWS.so`/`libKitAzure.so` installed with the
/// kit binary), or when it was installed and locked outside the repository: its directory is not
/// inside the repository (after following links) and that directory's `plugins.lock` lists it
/// (whose sha256 `PluginLockFile.verify` then checks). Anything else — a `.so` committed in the
/// pull request, a plugin directory inside the repository, an unlocked file — is refused before
/// it is opened (its constructor never runs).
enum UntrustedPlugins {
    static func check(_ path: String, display: String, basePath: String, executablePath: String?, settings: PluginSettings) throws {
        if PluginRegistry.isFirstParty(path: path, executablePath: executablePath) { return }
        let directory = PluginFileCheck.directory(of: path)
        let realDirectory = LocalFileSystem.realPath(directory) ?? directory
        let realBase = LocalFileSystem.realPath(basePath) ?? Paths.normalize(basePath)
        if LocalFileSystem.isInside(realDirectory, realBase) || LocalFileSystem.isInside(Paths.normalize(directory), Paths.normalize(basePath)) {
            throw UntrustedRefusal(rule: .installedPlugins,
                                   what: "plugin \(UserText.quoted(display)) is inside the repository — install it with 'kit plugin install' into a directory outside the repository (e.g. ~/.kit/plugins)",
                                   location: SourceLocation(file: display))
        }
        let file = String(path.split(separator: "/").last ?? "")
        guard (try PluginLockFile.read(directory: directory)).entry(forFile: file) != nil else {
            throw UntrustedRefusal(rule: .installedPlugins,
                                   what: "plugin \(UserText.quoted(display)) is not listed in \(UserText.quoted(Paths.join(directory, PluginLockFile.fileName))) — install it with 'kit plugin install', which locks it",
                                   location: SourceLocation(file: display))
        }
    }
}
