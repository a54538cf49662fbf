import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

/// `kit validate stacks` checks every manifest on its own (reference §2.1, §2.2, §11.5).
@Suite struct ManifestSchemaTests {
    static func problems(_ yaml: String) throws -> [ManifestSchema.Problem] {
        let parsed = try YAMLParser.parse(yaml, recordMarks: true)
        return ManifestSchema.check(parsed.value, file: "stacks/x.yaml", marks: parsed.marks)
    }

    @Test func aCleanManifestHasNoProblems() throws {
        #expect(try Self.problems("""
            import: [catalog/vpc, {path: catalog/eks, context: {a: 1}}]
            vars: {stage: dev}
            terraform: {backend_type: s3, backend: {s3: {bucket: b}}}
            components:
              terraform:
                vpc:
                  metadata: {component: vpc, inherits: [vpc/defaults], type: real, enabled: true}
                  vars: {cidr: 10.0.0.0/16}
            """).isEmpty)
    }

    @Test func wrongSectionTypesAreReportedWithTheirPosition() throws {
        let found = try Self.problems("""
            vars: [a, b]
            terraform:
              backend_type: {s3: true}
            components:
              terraform:
                vpc:
                  settings: oops
                  metadata:
                    inherits: vpc/defaults
                    type: concrete
                    enabled: "yes"
            """).map(\.description)
        #expect(found == [
            "stacks/x.yaml:1:7: 'vars' must be a map, found a list",
            "stacks/x.yaml:3:17: 'terraform.backend_type' must be a string, found a map",
            "stacks/x.yaml:7:17: 'components.terraform.vpc.settings' must be a map, found a string",
            "stacks/x.yaml:9:19: 'metadata.inherits' of 'vpc' must be a list, found a string",
            "stacks/x.yaml:10:15: 'metadata.type' of 'vpc' must be 'abstract' or 'real', found 'concrete'",
            "stacks/x.yaml:11:18: 'components.terraform.vpc.metadata.enabled' must be a bool, found a string",
        ])
    }

    @Test func badImportsAndGlobalMetadataKeysAreErrors() throws {
        let found = try Self.problems("""
            import: [catalog/vpc, {context: {}}]
            metadata: {inherits: [x]}
            """)
        #expect(found.map(\.message) == [
            "import entry 2 must be a path or an object with 'path'",
            "'metadata.inherits' is not allowed at the top level (only labels, tags, custom, enabled, locked, terraform_workspace_pattern)",
        ])
        #expect(found.allSatisfy { !$0.isWarning })
    }

    @Test func deprecatedDependsOnIsAWarning() throws {
        let found = try Self.problems("components: {terraform: {rds: {settings: {depends_on: {1: {component: vpc}}}}}}\n")
        #expect(found.count == 1)
        #expect(found.first?.isWarning == true)
    }

    @Test func validateStacksChecksAFileNoStackImports() throws {
        let repo = try FixtureRepo([
            "stacks/deploy/dev.yaml": "components: {terraform: {vpc: {vars: {a: 1}}}}\n",
            "stacks/catalog/unused.yaml": "components: {terraform: {eks: {vars: [1]}}}\n",
        ])
        let report = StackValidation.validate(try repo.catalog())
        #expect(report.problems.map { $0.text(colour: false) } == ["error: stacks/catalog/unused.yaml:1:38: 'components.terraform.eks.vars' must be a map, found a list"])
        let problem = try #require(report.problems.first)
        #expect(problem.location?.file == "stacks/catalog/unused.yaml" && problem.location?.mark?.line == 1 && problem.location?.mark?.column == 38)
        #expect(report.manifests == 2)
    }
}
