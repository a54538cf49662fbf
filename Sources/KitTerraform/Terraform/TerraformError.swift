import KitModel
import KitStacks
/// Errors from preparing or running terraform.
public enum TerraformError: Error, Equatable, Sendable, CustomStringConvertible {
    case commandNotFound(String)
    /// `command:` names a path that is missing, a folder, or not executable.
    case commandUnusable(command: String, problem: String)
    case componentFolderMissing(component: String, stack: String, folder: String, base: String)
    case abstract(component: String, stack: String, subcommand: String)
    case locked(component: String, stack: String, subcommand: String)
    case backendTypeRequired(component: String, stack: String)
    case httpBackendWorkspaces(component: String, stack: String)
    case planfileMissing(path: String)
    case blockedByGuardrails(component: String, stack: String, count: Int)
    case approvalRequired(component: String, stack: String)
    case notApproved
    case invalidPlanJSON(String)
    case writeFailed(path: String, reason: String)
    case referenceReadFailed(component: String, stack: String, exitCode: Int32)
    /// A component with `!terraform.state`/`!terraform.output` reached a pipeline that reads no state.
    case referencesUnavailable(component: String, stack: String)
    /// A `generate` section entry kit cannot write (see `GeneratedFiles`).
    case generateFailed(component: String, stack: String, stackFile: String, file: String, message: String)
    /// A path kit or terraform would write is a link (see `WriteTargets`).
    case redirectedWrite(path: String, reason: String, component: String, stack: String)
    /// Two pairs whose varfile/planfile names coincide (see `FileNameClaims`).
    case sharedFileNames(file: String, component: String, stack: String, otherComponent: String, otherStack: String, claim: String)
    /// Local state still in the folder of kit's earlier, non-injective layout (see `LegacyStateLayout`).
    case legacyStateFolder(component: String, stack: String, old: String, new: String)

    public var description: String {
        switch self {
        case .commandNotFound(let c):
            return "terraform command '\(c)' not found on PATH — install it, or set components.terraform.command in kit.yaml"
        case .commandUnusable(let c, let problem):
            return "terraform command \(UserText.quoted(c)) \(problem) — set 'command:' (the component's, or components.terraform.command in kit.yaml) to the terraform or tofu executable"
        case .componentFolderMissing(let c, let s, let folder, let base):
            return "component '\(c)' in stack '\(s)' points to the terraform folder '\(folder)', but it does not exist in '\(base)' — create it or fix metadata.component"
        case .abstract(let c, let s, let sub):
            return "component '\(c)' in stack '\(s)' cannot be provisioned with '\(sub)' because it is marked as abstract (metadata.type: abstract) — run a real component that inherits from it"
        case .locked(let c, let s, let sub):
            return "component '\(c)' in stack '\(s)' cannot be modified with '\(sub)' (metadata.locked: true) — unlock it in the stack to change it"
        case .backendTypeRequired(let c, let s):
            return "component '\(c)' in stack '\(s)' has no backend_type — set terraform.backend_type (e.g. 'local' or 's3') or disable auto_generate_backend_file"
        case .httpBackendWorkspaces(let c, let s):
            return "component '\(c)' in stack '\(s)' uses the 'http' backend, which does not support workspaces"
        case .planfileMissing(let p):
            return "planfile '\(p)' not found — run 'kit terraform plan' first, or pass --planfile <path>"
        case .blockedByGuardrails(let c, let s, let n):
            return "\(n) guardrail error(s) for component '\(c)' in stack '\(s)'; nothing was changed — fix them, or pass --override-guardrails '<reason>' (the reason is recorded)"
        case .approvalRequired(let c, let s):
            return "applying component '\(c)' in stack '\(s)' needs approval, and there is no terminal to ask — pass -auto-approve, or plan first and apply with --from-plan"
        case .notApproved:
            return "apply cancelled: the plan was not approved"
        case .invalidPlanJSON(let m):
            return "terraform show -json did not produce a plan document: \(m)"
        case .referenceReadFailed(let c, let s, let code):
            return "reading the outputs of '\(c)' in stack '\(s)' failed ('terraform output -json' exited with \(code)) — check that its backend is reachable and its state readable"
        case .referencesUnavailable(let c, let s):
            return "component '\(c)' in stack '\(s)' reads other components' state (!terraform.state/!terraform.output), and this command cannot read state — run it with 'kit terraform', or use --dry-run to see the references as written"
        case .writeFailed(let p, let r):
            return "cannot write '\(p)': \(r) — check that the folder exists, is writable and the disk has space"
        case .sharedFileNames(let f, let c, let s, let oc, let os, let claim):
            return "component \(UserText.quoted(c)) in stack \(UserText.quoted(s)) would write '\(UserText.escaped(f, limit: 300))', the varfile of component \(UserText.quoted(oc)) in stack \(UserText.quoted(os)) (their names join to the same file name) — rename one of them; if the other pair no longer exists, remove '\(UserText.escaped(claim, limit: 300))' (nothing was run)"
        case .redirectedWrite(let p, let r, let c, let s):
            return "refusing to write '\(UserText.escaped(p, limit: Int.max))' for component \(UserText.quoted(c)) in stack \(UserText.quoted(s)): \(r) — kit and terraform write this path, and a link would send the write (and the secrets in it) elsewhere; remove the link (nothing was run)"
        case .legacyStateFolder(let c, let s, let old, let new):
            let q = LegacyStateLayout.shellQuoted
            return "component \(UserText.quoted(c)) in stack \(UserText.quoted(s)) keeps its local state in \(q(new)) now, and that folder does not exist, " +
                "but \(q(old)) holds state from kit's earlier layout (which gave names differing only in '/' and '-' one folder) — " +
                "if that state is this component's, move it: mkdir -p \(q(Paths.dirname(new))) && mv \(q(old)) \(q(new)); " +
                "if it belongs to another component, start this one from empty state: mkdir -p \(q(new)) (nothing was run)"
        case .generateFailed(_, _, let f, _, _):
            return "\(UserText.escaped(f)): " + generateMessage
        }
    }

    /// A `generateFailed` error's text after the stack file.
    var generateMessage: String {
        guard case .generateFailed(let c, let s, _, let file, let m) = self else { return description }
        return "generate \(UserText.quoted(file)) of component \(UserText.quoted(c)) in stack \(UserText.quoted(s)): \(m)"
    }
}
