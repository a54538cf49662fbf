import KitPluginSDK
import Testing
@testable import KitAWS

@Suite("aws plugin: severity settings")
struct AWSPolicySettingsTests {
    /// A prod component whose tags lack CostCenter (so aws.tags.required fires on configuration).
    private func untagged() throws -> JSONValue {
        try AWS.prodComponent().setting(["vars", "cost_center"], to: nil)
    }

    @Test("default severity is the policy's")
    func defaultSeverity() throws {
        let findings = try AWS.validate(try untagged()).of("aws.tags.required")
        #expect(findings.map(\.severity) == [.error])
    }

    @Test("error downgraded to warning, or to info", arguments: [("warning", Severity.warning), ("info", Severity.info)])
    func downgrade(word: String, severity: Severity) throws {
        let component = try untagged().setting(["settings", "kit", "policies", "aws.tags.required"], to: .string(word))
        let findings = try AWS.validate(component)
        #expect(findings.of("aws.tags.required").map(\.severity) == [severity])
        #expect(findings.of("kit.settings").isEmpty)
    }

    @Test("off disables the policy on configuration and on plans")
    func off() throws {
        let component = try untagged().setting(["settings", "kit", "policies", "aws.tags.required"], to: .string("off"))
        #expect(try AWS.validate(component).of("aws.tags.required").isEmpty)
        let plan = try PluginFixtures.plan("aws-app-create-violations")
        #expect(try !AWS.review(try AWS.prodComponent(), plan: plan).of("aws.tags.required").isEmpty)
        #expect(try AWS.review(component, plan: plan).of("aws.tags.required").isEmpty)
        #expect(try !AWS.review(component, plan: plan).of("aws.rds.production").isEmpty)
    }

    @Test("an unknown aws policy id is a kit.settings warning naming it and the valid ones")
    func unknownPolicy() throws {
        let component = try AWS.prodComponent().setting(["settings", "kit", "policies", "aws.tag.required"], to: .string("off"))
        for findings in [try AWS.validate(component), try AWS.adapt(component).findings] {
            let warning = try #require(findings.of("kit.settings").first)
            #expect(warning.severity == .warning)
            #expect(warning.message.contains("'aws.tag.required'"))
            #expect(warning.hint?.contains("'aws.tags.required'") == true)
            #expect(warning.hint?.contains("'aws.iam.permissions-boundary'") == true)
            #expect(warning.path == "settings.kit.policies.aws.tag.required")
        }
    }

    @Test("a value that is not a severity is a warning and the default stays")
    func badSeverityWord() throws {
        let component = try untagged().setting(["settings", "kit", "policies", "aws.tags.required"], to: .string("fatal"))
        let findings = try AWS.validate(component)
        #expect(findings.of("kit.settings").count == 1)
        #expect(findings.of("kit.settings").first?.message.contains("'fatal'") == true)
        #expect(findings.of("aws.tags.required").map(\.severity) == [.error])
    }

    @Test("ids of other plugins are not this plugin's business")
    func otherNamespaces() throws {
        let component = try AWS.prodComponent().setting(["settings", "kit", "policies", "azure.naming"], to: .string("off"))
        #expect(try AWS.validate(component).isEmpty)
    }

    @Test("public ingress: warning by default, error when enforced or configured, off when off")
    func publicIngressSeverity() throws {
        let plan = try PluginFixtures.plan("aws-app-create-violations")
        let base = try AWS.prodComponent()
        #expect(try Set(AWS.review(base, plan: plan).of("aws.sg.public-ingress").map(\.severity)) == [.warning])
        let enforced = base.setting(["settings", "kit", "aws", "enforce_public_ingress"], to: .bool(true))
        #expect(try Set(AWS.review(enforced, plan: plan).of("aws.sg.public-ingress").map(\.severity)) == [.error])
        let configured = base.setting(["settings", "kit", "policies", "aws.sg.public-ingress"], to: .string("error"))
        #expect(try Set(AWS.review(configured, plan: plan).of("aws.sg.public-ingress").map(\.severity)) == [.error])
        let off = enforced.setting(["settings", "kit", "policies", "aws.sg.public-ingress"], to: .string("off"))
        #expect(try AWS.review(off, plan: plan).of("aws.sg.public-ingress").isEmpty)
    }

    @Test("the compliant prod component and plan produce no findings at all")
    func compliantIsClean() throws {
        let component = try AWS.prodComponent()
        #expect(try AWS.validate(component).isEmpty)
        #expect(try AWS.adapt(component).findings.isEmpty)
        #expect(try AWS.review(component, plan: try PluginFixtures.plan("aws-app-create-compliant")).isEmpty)
    }
}
