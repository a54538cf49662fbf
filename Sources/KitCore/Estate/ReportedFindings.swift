import KitPluginSDK
import Synchronization
import KitModel
import KitStacks
import KitTerraform

/// The guardrail findings a run reported, collected from its report events.
///
/// A run that guardrails block throws before it returns an outcome; the findings that blocked it
/// were reported on the way, and this keeps them so the estate summary (and run record) can show
/// why the component stopped.
public final class ReportedFindings: Sendable {
    private let findings = Mutex<[Finding]>([])

    public init() {}

    /// Keeps the finding of a `.finding` event; ignores other events.
    public func take(_ event: RunEvent) {
        if case .finding(let f) = event { findings.withLock { $0.append(f) } }
    }

    /// Every finding taken, in report order.
    public var all: [Finding] { findings.withLock { $0 } }
}
