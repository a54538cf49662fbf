import Testing
import Synchronization
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform
@testable import KitCommandLine

/// Generated file names and contents (reference §8.2, §9.1; edge cases 34 and 37).
@Suite struct WorkingFilesTests {
    static func repo(_ stack: String, name: String = "stacks/deploy/dev.yaml", pattern: String = "") throws -> FixtureRepo {
        try FixtureRepo([
            "kit.yaml": """
            base_path: .
            stacks:
              base_path: stacks
              included_paths: ["deploy/**/*"]
              name_pattern: "\(pattern)"
            components: {terraform: {base_path: components/terraform}}
            """,
            name: stack,
            "components/terraform/vpc/main.tf": "",
            "components/terraform/networking/vpc/main.tf": "",
        ])
    }

    @Test("37: varfile and planfile are '<context prefix>-[<folder prefix>-]<component>' in the component folder",
          arguments: [("vpc", "vpc", "ue1-dev-vpc"), ("networking/vpc", "networking/vpc", "ue1-dev-networking-vpc")])
    func varfileAndPlanfileNames(_ component: String, _ folder: String, _ stem: String) throws {
        let repo = try Self.repo("vars: {environment: ue1, stage: dev}\ncomponents: {terraform: {\(component): {vars: {}}}}\n",
                                 pattern: "{environment}-{stage}")
        let config = try repo.config()
        let c = try repo.component(component, "ue1-dev")
        let files = WorkingFiles(component: c, config: config)
        let dir = repo.root + "/components/terraform/" + folder
        #expect(files.componentDirectory == dir)
        #expect(files.varfile == dir + "/" + stem + ".terraform.tfvars.json")
        #expect(files.planfile == dir + "/" + stem + ".planfile")
    }

    @Test("§9.1 quirk: vpc/1 in folder vpc drops the Atmos name's prefix")
    func versionedInstanceName() throws {
        let repo = try Self.repo("vars: {environment: ue1, stage: dev}\ncomponents: {terraform: {vpc/1: {metadata: {component: vpc}}}}\n",
                                 pattern: "{environment}-{stage}")
        let files = WorkingFiles(component: try repo.component("vpc/1", "ue1-dev"), config: try repo.config())
        #expect(files.varfile == repo.root + "/components/terraform/vpc/ue1-dev-1.terraform.tfvars.json")
    }

    // Issue 20 §2 changed this test: '/' used to become '-' (deploy-acme-dev-vpc), which a stack named
    // 'deploy-acme-dev' shared. It is now encoded injectively (atmos would create sub-directories).
    @Test("kit encodes '/' of a file-id stack name as %2F in file names (atmos would create sub-directories)")
    func fileIDStackNameEncoded() throws {
        let repo = try Self.repo("components: {terraform: {vpc: {vars: {}}}}\n", name: "stacks/deploy/acme/dev.yaml")
        let c = try repo.component("vpc", "deploy/acme/dev")
        #expect(c.stackName == "deploy/acme/dev")
        let files = WorkingFiles(component: c, config: try repo.config())
        #expect(files.varfile == repo.root + "/components/terraform/vpc/deploy%2Facme%2Fdev-vpc.terraform.tfvars.json")
        #expect(files.planfile == repo.root + "/components/terraform/vpc/deploy%2Facme%2Fdev-vpc.planfile")
        #expect(files.localStateDirectory == repo.root + "/.kit/state/deploy%2Facme%2Fdev/vpc")
        #expect(files.legacyLocalStateDirectory == repo.root + "/.kit/state/deploy-acme-dev/vpc")
    }

    @Test("34: backend.tf.json for cloud replaces {terraform_workspace}; local is wrapped in terraform.backend")
    func backendDocuments() throws {
        let repo = try Self.repo("""
            vars: {environment: ue1, stage: staging}
            components:
              terraform:
                app:
                  backend_type: cloud
                  backend: {cloud: {organization: my-org, workspaces: {name: '{terraform_workspace}-app'}}}
                  metadata: {terraform_workspace: staging}
                vpc:
                  backend_type: local
                  backend: {local: {path: terraform.tfstate}}
            """, pattern: "{environment}-{stage}")
        let catalog = try repo.catalog()
        let app = try catalog.find(component: "app", stack: "ue1-staging")
        #expect(app.workspace == "staging")
        let cloud = WorkingFiles.backendDocument(type: app.backendType, backend: app.backend, workspace: app.workspace)
        #expect(JSONWriter.compact(cloud) == #"{"terraform":{"cloud":{"organization":"my-org","workspaces":{"name":"staging-app"}}}}"#)
        let vpc = try catalog.find(component: "vpc", stack: "ue1-staging")
        let local = WorkingFiles.backendDocument(type: vpc.backendType, backend: vpc.backend, workspace: vpc.workspace)
        #expect(JSONWriter.compact(local) == #"{"terraform":{"backend":{"local":{"path":"terraform.tfstate"}}}}"#)
        #expect(JSONWriter.pretty(local) == """
        {
          "terraform": {
            "backend": {
              "local": {
                "path": "terraform.tfstate"
              }
            }
          }
        }

        """)
    }

    @Test("34: an empty backend_type with backend generation on is refused before terraform runs")
    func backendTypeRequired() throws {
        let repo = try Self.repo("components: {terraform: {vpc: {vars: {}}}}\n")
        let config = try repo.config()
        #expect(config.terraform.autoGenerateBackendFile)
        let c = try repo.component("vpc", "deploy/dev")
        #expect(c.backendType == "")
        let runner = TerraformRunner(config: config, environment: [:], report: { _ in })
        let error = caught { _ = try runner.checkRestrictions(c, try TerraformInvocation.parse(["plan", "vpc", "-s", "deploy/dev"])) }
        #expect(error as? TerraformError == .backendTypeRequired(component: "vpc", stack: "deploy/dev"))
    }

    @Test("with --dry-run an empty backend_type is a note, as in atmos: the commands are shown without a backend file")
    func backendTypeMissingDryRun() throws {
        let repo = try Self.repo("components: {terraform: {vpc: {vars: {}}}}\n")
        let config = try repo.config()
        let c = try repo.component("vpc", "deploy/dev")
        let notes = Mutex<[String]>([])
        let runner = TerraformRunner(config: config, environment: [:], report: { event in
            if case .note(let text) = event { notes.withLock { $0.append(text) } }
        })
        #expect(try runner.checkRestrictions(c, try TerraformInvocation.parse(["plan", "vpc", "-s", "deploy/dev", "--dry-run"])))
        let seen = notes.withLock { $0 }
        #expect(seen.count == 1 && seen[0].contains("has no backend_type") && seen[0].contains("a real run stops here"), "\(seen)")
    }

    @Test("the varfile is the component's vars as sorted, indented JSON")
    func varfileContent() throws {
        let repo = try Self.repo("components: {terraform: {vpc: {vars: {b: [1, 2], a: {z: null, y: x}}}}}\n")
        let c = try repo.component("vpc", "deploy/dev")
        #expect(WorkingFiles.varfileContent(c) == """
        {
          "a": {
            "y": "x",
            "z": null
          },
          "b": [
            1,
            2
          ]
        }

        """)
    }
}
