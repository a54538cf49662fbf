import Foundation
import Testing

/// `kit vendor pull` from S3 (moto): the source is fetched by the AWS plugin's `fetch_source`, kit
/// writes the files. A prefix is a folder, a `.tar.gz` object is unpacked, a missing key is one
/// clear error, and a second pull copies nothing.
extension KitIntegration {
    @Suite("vendor from S3 (moto)", .serialized)
    struct VendorS3Tests {
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

        static func repository(_ moto: MotoServer, vendorYAML: String) throws -> ScratchRepository {
            let repo = try ScratchRepository.files("vendor-s3", [
                "kit.yaml": kitYAML, "stacks/dev.yaml": "vars:\n  stage: dev\n", "vendor.yaml": vendorYAML,
            ])
            repo.extraEnvironment = MotoServer.awsEnvironment
            repo.extraEnvironment["AWS_ENDPOINT_URL"] = moto.endpoint
            return repo
        }

        /// Uploads the library: a folder of three files under `lib/vpc/` (and a folder marker), and
        /// `pkg/app.tar.gz` holding `app/main.tf`.
        static func upload(_ moto: MotoServer) throws {
            _ = try moto.python("""
            import boto3, io, tarfile
            s3 = boto3.client("s3", endpoint_url=ENDPOINT, region_name="us-east-1")
            s3.put_object(Bucket="\(MotoServer.bucket)", Key="lib/vpc/", Body=b"")
            s3.put_object(Bucket="\(MotoServer.bucket)", Key="lib/vpc/main.tf", Body=b"# vpc v1\\n")
            s3.put_object(Bucket="\(MotoServer.bucket)", Key="lib/vpc/variables.tf", Body=b"variable \\"cidr\\" {}\\n")
            s3.put_object(Bucket="\(MotoServer.bucket)", Key="lib/vpc/modules/subnets/main.tf", Body=b"# subnets & more\\n")
            s3.put_object(Bucket="\(MotoServer.bucket)", Key="lib/vpcx/other.tf", Body=b"# not under lib/vpc/\\n")
            buf = io.BytesIO()
            with tarfile.open(fileobj=buf, mode="w:gz") as tar:
                data = b"# app from a tarball\\n"
                info = tarfile.TarInfo("app/main.tf"); info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
            s3.put_object(Bucket="\(MotoServer.bucket)", Key="pkg/app.tar.gz", Body=buf.getvalue())
            print("uploaded")
            """)
        }

        @Test("a prefix and a tar.gz object are pulled through the aws plugin, locked, verified, and not copied again")
        func pullPrefixAndArchive() throws {
            let moto = try MotoServer()
            defer { moto.stop() }
            try Self.upload(moto)
            let repo = try Self.repository(moto, vendorYAML: """
                apiVersion: atmos/v1
                kind: AtmosVendorConfig
                spec:
                  sources:
                    - component: vpc
                      source: "s3::\(moto.endpoint)/\(MotoServer.bucket)/lib/{{ .Component }}"
                      targets: ["components/terraform/{{ .Component }}"]
                    - component: app
                      source: "s3://\(MotoServer.bucket)/pkg/app.tar.gz//app"
                      targets: ["components/terraform/app"]

                """)
            defer { repo.remove() }
            let pull = try repo.kit(["vendor", "pull"])
            #expect(pull.status == 0, "\(pull.output)")
            let vpc = try String(contentsOfFile: repo.path("components/terraform/vpc/main.tf"), encoding: .utf8)
            #expect(vpc == "# vpc v1\n")
            let sub = try String(contentsOfFile: repo.path("components/terraform/vpc/modules/subnets/main.tf"), encoding: .utf8)
            #expect(sub == "# subnets & more\n")
            #expect(!repo.exists("components/terraform/vpc/other.tf"), "lib/vpcx/ is not under the prefix lib/vpc/")
            let app = try String(contentsOfFile: repo.path("components/terraform/app/main.tf"), encoding: .utf8)
            #expect(app == "# app from a tarball\n")
            let lock = try String(contentsOfFile: repo.path("vendor.lock.json"), encoding: .utf8)
            #expect(lock.contains("\"kind\": \"s3\""), "\(lock)")

            let again = try repo.kit(["vendor", "pull"])
            #expect(again.status == 0, "\(again.output)")
            #expect(again.stdout.contains("vpc → components/terraform/vpc [s3") && again.stdout.contains("unchanged"), "\(again.output)")
            #expect(!again.stdout.contains("pulled"), "a second pull with nothing changed copies nothing:\n\(again.output)")
            let verify = try repo.kit(["vendor", "verify"])
            #expect(verify.status == 0 && verify.stdout == "2 targets match vendor.lock.json\n", "\(verify.output)")
        }

        @Test("a key with no object and no prefix is one error naming the source; the old files stay")
        func missingKey() throws {
            let moto = try MotoServer()
            defer { moto.stop() }
            try Self.upload(moto)
            let repo = try Self.repository(moto, vendorYAML: """
                apiVersion: atmos/v1
                kind: AtmosVendorConfig
                spec:
                  sources:
                    - component: vpc
                      source: "s3::\(moto.endpoint)/\(MotoServer.bucket)/lib/nope?aws_access_key_id=test&aws_access_key_secret=s3cr3t-value"
                      targets: ["components/terraform/vpc"]

                """)
            defer { repo.remove() }
            try "# mine\n".write(toFile: repo.path("components/terraform/vpc/main.tf").createParent(), atomically: true, encoding: .utf8)
            let pull = try repo.kit(["vendor", "pull"])
            #expect(pull.status == 1, "\(pull.output)")
            #expect(pull.stderr.contains("no object 's3://\(MotoServer.bucket)/lib/nope' and no objects under 'lib/nope/'"), "\(pull.output)")
            #expect(!pull.output.contains("s3cr3t-value"), "a credential in the query is never printed:\n\(pull.output)")
            #expect(try String(contentsOfFile: repo.path("components/terraform/vpc/main.tf"), encoding: .utf8) == "# mine\n")
        }
    }
}

extension String {
    /// Creates the file's parent folder; returns the path.
    func createParent() throws -> String {
        try FileManager.default.createDirectory(atPath: (self as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        return self
    }
}
