import KitPluginSDK
import Testing
@testable import KitAWS

@Suite("aws.ec2.imdsv2, aws.ec2.user-data-size, aws.sg.public-ingress, aws.iam.permissions-boundary")
struct AWSComputePolicyTests {
    private func review(_ plan: String) throws -> [Finding] {
        try AWS.review(try AWS.prodComponent(), plan: try PluginFixtures.plan(plan))
    }

    // MARK: aws.ec2.imdsv2

    @Test("imdsv2 config: required passes, optional fails")
    func imdsConfig() throws {
        let required = try AWS.prodComponent().setting(["vars", "metadata_http_tokens"], to: .string("required"))
            .setting(["vars", "metadata_http_tokens_required"], to: .bool(true))
        #expect(try AWS.validate(required).of("aws.ec2.imdsv2").isEmpty)
        let optional = try AWS.prodComponent().setting(["vars", "metadata_options"], to: .object(["http_tokens": .string("optional")]))
            .setting(["vars", "metadata_http_tokens_required"], to: .bool(false))
        let findings = try AWS.validate(optional).of("aws.ec2.imdsv2")
        #expect(findings.map(\.path) == ["vars.metadata_options.http_tokens", "vars.metadata_http_tokens_required"])
        #expect(findings.first?.message == "vars.metadata_options.http_tokens is 'optional', instances would accept imdsv1")
    }

    @Test("imdsv2 plan: required tokens pass, optional tokens fail on instances and launch templates")
    func imdsPlan() throws {
        #expect(try review("aws-app-create-compliant").of("aws.ec2.imdsv2").isEmpty)
        let findings = try review("aws-app-create-violations").of("aws.ec2.imdsv2")
        #expect(findings.map(\.path) == ["aws_instance.bastion", "aws_launch_template.workers"])
        #expect(findings.first?.hint == "set metadata_options { http_tokens = \"required\" }")
    }

    // MARK: aws.ec2.user-data-size

    @Test("user data config: 12288 raw bytes (16384 base64) pass, one byte more fails")
    func userDataConfig() throws {
        let atLimit = String(repeating: "a", count: 12_288)
        #expect(AWSUserDataSizePolicy.base64Length(ofRaw: atLimit) == 16_384)
        let fits = try AWS.prodComponent().setting(["vars", "user_data"], to: .string(atLimit))
        #expect(try AWS.validate(fits).of("aws.ec2.user-data-size").isEmpty)
        let tooBig = try AWS.prodComponent().setting(["vars", "user_data"], to: .string(atLimit + "a"))
        let finding = try #require(try AWS.validate(tooBig).of("aws.ec2.user-data-size").first)
        #expect(finding.message == "vars.user_data is 16388 bytes once base64-encoded, over the limit of 16384")
        #expect(finding.path == "vars.user_data")
        let encoded = try AWS.prodComponent().setting(["vars", "user_data_base64"], to: .string(String(repeating: "QUFB", count: 4_097)))
        #expect(try AWS.validate(encoded).of("aws.ec2.user-data-size").map(\.path) == ["vars.user_data_base64"])
    }

    @Test("user data plan: at the limit passes; over it fails on the instance and the launch template")
    func userDataPlan() throws {
        #expect(try review("aws-app-create-compliant").of("aws.ec2.user-data-size").isEmpty)
        let findings = try review("aws-app-create-violations").of("aws.ec2.user-data-size")
        #expect(findings.map(\.message) == [
            "'aws_instance.bastion' user_data is 16388 bytes once base64-encoded, over the limit of 16384",
            "'aws_launch_template.workers' user_data is 16388 bytes once base64-encoded, over the limit of 16384",
        ])
    }

    // MARK: aws.sg.public-ingress

    @Test("public ingress config: private cidrs pass, 0.0.0.0/0 and ::/0 fail")
    func ingressConfig() throws {
        let privateOnly = try AWS.prodComponent().setting(["vars", "allowed_cidr_blocks"], to: .array([.string("10.0.0.0/8")]))
        #expect(try AWS.validate(privateOnly).of("aws.sg.public-ingress").isEmpty)
        let open = try AWS.prodComponent()
            .setting(["vars", "allowed_cidr_blocks"], to: .array([.string("10.0.0.0/8"), .string("0.0.0.0/0")]))
            .setting(["vars", "security_group_rules"], to: .array([
                .object(["type": .string("egress"), "cidr_blocks": .array([.string("0.0.0.0/0")])]),
                .object(["type": .string("ingress"), "ipv6_cidr_blocks": .array([.string("::/0")])]),
            ]))
        let findings = try AWS.validate(open).of("aws.sg.public-ingress")
        #expect(findings.map(\.path) == ["vars.allowed_cidr_blocks", "vars.security_group_rules[1]"])
        #expect(findings.first?.message == "vars.allowed_cidr_blocks allows ingress from '0.0.0.0/0'")
        #expect(findings.allSatisfy { $0.severity == .warning })
    }

    @Test("public ingress plan: the three ingress shapes are caught, egress and private ingress are not")
    func ingressPlan() throws {
        #expect(try review("aws-app-create-compliant").of("aws.sg.public-ingress").isEmpty)
        let findings = try review("aws-app-create-violations").of("aws.sg.public-ingress")
        #expect(findings.map(\.path) == [
            "aws_security_group.app", "aws_security_group_rule.ssh", "aws_vpc_security_group_ingress_rule.https",
        ])
        #expect(findings[1].message == "'aws_security_group_rule.ssh' allows ingress from '::/0'")
    }

    // MARK: aws.iam.permissions-boundary

    @Test("boundary config: null or the configured arn pass, another arn fails")
    func boundaryConfig() throws {
        #expect(try AWS.validate(try AWS.prodComponent()).of("aws.iam.permissions-boundary").isEmpty)
        let other = try AWS.prodComponent().setting(["vars", "permissions_boundary"], to: .string("arn:aws:iam::111122223333:policy/other"))
        let finding = try #require(try AWS.validate(other).of("aws.iam.permissions-boundary").first)
        #expect(finding.message == "vars.permissions_boundary is 'arn:aws:iam::111122223333:policy/other', expected 'arn:aws:iam::111122223333:policy/kit-boundary'")
    }

    @Test("boundary plan: the configured boundary passes, another fails, nothing is required without the setting")
    func boundaryPlan() throws {
        #expect(try review("aws-app-create-compliant").of("aws.iam.permissions-boundary").isEmpty)
        let findings = try review("aws-app-create-violations").of("aws.iam.permissions-boundary")
        #expect(findings.map(\.path) == ["aws_iam_role.app"])
        #expect(findings.first?.message.contains("'arn:aws:iam::111122223333:policy/legacy-boundary'") == true)
        let unset = try AWS.prodComponent().setting(["settings", "kit", "aws", "permissions_boundary"], to: nil)
        #expect(try AWS.review(unset, plan: try PluginFixtures.plan("aws-app-create-violations"))
            .of("aws.iam.permissions-boundary").isEmpty)
    }

    @Test("values known only after apply are skipped")
    func unknownValues() throws {
        #expect(try review("aws-unknown-values").isEmpty)
    }
}
