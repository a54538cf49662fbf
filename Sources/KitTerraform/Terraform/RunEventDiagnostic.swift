import KitModel
import KitStacks

extension Diagnostic {
    /// A runner event as a diagnostic (nil for a dry run's text, which is output, not a diagnostic).
    public init?(_ event: RunEvent) {
        switch event {
        case .note(let m): self.init(.note, m)
        case .warning(let m): self.init(.warning, m)
        case .finding(let f): self.init(f)
        case .dryRun: return nil
        }
    }
}
