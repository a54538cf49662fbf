import KitModel
import KitStacks
import KitTerraform
/// `describe affected` and `--affected` runs in untrusted mode: a manifest refused by an untrusted
/// rule is an error at either ref, never the warning that a manifest broken at both refs gets (its
/// components would otherwise go uncompared, and the pull request's change unreported).
enum UntrustedAffected {
    /// The text every refusal carries (`UntrustedRefusal.message`), also inside wrapping errors.
    static let marker = "refused by --untrusted"

    static func check(head: RefSnapshot, base: RefSnapshot, trust: TrustPolicy) throws {
        guard trust.untrusted else { return }
        for snapshot in [head, base] {
            let refused = snapshot.broken.sorted { $0.key < $1.key }.map(\.value).filter { $0.contains(marker) }
            if !refused.isEmpty { throw AffectedError.brokenAtRef(ref: snapshot.label, problems: refused) }
        }
    }
}
