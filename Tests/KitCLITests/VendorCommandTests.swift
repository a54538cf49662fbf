import Foundation
import Testing

/// `kit vendor pull|diff|verify` against real git repositories (file://), local folders and a loopback
/// HTTP server, in a repository built by the test.
@Suite("vendor command")
struct VendorCommandTests {
    /// A component library as a git repository: modules/vpc (v1, then v2) and modules/s3.
    static func library() throws -> GitFixture {
        let lib = try GitFixture()
        try lib.write("modules/vpc/main.tf", "resource \"terraform_data\" \"vpc\" {}\n")
        try lib.write("modules/vpc/README.md", "# vpc\n")
        try lib.write("modules/vpc/notes.txt", "not vendored\n")
        try lib.write("modules/vpc/test/fixture.tf", "# excluded\n")
        try lib.write("modules/s3/main.tf", "resource \"terraform_data\" \"s3\" {}\n")
        try lib.commit("v1")
        try lib.write("modules/vpc/main.tf", "resource \"terraform_data\" \"vpc\" { input = 2 }\n")
        try lib.commit("v2")
        return lib
    }

    static let kitYAML = """
        base_path: "."
        components:
          terraform:
            base_path: components/terraform
        stacks:
          base_path: stacks
          included_paths: ["**/*"]
          name_pattern: "{stage}"

        """

    static func consumer(_ vendorYAML: String) throws -> GitFixture {
        let repo = try GitFixture()
        try repo.write("kit.yaml", kitYAML)
        try repo.write("stacks/dev.yaml", "vars:\n  stage: dev\n")
        try repo.write("vendor.yaml", vendorYAML)
        return repo
    }

    static func manifest(_ lib: GitFixture, version: String = "v1") -> String {
        """
        apiVersion: atmos/v1
        kind: AtmosVendorConfig
        metadata:
          name: test
        spec:
          imports:
            - "vendor/*.yaml"
          sources:
            - component: vpc
              source: "git::file://\(lib.root.path)//modules/{{ .Component }}?ref={{ .Version }}"
              version: \(version)
              tags: [network]
              targets: ["components/terraform/{{ .Component }}"]
              included_paths: ["**/*.tf", "**/*.md"]
              excluded_paths: ["test/**"]

        """
    }

    static func imported(_ lib: GitFixture) -> String {
        """
        apiVersion: atmos/v1
        kind: AtmosVendorConfig
        spec:
          sources:
            - component: s3
              source: "git::file://\(lib.root.path)//modules/s3?ref=v1"
              tags: [storage]
              targets: ["components/terraform/s3"]

        """
    }

    @Test("pull copies the filtered files of a tag, records the lock, and a second pull copies nothing")
    func pullAndRepull() throws {
        let lib = try Self.library()
        let repo = try Self.consumer(Self.manifest(lib))
        try repo.write("vendor/storage.yaml", Self.imported(lib))
        let first = try repo.kit(["vendor", "pull"])
        #expect(first.exitCode == 0, "\(first.stderr)")
        #expect(FileManager.default.fileExists(atPath: repo.root.appendingPathComponent("components/terraform/vpc/main.tf").path))
        #expect(FileManager.default.fileExists(atPath: repo.root.appendingPathComponent("components/terraform/vpc/README.md").path))
        #expect(!FileManager.default.fileExists(atPath: repo.root.appendingPathComponent("components/terraform/vpc/notes.txt").path))
        #expect(!FileManager.default.fileExists(atPath: repo.root.appendingPathComponent("components/terraform/vpc/test").path))
        #expect(try String(contentsOf: repo.root.appendingPathComponent("components/terraform/vpc/main.tf"), encoding: .utf8) == "resource \"terraform_data\" \"vpc\" {}\n")
        #expect(FileManager.default.fileExists(atPath: repo.root.appendingPathComponent("components/terraform/s3/main.tf").path))
        let lock = try String(contentsOf: repo.root.appendingPathComponent("vendor.lock.json"), encoding: .utf8)
        let v1 = try lib.git(["rev-parse", "v1"]).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(lock.contains("\"resolved\": \"\(v1)\""))
        #expect(first.stdout.contains("vpc → components/terraform/vpc"))
        #expect(first.stdout.contains("pulled (2 added"))

        let second = try repo.kit(["vendor", "pull"])
        #expect(second.exitCode == 0)
        #expect(second.stdout.split(separator: "\n").allSatisfy { $0.contains(": unchanged") })
        #expect(second.stderr.contains("0 pulled, 2 unchanged"))
        let verify = try repo.kit(["vendor", "verify"])
        #expect(verify.exitCode == 0)
        #expect(verify.stdout == "2 targets match vendor.lock.json\n")
    }

