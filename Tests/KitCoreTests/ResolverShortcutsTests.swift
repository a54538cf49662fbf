import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks

/// The resolver's shortcuts name the same sections as its lists.
@Suite struct ResolverShortcutsTests {
    @Test func theSectionSwitchNamesExactlyTheMapSections() {
        for name in ComponentResolver.mapSections { #expect(ComponentResolver.isMapSection(name), "\(name)") }
        for name in ["", "var", "varss", "Vars", "metadata_", "component", "command", "overrides", "import", "terraform", "name"] {
            #expect(!ComponentResolver.isMapSection(name), "\(name)")
        }
        #expect(ComponentResolver.StackLayers.sectionNames.allSatisfy(ComponentResolver.mapSections.contains))
    }

    /// A base with two sections of the wrong type reports the first in `mapSections` order, as the lookups did.
    @Test func aBaseWithTwoBadSectionsReportsTheFirstInSectionOrder() throws {
        let repo = try FixtureRepo(["stacks/deploy/dev.yaml": """
            components:
              terraform:
                base:
                  metadata:
                    type: abstract
                  settings: [1]
                  vars: [2]
                  env: 3
                app:
                  metadata:
                    inherits: [base]
            """])
        let catalog = try repo.catalog()
        for _ in 0 ..< 5 {
            #expect { _ = try catalog.find(component: "app", stack: "deploy/dev") } throws: { error in
                "\(error)".contains("vars")
            }
        }
    }
}
