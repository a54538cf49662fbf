import Foundation
import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

/// A component folder names the stack's component using it even when another component of the stack
/// fails to resolve (atmos's `complete` fixture); the failure is reported, and it is the error when
/// no component that resolved uses the folder.
@Suite struct ComponentPathNeighbourTests {
    static func repo() throws -> FixtureRepo {
        try FixtureRepo([
            "components/terraform/app/main.tf": "",
            "components/terraform/other/main.tf": "",
            "stacks/deploy/dev.yaml": """
                components:
                  terraform:
                    app: {vars: {a: 1}}
                    broken:
                      metadata: {component: other, inherits: [no-such-base]}
                """,
        ])
    }

    @Test("the folder's user is found; the broken neighbour is named in a warning")
    func brokenNeighbour() throws {
        let repo = try Self.repo()
        let catalog = try repo.catalog()
        var warnings: [String] = []
        let name = try ComponentPath.resolve("components/terraform/app", stack: "deploy/dev", catalog: catalog,
                                             workingDirectory: repo.root, warn: { warnings.append($0) })
        #expect(name == "app")
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("'broken'") == true, "\(warnings)")
        #expect(warnings.first?.contains("no-such-base") == true, "the first error is quoted: \(warnings)")
    }

    @Test("when nothing that resolved uses the folder, the neighbour's own error is the answer, not 'no component'")
    func brokenNeighbourMayBeTheOne() throws {
        let repo = try Self.repo()
        let catalog = try repo.catalog()
        #expect(throws: StackError.self) {
            _ = try ComponentPath.resolve("components/terraform/other", stack: "deploy/dev", catalog: catalog, workingDirectory: repo.root)
        }
        do {
            _ = try ComponentPath.resolve("components/terraform/other", stack: "deploy/dev", catalog: catalog, workingDirectory: repo.root)
        } catch {
            #expect("\(error)".contains("no-such-base"), "\(error)")
        }
    }
}