    @Test("--component and --tags select sources; --dry-run writes nothing")
    func selection() throws {
        let lib = try Self.library()
        let repo = try Self.consumer(Self.manifest(lib))
        try repo.write("vendor/storage.yaml", Self.imported(lib))
        let dry = try repo.kit(["vendor", "pull", "--dry-run"])
        #expect(dry.exitCode == 0)
        #expect(dry.stdout.contains("would pull"))
        #expect(!FileManager.default.fileExists(atPath: repo.root.appendingPathComponent("components").path))
        #expect(!FileManager.default.fileExists(atPath: repo.root.appendingPathComponent("vendor.lock.json").path))
        let tagged = try repo.kit(["vendor", "pull", "--tags", "storage"])
        #expect(tagged.exitCode == 0)
        #expect(FileManager.default.fileExists(atPath: repo.root.appendingPathComponent("components/terraform/s3/main.tf").path))
        #expect(!FileManager.default.fileExists(atPath: repo.root.appendingPathComponent("components/terraform/vpc").path))
        let unknown = try repo.kit(["vendor", "pull", "--component", "vcp"])
        #expect(unknown.exitCode == 1)
        #expect(unknown.errorLines == ["error: vendor.yaml: no vendored component 'vcp' — did you mean 'vpc'?"])
    }

