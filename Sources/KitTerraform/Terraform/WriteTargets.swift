#if canImport(Glibc)
import Glibc
#endif
import KitModel
import KitStacks

/// The paths kit and terraform write during a run must be kit's own files, never a link that
/// redirects the write: a committed symlink at the planfile path would let terraform write the plan
/// (variables included) over any file the user can write. Checked before terraform starts.
public enum WriteTargets {
    /// Why `path` must not be written, or nil when it is missing or an ordinary file or folder.
    /// A symbolic link is refused wherever it points (even nowhere); a regular file with more than
    /// one hard link is refused (a write through it changes another name too).
    public static func redirection(at path: String) -> String? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        switch st.st_mode & S_IFMT {
        case S_IFLNK:
            return "it is a symbolic link" + (ModuleMirror.readLink(path).map { " to \(UserText.quoted($0))" } ?? "")
        case S_IFREG where st.st_nlink > 1:
            return "it is a hard link (\(st.st_nlink) names share the file)"
        case S_IFREG, S_IFDIR:
            return nil
        default:
            return "it is not a regular file"
        }
    }

    /// Every path kit or terraform writes in the run `seq` of `c`: the varfile and planfiles, the
    /// backend values, the init fingerprint, and the local backend's default state files. Files kit
    /// generates into the pair's mirror are written by rename (a link there is replaced, never followed).
    public static func paths(_ c: ResolvedComponent, _ inv: TerraformInvocation, files: WorkingFiles,
                             sequence seq: CommandSequence) -> [String] {
        var out: [String] = [files.varfile, files.planfile, InitFingerprint.file(files)]
        if let r = seq.reviewPlanfile { out.append(r) }
        if let p = inv.planfile, !p.hasPrefix("/") { out.append(Paths.join(files.componentDirectory, p)) }
        for step in seq.steps { if case .write(let path, _, _) = step { out.append(path) } }
        if c.backendType == "local" {
            out += [files.localStateDirectory + "/terraform.tfstate", files.localStateDirectory + "/terraform.tfstate.backup"]
            if !c.workspace.isEmpty && c.workspace != "default" {
                let ws = files.localStateDirectory + "/workspaces/" + c.workspace
                out += [ws + "/terraform.tfstate", ws + "/terraform.tfstate.backup"]
            }
        }
        // The mirror is kit's own folder of links (refreshed before each run, written by rename), not
        // something a repository commits: its links are expected there.
        var seen: Set<String> = []
        return out.filter { !$0.hasPrefix(files.mirrorRoot + "/") && seen.insert($0).inserted }
    }
}
