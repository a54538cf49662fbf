import KitPluginSDK
import Testing
@testable import KitAWS

@Suite("aws plugin: s3 backend")
struct AWSBackendTests {
    @Test("describe names the plugin, its backend type, provider and every policy")
    func describe() {
        let description = AWSPlugin().describe()
        #expect(description.name == "aws")
        #expect(description.backendTypes == ["s3"])
        #expect(description.providers == ["aws"])
        #expect(description.policies.map(\.id) == [
            "aws.backend.s3", "aws.tags.required", "aws.destroy.tagged-only", "aws.rds.production",
            "aws.s3.force-destroy", "aws.ec2.imdsv2", "aws.sg.public-ingress", "aws.ec2.user-data-size",
            "aws.iam.permissions-boundary",
        ])
        #expect(description.policies.first { $0.id == "aws.sg.public-ingress" }?.defaultSeverity == .warning)
        #expect(description.settingsSchema["properties"]?["required_tags"] != nil)
    }

    @Test("a complete backend gets encrypt, lockfile and assume_role; emulator keys pass through")
    func completesBackend() throws {
        let component = try PluginFixtures.component("aws-vpc-dev")
        let response = try AWS.adapt(component)
        let backend = try #require(response.backend?.objectValue)
        let input = try #require(component["backend"]?.objectValue)
        #expect(backend["encrypt"] == .bool(true))
        #expect(backend["use_lockfile"] == .bool(true))
        #expect(backend["dynamodb_table"] == nil)
        #expect(backend["assume_role"] == .object(["role_arn": .string("arn:aws:iam::111122223333:role/acme-dev-terraform")]))
        for (key, value) in input {
            #expect(backend[key] == value, "key '\(key)' must pass through unchanged")
        }
        #expect(Set(backend.keys) == Set(input.keys).union(["encrypt", "use_lockfile", "assume_role"]))
        #expect(response.findings.of("aws.backend.s3").isEmpty)
    }

    @Test("a dynamodb lock table is kept and no lockfile is added; a given encrypt and assume_role win")
    func keepsGivenLocking() throws {
        var component = try PluginFixtures.component("aws-vpc-dev")
        component = component.setting(["backend", "dynamodb_table"], to: .string("acme-locks"))
            .setting(["backend", "encrypt"], to: .bool(false))
            .setting(["backend", "assume_role"], to: .object(["role_arn": .string("arn:aws:iam::1:role/given")]))
        let backend = try #require(try AWS.adapt(component).backend?.objectValue)
        #expect(backend["dynamodb_table"] == .string("acme-locks"))
        #expect(backend["use_lockfile"] == nil)
        #expect(backend["encrypt"] == .bool(false))
        #expect(backend["assume_role"] == .object(["role_arn": .string("arn:aws:iam::1:role/given")]))
    }

    @Test("use_lockfile false is kept as given")
    func keepsLockfileFalse() throws {
        let component = try PluginFixtures.component("aws-vpc-dev").setting(["backend", "use_lockfile"], to: .bool(false))
        #expect(try AWS.adapt(component).backend?["use_lockfile"] == .bool(false))
    }

    @Test("no assume_role without settings.kit.aws.role_arn, and none beside a legacy role_arn")
    func assumeRoleOnlyFromSettings() throws {
        let plain = try PluginFixtures.component("aws-vpc-dev").setting(["settings", "kit", "aws", "role_arn"], to: nil)
        #expect(try AWS.adapt(plain).backend?["assume_role"] == nil)
        let legacy = try PluginFixtures.component("aws-vpc-dev")
            .setting(["backend", "role_arn"], to: .string("arn:aws:iam::1:role/legacy"))
        #expect(try AWS.adapt(legacy).backend?["assume_role"] == nil)
        // the prod fixture has role_arn: null, which does not count as set
        #expect(try AWS.adapt(try AWS.prodComponent()).backend?["assume_role"]?["role_arn"]
            == .string("arn:aws:iam::111122223333:role/acme-prod-terraform"))
    }

    @Test("a missing required key is an error naming it and where to set it", arguments: ["bucket", "region", "key"])
    func missingRequiredKey(key: String) throws {
        for missing: JSONValue? in [nil, .string(""), .null] {
            let component = try PluginFixtures.component("aws-vpc-dev").setting(["backend", key], to: missing)
            for findings in [try AWS.adapt(component).findings, try AWS.validate(component)] {
                let backendFindings = findings.of("aws.backend.s3")
                #expect(backendFindings.count == 1)
                let finding = try #require(backendFindings.first)
                #expect(finding.severity == .error)
                #expect(finding.message == "the s3 backend has no '\(key)'")
                #expect(finding.path == "backend.\(key)")
                #expect(finding.hint?.contains("terraform.backend.s3.\(key)") == true)
            }
        }
    }

    @Test("no backend for a component that uses the aws provider with another backend")
    func noBackendForOtherTypes() throws {
        let component = try PluginFixtures.component("aws-vpc-dev")
            .setting(["backend_type"], to: .string("local"))
            .setting(["backend"], to: .object([:]))
            .setting(["settings", "kit", "providers"], to: .array([.string("aws")]))
        let response = try AWS.adapt(component)
        #expect(response.backend == nil)
        #expect(response.findings.of("aws.backend.s3").isEmpty)
        #expect(response.providersOverride?["aws"] != nil)
    }
}
