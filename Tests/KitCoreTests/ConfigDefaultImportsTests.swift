import Foundation
import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

/// atmos.d/ and .atmos.d/ next to atmos.yaml (and at the git root): atmos's default imports, merged
/// under the configuration file (issue 21).
@Suite struct ConfigDefaultImportsTests {
    @Test("a configuration split into atmos.d/ is read; the configuration file's own settings win")
    func splitConfiguration() throws {
        let repo = try FixtureRepo([
            "atmos.yaml": "base_path: .\ncomponents:\n  terraform:\n    base_path: components/terraform\n",
            "atmos.d/stacks.yaml": "stacks:\n  base_path: stacks\n  included_paths: [\"deploy/**/*\"]\n  name_pattern: \"{stage}\"\n",
            "atmos.d/nested/override.yaml": "stacks:\n  name_pattern: \"{tenant}-{stage}\"\n",
            "atmos.d/atmos.yaml": "components:\n  terraform:\n    base_path: from-atmos-d\n",
        ], kitYAML: nil)
        let c = try repo.config()
        #expect(c.stacksBasePath == repo.root + "/stacks")
        // Deeper files come after shallower ones, so nested/override.yaml wins over stacks.yaml.
        #expect(c.namePattern == "{tenant}-{stage}")
        // atmos.yaml's own components.terraform.base_path wins over atmos.d/atmos.yaml's.
        #expect(c.terraform.basePath == repo.root + "/components/terraform")
    }

    @Test(".atmos.d/ comes after atmos.d/, and the git root's folders come before the configuration folder's")
    func order() throws {
        let repo = try FixtureRepo([
            ".git/HEAD": "ref: refs/heads/main\n",
            "atmos.d/a.yaml": "stacks:\n  base_path: stacks\n  name_pattern: \"{stage}\"\n  included_paths: [\"root-atmos-d/**/*\"]\n",
            "infra/atmos.yaml": "base_path: .\n",
            "infra/atmos.d/b.yaml": "stacks:\n  included_paths: [\"dir-atmos-d/**/*\"]\n",
            "infra/.atmos.d/c.yaml": "stacks:\n  name_pattern: \"{environment}-{stage}\"\n",
        ], kitYAML: nil)
        let c = try repo.config(directory: "infra")
        #expect(c.namePattern == "{environment}-{stage}")
        #expect(c.includedPaths == ["dir-atmos-d/**/*"])
        #expect(c.stacksBasePath == repo.root + "/infra/stacks")
    }

    @Test("atmos's file order: atmos.yaml first, then shallower before deeper, then by name")
    func fileOrder() {
        #expect(ConfigImports.atmosOrder(["z.yaml", "b/a.yaml", "atmos.yaml", "a.yaml", "a/b/c.yaml"])
                == ["atmos.yaml", "a.yaml", "z.yaml", "b/a.yaml", "a/b/c.yaml"])
    }

    @Test("a malformed atmos.d file is an error naming it")
    func malformed() throws {
        let repo = try FixtureRepo([
            "atmos.yaml": "base_path: .\nstacks:\n  base_path: stacks\n",
            "atmos.d/bad.yaml": "stacks: [unclosed\n",
        ], kitYAML: nil)
        let e = caught { _ = try repo.config() }
        #expect("\(e!)".contains("atmos.d/bad.yaml"), "\(e!)")
    }
}
