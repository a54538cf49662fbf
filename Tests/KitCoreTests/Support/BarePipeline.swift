@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

/// Unit tests of the runner drive it with components as written: they pass through a bare pipeline
/// (no functions, no validation, no state reads), the one way the runner accepts a component.
extension TerraformRunner {
    func execute(_ c: ResolvedComponent, _ inv: TerraformInvocation) throws -> RunOutcome {
        try execute(ComponentPipeline.bare().prepare(c, validation: .skip, readReferences: false), inv)
    }
}
