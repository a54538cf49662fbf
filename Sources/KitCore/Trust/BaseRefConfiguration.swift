import KitModel
import KitStacks
import KitTerraform
/// The security-relevant settings of `describe affected` and `--affected` runs come from the
/// configuration at the base ref, never from the pull request's work tree (issue 20 §1): a pull
/// request that adds `stacks.allowed_external_paths`, a plugin path, changes a pin or
/// `plugins.isolated`, or points `components.terraform.command` at its own script changes nothing.
///
/// Applies whether or not the run is untrusted. The work tree's configuration file (the one kit
/// loaded) is read at the base commit from git objects; when the base has no such file, the
/// built-in defaults (and the job's environment variables) apply. A configuration file outside the
/// repository (`--config /etc/kit.yaml`) belongs to the job, not the pull request, and is kept.
public enum BaseRefConfiguration {
    /// `head` with `plugins`, `allowedExternalPaths` and `terraform.command` taken from the
    /// configuration at `ref`, loaded by `loader` (same environment, same trust) over the base tree.
    public static func apply(to head: KitConfig, ref: String, loader: ConfigLoader, overrides: ConfigOverrides) throws -> KitConfig {
        guard let configFile = head.configFile else { return head }
        let repo = try GitRepository(directory: head.basePath, environment: loader.environment)
        let commit = try repo.commit(ref, option: "--base")
        let real = LocalFileSystem.realPath(configFile) ?? Paths.normalize(configFile)
        guard LocalFileSystem.isInside(real, repo.root), real != repo.root else { return head }
        let rel = Paths.relative(real, to: repo.root)
        let tree = try GitTreeFileSystem(repository: repo, commit: commit, mount: repo.root, prefix: "",
                                         load: { $0 == rel || ConfigLoader.fileNames.contains(Paths.basename($0)) })
        var baseLoader = loader
        baseLoader.fileSystem = tree
        var o = overrides
        o.configDirs = []
        o.configFiles = tree.exists(real) ? [real] : []
        o.basePath = head.basePath
        let base: KitConfig
        do {
            base = try baseLoader.load(o)
        } catch let refusal as UntrustedRefusal {
            throw refusal
        } catch {
            throw AffectedError.brokenAtRef(ref: ref, problems: ["the configuration \(UserText.quoted(rel)) at '\(ref)': \(error)"])
        }
        var out = head
        out.plugins = base.plugins
        out.allowedExternalPaths = base.allowedExternalPaths
        out.terraform.command = base.terraform.command
        return out
    }
}