    @Test("a new version replaces the files; verify names a modified file; diff lists changes")
    func upgradeVerifyDiff() throws {
        let lib = try Self.library()
        let repo = try Self.consumer(Self.manifest(lib))
        #expect(try repo.kit(["vendor", "pull"]).exitCode == 0)
        try repo.write("vendor.yaml", Self.manifest(lib, version: "v2"))
        let stale = try repo.kit(["vendor", "verify"])
        #expect(stale.exitCode == 1)
        #expect(stale.stderr.contains("the manifest changed since the pull"))
        let diff = try repo.kit(["vendor", "diff"])
        #expect(diff.exitCode == 2)
        #expect(diff.stdout == "components/terraform/vpc:\n  ~ main.tf\n")
        let pull = try repo.kit(["vendor", "pull"])
        #expect(pull.exitCode == 0)
        #expect(pull.stdout.contains("pulled (0 added, 1 changed, 0 removed)"))
        try repo.write("components/terraform/vpc/main.tf", "edited\n")
        try repo.write("components/terraform/vpc/extra.tf", "extra\n")
        let verify = try repo.kit(["vendor", "verify"])
        #expect(verify.exitCode == 1)
        #expect(verify.errorLines == ["error: components/terraform/vpc: 'main.tf' was modified",
                                      "error: components/terraform/vpc: 'extra.tf' is not from the source"])
    }

    @Test("a missing ref fails, names the source without its userinfo, and leaves the old files")
    func failedPullKeepsFiles() throws {
        let lib = try Self.library()
        let repo = try Self.consumer(Self.manifest(lib))
        #expect(try repo.kit(["vendor", "pull"]).exitCode == 0)
        try repo.write("vendor.yaml", Self.manifest(lib, version: "v9"))
        let run = try repo.kit(["vendor", "pull"])
        #expect(run.exitCode == 1)
        #expect(run.stderr.contains("the previous files are left in place"))
        #expect(try String(contentsOf: repo.root.appendingPathComponent("components/terraform/vpc/main.tf"), encoding: .utf8) == "resource \"terraform_data\" \"vpc\" {}\n")
        try repo.write("vendor.yaml", """
            apiVersion: atmos/v1
            kind: AtmosVendorConfig
            spec:
              sources:
                - component: secret
                  source: "git::https://user:s3cr3t@127.0.0.1:9/org/repo.git?ref=v1"
                  targets: ["components/terraform/secret"]

            """)
        let secret = try repo.kit(["vendor", "pull"])
        #expect(secret.exitCode == 1)
        #expect(!secret.stderr.contains("s3cr3t") && !secret.stdout.contains("s3cr3t"))
        #expect(secret.stderr.contains("https://***@127.0.0.1:9/org/repo.git"))
    }

    @Test("manifest errors name file:line:column; OCI sources are a located 'not supported'")
    func manifestErrors() throws {
        let repo = try Self.consumer("""
            apiVersion: atmos/v1
            kind: AtmosVendorConfig
            spec:
              sources:
                - component: a
                  source: "oci://public.ecr.aws/org/a:latest"
                  targets: ["components/terraform/a"]

            """)
        let oci = try repo.kit(["vendor", "pull"])
        #expect(oci.exitCode == 1)
        #expect(oci.errorLines == ["error: vendor.yaml:5:7: component 'a': OCI sources are not supported by kit — pull the artifact with oras and use a local path source"])
        try repo.write("vendor.yaml", "apiVersion: atmos/v1\nkind: AtmosVendorConfig\nspec:\n  sources:\n    - component: b\n      source: ./lib\n")
        let noTargets = try repo.kit(["vendor", "pull"])
        #expect(noTargets.errorLines == ["error: vendor.yaml:5:7: source 'b' has no 'targets' — add at least one target folder"])
        try repo.write("vendor.yaml", "apiVersion: atmos/v1\nkind: AtmosVendorConfig\nspec:\n  sources:\n    - component: c\n      source: ./lib\n      targets: [\"../outside\"]\n")
        let outside = try repo.kit(["vendor", "pull"])
        #expect(outside.exitCode == 1)
        #expect(outside.stderr.contains("is outside the repository"))
    }

    @Test("local folders and component.yaml with a mixin")
    func localAndComponentManifest() throws {
        let repo = try Self.consumer("apiVersion: atmos/v1\nkind: AtmosVendorConfig\nspec:\n  sources: []\n")
        try repo.write("library/app/main.tf", "# app\n")
        try repo.write("library/app/link.tf", "")
        try repo.write("library/providers.tf", "# mixin\n")
        try repo.write("components/terraform/app/component.yaml", """
            apiVersion: atmos/v1
            kind: ComponentVendorConfig
            spec:
              source:
                uri: ../../../library/app
                version: "1"
              mixins:
                - uri: ../../../library/providers.tf
                  filename: providers.tf

            """)
        let run = try repo.kit(["vendor", "pull", "-c", "app"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        let dir = repo.root.appendingPathComponent("components/terraform/app")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["component.yaml", "link.tf", "main.tf", "providers.tf"])
        // A link leading out of the source is refused, and nothing changes.
        try FileManager.default.removeItem(at: repo.root.appendingPathComponent("library/app/link.tf"))
        try FileManager.default.createSymbolicLink(atPath: repo.root.appendingPathComponent("library/app/link.tf").path, withDestinationPath: "/etc/passwd")
        let refused = try repo.kit(["vendor", "pull", "-c", "app"])
        #expect(refused.exitCode == 1)
        #expect(refused.stderr.contains("'link.tf' is a link to '/etc/passwd', outside the vendored folder"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["component.yaml", "link.tf", "main.tf", "providers.tf"])
    }

    @Test("tar.gz and zip archives over a loopback HTTP server; a '..' member is refused")
    func httpArchives() throws {
        let served = try GitFixture()
        try served.write("src/pkg/main.tf", "# from tar\n")
        func sh(_ args: [String]) throws {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = args
            p.currentDirectoryURL = served.root
            try p.run(); p.waitUntilExit()
            #expect(p.terminationStatus == 0)
        }
        try sh(["tar", "-czf", "pkg.tar.gz", "-C", "src", "pkg"])
        try sh(["sh", "-c", "cd src && zip -qr ../pkg.zip pkg"])
        try sh(["tar", "-czf", "evil.tar.gz", "-P", "--transform", "s,^src,../escape,", "src/pkg/main.tf"])
        let server = try LoopbackHTTPServer(serving: served.root)
        let repo = try Self.consumer("""
            apiVersion: atmos/v1
            kind: AtmosVendorConfig
            spec:
              sources:
                - component: tgz
                  source: "\(server.baseURL)/pkg.tar.gz//pkg"
                  targets: ["components/terraform/tgz"]
                - component: zipped
                  source: "\(server.baseURL)/pkg.zip//pkg"
                  targets: ["components/terraform/zipped"]

            """)
        let run = try repo.kit(["vendor", "pull"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(try String(contentsOf: repo.root.appendingPathComponent("components/terraform/tgz/main.tf"), encoding: .utf8) == "# from tar\n")
        #expect(try String(contentsOf: repo.root.appendingPathComponent("components/terraform/zipped/main.tf"), encoding: .utf8) == "# from tar\n")
        #expect(try repo.kit(["vendor", "verify"]).exitCode == 0)
        try repo.write("vendor.yaml", "apiVersion: atmos/v1\nkind: AtmosVendorConfig\nspec:\n  sources:\n    - component: evil\n      source: \"\(server.baseURL)/evil.tar.gz\"\n      targets: [\"components/terraform/evil\"]\n")
        let evil = try repo.kit(["vendor", "pull"])
        #expect(evil.exitCode == 1)
        #expect(evil.stderr.contains("would land outside the target"))
        #expect(!FileManager.default.fileExists(atPath: repo.root.appendingPathComponent("components/terraform/evil").path))
        withExtendedLifetime(server) {}   // the server serves until here, not until its last mention
    }
}
