import KitModel
import KitStacks
import KitTerraform
/// Errors of `describe affected` and `--affected` runs: git refs, repositories, and manifests that
/// differ between refs. Messages are lowercase, quote user values, and end with what to do.
public enum AffectedError: Error, Equatable, CustomStringConvertible {
    /// The directory is not inside a git work tree.
    case notARepository(directory: String)
    /// `git` is not installed or not on PATH.
    case gitMissing
    /// A ref that does not resolve to a commit.
    case unknownRef(ref: String, option: String)
    /// A ref that does not resolve, in a shallow clone (the commit is probably not fetched).
    case shallowClone(ref: String, option: String)
    /// A git command failed.
    case gitFailed(command: String, status: Int32, message: String)
    /// A manifest parses at one ref and not at the other.
    case brokenAtRef(ref: String, problems: [String])

    public var description: String {
        switch self {
        case .notARepository(let dir):
            return "'\(dir)' is not in a git repository — describe affected compares two git refs; run it inside a clone (or 'git init' one)"
        case .gitMissing:
            return "git not found on PATH — install git to compare refs"
        case .unknownRef(let ref, let option):
            return "\(option) '\(ref)' is not a commit in this repository — fetch it first: 'git fetch origin \(ref)' (or check the name with 'git branch -a')"
        case .shallowClone(let ref, let option):
            return "\(option) '\(ref)' is not in this repository, which is a shallow clone (CI checkouts are shallow by default) — fetch the history: 'git fetch --unshallow' or 'fetch-depth: 0' in actions/checkout, or 'git fetch --depth=1 origin \(ref)'"
        case .gitFailed(let command, let status, let message):
            return "'git \(command)' failed with exit \(status): \(message)"
        case .brokenAtRef(let ref, let problems):
            let list = problems.prefix(5).joined(separator: "; ")
            let more = problems.count > 5 ? " (and \(problems.count - 5) more)" : ""
            let at = ref == "the work tree" ? ref : "ref '\(ref)'"
            return "at \(at): \(list)\(more)"
        }
    }
}
