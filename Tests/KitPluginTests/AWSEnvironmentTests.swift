import KitPluginSDK
import Testing
@testable import KitAWS

@Suite("aws plugin: environment and provider override")
struct AWSEnvironmentTests {
    private func env(_ response: AdaptResponse) -> [String: String] {
        Dictionary(uniqueKeysWithValues: response.env.map { ($0.name, $0.value) })
    }

    @Test("profile from settings, region from vars when settings have none, nothing secret")
    func environmentFromSettingsAndVars() throws {
        let response = try AWS.adapt(try PluginFixtures.component("aws-vpc-dev"))
        #expect(env(response) == ["AWS_PROFILE": "acme-dev-admin", "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1"])
        #expect(response.env.allSatisfy { !$0.secret })
        #expect(response.env.map(\.name) == response.env.map(\.name).sorted())
        #expect(!response.env.contains { $0.value.contains("arn:aws:iam") })
    }

    @Test("settings.kit.aws.region wins over vars.region")
    func settingsRegionWins() throws {
        let component = try PluginFixtures.component("aws-vpc-dev")
            .setting(["settings", "kit", "aws", "region"], to: .string("eu-central-1"))
        let variables = env(try AWS.adapt(component))
        #expect(variables["AWS_REGION"] == "eu-central-1")
        #expect(variables["AWS_DEFAULT_REGION"] == "eu-central-1")
    }

    @Test("variables the component's env sets are never produced; the other region variable follows it")
    func componentEnvWins() throws {
        let component = try PluginFixtures.component("aws-vpc-dev")
            .setting(["env"], to: .object(["AWS_PROFILE": .string("mine"), "AWS_REGION": .string("eu-west-1")]))
        #expect(env(try AWS.adapt(component)) == ["AWS_DEFAULT_REGION": "eu-west-1"])
    }

    @Test("no region anywhere: no region variables")
    func noRegion() throws {
        let component = try PluginFixtures.component("aws-vpc-dev")
            .setting(["vars", "region"], to: nil)
            .setting(["settings", "kit", "aws", "profile"], to: nil)
        #expect(try AWS.adapt(component).env.isEmpty)
    }

    @Test("provider override: region, default tags with derived required tags, assume_role")
    func providerOverrideShape() throws {
        let response = try AWS.adapt(try AWS.prodComponent())
        let expected: JSONValue = .object(["aws": .object([
            "region": .string("us-east-1"),
            "default_tags": .object(["tags": .object([
                "ManagedBy": .string("kit"),
                "Environment": .string("prod"),     // from vars.stage
                "Owner": .string("platform-team"),  // from vars.owner
                "CostCenter": .string("cc-4711"),   // from vars.cost_center
            ])]),
            "assume_role": .object(["role_arn": .string("arn:aws:iam::111122223333:role/acme-prod-terraform")]),
        ])])
        #expect(response.providersOverride == expected)
    }

    @Test("vars.tags values win over derived ones")
    func explicitTagsWin() throws {
        let component = try AWS.prodComponent().setting(["vars", "tags", "Environment"], to: .string("production"))
        #expect(try AWS.adapt(component).providersOverride?.value(at: ["aws", "default_tags", "tags", "Environment"])
            == .string("production"))
    }

    @Test("keys set in the component's providers.aws are left to the stack")
    func stackProviderWins() throws {
        let component = try AWS.prodComponent().setting(["providers", "aws", "region"], to: .string("us-west-2"))
        let aws = try #require(try AWS.adapt(component).providersOverride?["aws"]?.objectValue)
        #expect(aws["region"] == nil)
        #expect(aws["default_tags"] != nil)
    }

    @Test("no override when the component does not use the aws provider")
    func noOverrideWithoutAWS() throws {
        let component = try AWS.prodComponent()
            .setting(["backend_type"], to: .string("local"))
            .setting(["backend"], to: .object([:]))
        let response = try AWS.adapt(component)
        #expect(response.providersOverride == nil)
        #expect(response.backend == nil)
    }

    @Test("permissions boundary: filled with -var when vars declare it null or empty")
    func permissionsBoundaryArgument() throws {
        let declaredNull = try AWS.prodComponent()
        #expect(try AWS.adapt(declaredNull).args == ["-var", "permissions_boundary=arn:aws:iam::111122223333:policy/kit-boundary"])
        let declaredEmpty = declaredNull.setting(["vars", "permissions_boundary"], to: .string(""))
        #expect(try AWS.adapt(declaredEmpty, operation: "destroy").args.count == 2)
        let given = declaredNull.setting(["vars", "permissions_boundary"], to: .string("arn:aws:iam::111122223333:policy/kit-boundary"))
        #expect(try AWS.adapt(given).args.isEmpty)
        let undeclared = declaredNull.setting(["vars", "permissions_boundary"], to: nil)
        #expect(try AWS.adapt(undeclared).args.isEmpty)
        let noSetting = declaredNull.setting(["settings", "kit", "aws", "permissions_boundary"], to: nil)
        #expect(try AWS.adapt(noSetting).args.isEmpty)
        #expect(try AWS.adapt(declaredNull, operation: "output").args.isEmpty)
        // apply: kit plans first (plan, review, apply the reviewed plan); it drops -var itself for a saved planfile.
        #expect(try AWS.adapt(declaredNull, operation: "apply").args.count == 2)
    }

    @Test("endpoint_url: AWS_ENDPOINT_URL, path-style S3 for provider and backend, no instance metadata; max_retries")
    func endpointURL() throws {
        let component = try AWS.prodComponent()
            .setting(["settings", "kit", "aws", "endpoint_url"], to: .string("http://127.0.0.1:4566"))
            .setting(["settings", "kit", "aws", "max_retries"], to: .int(2))
        let response = try AWS.adapt(component)
        #expect(response.env.first { $0.name == "AWS_ENDPOINT_URL" }?.value == "http://127.0.0.1:4566")
        let aws = try #require(response.providersOverride?["aws"]?.objectValue)
        #expect(aws["s3_use_path_style"] == .bool(true))
        #expect(aws["skip_metadata_api_check"] == .bool(true))
        #expect(aws["max_retries"] == .int(2))
        #expect(response.backend?["use_path_style"] == .bool(true))
        let plain = try AWS.adapt(try AWS.prodComponent())
        #expect(plain.env.allSatisfy { $0.name != "AWS_ENDPOINT_URL" })
        #expect(plain.providersOverride?["aws"]?["s3_use_path_style"] == nil)
        #expect(plain.providersOverride?["aws"]?["max_retries"] == nil)
        #expect(plain.backend?["use_path_style"] == nil)
        let stackSetsIt = component.setting(["env", "AWS_ENDPOINT_URL"], to: .string("http://other:1"))
        #expect(try AWS.adapt(stackSetsIt).env.allSatisfy { $0.name != "AWS_ENDPOINT_URL" })
    }
}
