import Foundation

extension ScratchRepository {
    /// A copy of the whole example repository at the package root: `kit.yaml`, `stacks/` and every
    /// module under `components/` (the AWS and Azure stacks, not only the demo).
    static func example(_ label: String) throws -> ScratchRepository {
        let scratch = try demo(label)
        let source = IntegrationPaths.packageRoot + "/components"
        try FileManager.default.removeItem(atPath: scratch.repo + "/components")
        try copyTree(source, to: scratch.repo + "/components")
        return scratch
    }
}
