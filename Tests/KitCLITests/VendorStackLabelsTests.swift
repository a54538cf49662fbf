import Foundation
import Testing

/// Issue 21: atmos's `vendor pull --stack S` (the components of a stack, each from its vendor.yaml entry
/// or component.yaml) and `--labels k=v` (only components whose `metadata.labels` have all of them;
/// with `--stack`, within it), in a repository built by the test: `comp-a` (tier foundational) and
/// `comp-b` (tier edge) in stack `dev`, `comp-c` with no vendor source, an abstract base, a `prod` stack.
@Suite("vendor --stack / --labels")
struct VendorStackLabelsTests {
    static func repository() throws -> GitFixture {
        let repo = try GitFixture()
        try repo.write("kit.yaml", VendorCommandTests.kitYAML)
        try repo.write("library/mock/main.tf", "# mock\n")
        try repo.write("library/mock/README.md", "# readme\n")
        for name in ["comp-a", "comp-b", "comp-p"] {
            try repo.write("components/terraform/\(name)/component.yaml", """
                apiVersion: atmos/v1
                kind: ComponentVendorConfig
                spec:
                  source:
                    uri: ../../../library/mock
                    included_paths: ["**/*.tf", "**/*.md"]

                """)
        }
        try repo.write("stacks/dev.yaml", """
            vars:
              stage: dev
            components:
              terraform:
                base:
                  metadata: {type: abstract, labels: {tier: foundational}}
                comp-a:
                  metadata: {labels: {tier: foundational, env: test}}
                comp-b:
                  metadata: {labels: {tier: edge, env: test}}
                comp-c:
                  metadata: {labels: {tier: edge}}

            """)
        try repo.write("stacks/prod.yaml", """
            vars:
              stage: prod
            components:
              terraform:
                comp-p:
                  metadata: {labels: {tier: foundational}}

            """)
        return repo
    }

    static func pulled(_ repo: GitFixture) -> [String] {
        ["comp-a", "comp-b", "comp-c", "comp-p"].filter {
            FileManager.default.fileExists(atPath: repo.root.appendingPathComponent("components/terraform/\($0)/main.tf").path)
        }
    }

    @Test("--stack pulls the stack's components that have a vendor source and names the others")
    func stack() throws {
        let repo = try Self.repository()
        let run = try repo.kit(["vendor", "pull", "--stack", "dev"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(Self.pulled(repo) == ["comp-a", "comp-b"])
        #expect(run.stderr.contains("left out, no vendor.yaml entry or component.yaml: 'comp-c'"), "\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: repo.root.appendingPathComponent("components/terraform/comp-a/README.md").path))
        // verify and diff take the same selection, and name the same left-out component.
        for sub in ["verify", "diff"] {
            let again = try repo.kit(["vendor", sub, "--stack", "dev"])
            #expect(again.exitCode == 0, "\(sub): \(again.stdout)\(again.stderr)")
            #expect(again.stderr.contains("left out, no vendor.yaml entry or component.yaml: 'comp-c'"), "\(sub): \(again.stderr)")
        }
    }

    @Test("--labels selects across stacks; with --stack it narrows within it")
    func labels() throws {
        let repo = try Self.repository()
        #expect(try repo.kit(["vendor", "pull", "--labels", "tier=foundational"]).exitCode == 0)
        #expect(Self.pulled(repo) == ["comp-a", "comp-p"], "the abstract base is not a component to vendor")
        let narrowed = try Self.repository()
        #expect(try narrowed.kit(["vendor", "pull", "--stack=dev", "--labels=tier=edge,env=test"]).exitCode == 0)
        #expect(Self.pulled(narrowed) == ["comp-b"])
        let none = try Self.repository()
        let nothing = try none.kit(["vendor", "pull", "--labels", "tier=nope"])
        #expect(nothing.exitCode == 0 && nothing.stderr.contains("no component matches the selection"), "\(nothing.stderr)")
        #expect(Self.pulled(none).isEmpty)
    }

    @Test("mistakes: an unknown stack, a broken stack, a malformed label, --component with --stack")
    func mistakes() throws {
        let repo = try Self.repository()
        let unknown = try repo.kit(["vendor", "pull", "--stack", "qa"])
        #expect(unknown.exitCode == 1 && unknown.stderr.contains("stack 'qa' not found"), "\(unknown.stderr)")
        let malformed = try repo.kit(["vendor", "pull", "--labels", "tier"])
        #expect(malformed.exitCode == 64 && malformed.stderr.contains("--labels 'tier' is not 'key=value'"), "\(malformed.stderr)")
        #expect(try repo.kit(["vendor", "pull", "--stack", "dev", "-c", "comp-a"]).exitCode == 64)
        try repo.write("stacks/dev.yaml", "import:\n  - catalog/missing\nvars:\n  stage: dev\ncomponents:\n  terraform:\n    comp-a: {}\n")
        let broken = try repo.kit(["vendor", "pull", "--stack", "dev"])
        #expect(broken.exitCode == 1 && broken.stderr.contains("catalog/missing"), "a stack that fails to resolve is its error: \(broken.stderr)")
        #expect(Self.pulled(repo).isEmpty)
    }
}
