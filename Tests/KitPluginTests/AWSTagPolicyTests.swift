import KitPluginSDK
import Testing
@testable import KitAWS

@Suite("aws.tags.required and aws.destroy.tagged-only")
struct AWSTagPolicyTests {
    @Test("config passes when required keys come from vars.tags or the documented vars mapping")
    func configPasses() throws {
        #expect(try AWS.validate(try AWS.prodComponent()).of("aws.tags.required").isEmpty)
        #expect(try AWS.validate(try PluginFixtures.component("aws-vpc-dev")).of("aws.tags.required").isEmpty)
    }

    @Test("config fails naming the missing keys")
    func configFails() throws {
        let component = try AWS.prodComponent().setting(["vars", "owner"], to: nil).setting(["vars", "stage"], to: nil)
        let finding = try #require(try AWS.validate(component).of("aws.tags.required").first)
        #expect(finding.message == "vars.tags lacks required tag keys 'Environment', 'Owner'")
        #expect(finding.path == "vars.tags")
        #expect(finding.hint?.contains("vars.tags.Environment or vars.stage or vars.Environment; vars.tags.Owner or vars.Owner or vars.owner") == true)
    }

    @Test("a repository that never set required_tags is not judged (kit invents no tag keys)")
    func offUntilConfigured() throws {
        let unconfigured = try AWS.prodComponent().setting(["settings", "kit", "aws", "required_tags"], to: nil)
            .setting(["vars", "owner"], to: nil).setting(["vars", "stage"], to: nil)
        #expect(try AWS.validate(unconfigured).of("aws.tags.required").isEmpty)
        #expect(try AWS.review(unconfigured, plan: try PluginFixtures.plan("aws-app-create-violations")).of("aws.tags.required").isEmpty)
    }

    @Test("required_tags setting replaces the default keys")
    func requiredTagsSetting() throws {
        let component = try AWS.prodComponent()
            .setting(["settings", "kit", "aws", "required_tags"], to: .array([.string("Team"), .string("ManagedBy")]))
        #expect(try AWS.validate(component).of("aws.tags.required").first?.message == "vars.tags lacks required tag keys 'Team'")
        let team = component.setting(["vars", "team"], to: .string("payments"))
        #expect(try AWS.validate(team).of("aws.tags.required").isEmpty)
        let plan = try PluginFixtures.plan("aws-app-create-compliant")
        let planFindings = try AWS.review(component, plan: plan).of("aws.tags.required")
        #expect(!planFindings.isEmpty)
        #expect(planFindings.allSatisfy { $0.message.hasSuffix("lacks required tag keys 'Team'") })
    }

    @Test("plan: compliant resources pass, untaggable ones are skipped")
    func planPasses() throws {
        let findings = try AWS.review(try AWS.prodComponent(), plan: try PluginFixtures.plan("aws-app-create-compliant"))
        #expect(findings.of("aws.tags.required").isEmpty)
    }

    @Test("plan: a created resource whose tags_all lacks keys fails with its address")
    func planFails() throws {
        let findings = try AWS.review(try AWS.prodComponent(), plan: try PluginFixtures.plan("aws-app-create-violations"))
        let tagFindings = findings.of("aws.tags.required")
        #expect(tagFindings.map(\.path) == ["aws_cloudwatch_log_group.app"])
        #expect(tagFindings.first?.message == "'aws_cloudwatch_log_group.app' lacks required tag keys 'Environment', 'CostCenter'")
    }

    @Test("plan: tags_all unknown until apply: tags over the provider's default tags are judged")
    func planUnknownTagsAll() throws {
        let findings = try AWS.review(try AWS.prodComponent(), plan: try PluginFixtures.plan("aws-unknown-values"))
        #expect(findings.isEmpty)
        // Without the stage there is no Environment default tag, and the role's own tags lack it.
        let noStage = try AWS.prodComponent().setting(["vars", "stage"], to: nil)
            .setting(["settings", "kit", "policies", "aws.rds.production"], to: .string("off"))
        let tagFindings = try AWS.review(noStage, plan: try PluginFixtures.plan("aws-unknown-values")).of("aws.tags.required")
        #expect(tagFindings.map(\.path) == ["aws_iam_role.app"])
        #expect(tagFindings.first?.message == "'aws_iam_role.app' lacks required tag keys 'Environment'")
    }

    @Test("plan: tags themselves unknown until apply: one info note says the check was not possible")
    func planUnknownTags() throws {
        var plan = try PluginFixtures.plan("aws-unknown-values")
        plan = plan.setting(["resource_changes"], to: .array((plan["resource_changes"]?.arrayValue ?? []).map { change in
            change.setting(["change", "after_unknown", "tags"], to: .bool(true))
        }))
        let notes = try AWS.review(try AWS.prodComponent(), plan: plan).of("aws.tags.required")
        #expect(notes.count == 1)
        #expect(notes.first?.severity == .info)
        #expect(notes.first?.message.hasPrefix("required tags could not be checked before apply") == true)
        let off = try AWS.prodComponent().setting(["settings", "kit", "policies", "aws.tags.required"], to: .string("off"))
        #expect(try AWS.review(off, plan: plan).of("aws.tags.required").isEmpty)
    }

    @Test("destroy config: passes with the tag in vars.tags, fails without it, only for destroy")
    func destroyConfig() throws {
        let component = try AWS.prodComponent().withDestroyTag()
        let failing = try AWS.adapt(component, operation: "destroy").findings.of("aws.destroy.tagged-only")
        #expect(failing.count == 1)
        #expect(failing.first?.message.contains("'ChatOpsManaged' = 'true'") == true)
        #expect(failing.first?.path == "vars.tags.ChatOpsManaged")
        #expect(try AWS.adapt(component, operation: "plan").findings.of("aws.destroy.tagged-only").isEmpty)
        let tagged = component.setting(["vars", "tags", "ChatOpsManaged"], to: .string("true"))
        #expect(try AWS.adapt(tagged, operation: "destroy").findings.of("aws.destroy.tagged-only").isEmpty)
    }

    @Test("destroy plan: all deleted resources tagged passes")
    func destroyPlanPasses() throws {
        let dev = try PluginFixtures.component("aws-vpc-dev").withDestroyTag()
        #expect(try AWS.review(dev, plan: try PluginFixtures.plan("aws-destroy-tagged"), operation: "destroy").isEmpty)
    }

    @Test("destroy plan: untagged and wrongly tagged resources block, named in one message; types that cannot carry tags are not judged")
    func destroyPlanFails() throws {
        let dev = try PluginFixtures.component("aws-vpc-dev").withDestroyTag()
        let findings = try AWS.review(dev, plan: try PluginFixtures.plan("aws-destroy-untagged"), operation: "destroy")
        let blocked = try #require(findings.of("aws.destroy.tagged-only").first)
        #expect(findings.count == 1)
        #expect(blocked.severity == .error)
        #expect(blocked.message == "1 resource to delete lacks tag 'ChatOpsManaged' = 'true': 'aws_db_instance.orders'")
        #expect(!blocked.message.contains("aws_s3_bucket.scratch"))
        #expect(!blocked.message.contains("aws_iam_role_policy_attachment.app_ssm"))
    }

    @Test("destroy: the policy applies only where settings.kit.aws.destroy_tag is set")
    func destroyOnlyWhereEnabled() throws {
        let dev = try PluginFixtures.component("aws-vpc-dev")
        #expect(try AWS.review(dev, plan: try PluginFixtures.plan("aws-destroy-untagged"), operation: "destroy").isEmpty)
        #expect(try AWS.adapt(try AWS.prodComponent(), operation: "destroy").findings.of("aws.destroy.tagged-only").isEmpty)
    }

    @Test("taggable types come from the provider schema: unknown types count when their state has tags")
    func taggableTypes() throws {
        #expect(AWSTaggableResourceTypes.names.contains("aws_iam_role"))
        #expect(AWSTaggableResourceTypes.untaggable.contains("aws_lambda_permission"))
        #expect(AWSTaggableResourceTypes.untaggable.contains("aws_apigatewayv2_route"))
        #expect(AWSTaggableResourceTypes.names.isDisjoint(with: AWSTaggableResourceTypes.untaggable))
        let future = PlanResourceChange.all(in: .object(["resource_changes": .array([
            .object(["address": .string("aws_future.a"), "type": .string("aws_future"), "mode": .string("managed"),
                     "change": .object(["actions": .array([.string("delete")]), "before": .object(["tags": .null])])]),
            .object(["address": .string("aws_future_untagged.b"), "type": .string("aws_future_untagged"), "mode": .string("managed"),
                     "change": .object(["actions": .array([.string("delete")]), "before": .object(["id": .string("b")])])]),
        ])]))
        #expect(future.map(AWSDestroyTaggedOnlyPolicy.canCarryTags) == [true, false])
    }

    @Test("destroy tag key and value come from settings.kit.aws.destroy_tag")
    func destroyTagSetting() throws {
        let dev = try PluginFixtures.component("aws-vpc-dev")
            .setting(["settings", "kit", "aws", "destroy_tag"], to: .object(["key": .string("ChatOpsManaged"), "value": .string("false")]))
        let findings = try AWS.review(dev, plan: try PluginFixtures.plan("aws-destroy-untagged"), operation: "destroy")
        let message = try #require(findings.of("aws.destroy.tagged-only").first?.message)
        #expect(message.contains("'aws_s3_bucket.scratch'"))
        #expect(!message.contains("'aws_db_instance.orders'"))
        let custom = try PluginFixtures.component("aws-vpc-dev")
            .setting(["settings", "kit", "aws", "destroy_tag"], to: .object(["key": .string("Disposable"), "value": .bool(true)]))
        let all = try AWS.review(custom, plan: try PluginFixtures.plan("aws-destroy-tagged"), operation: "destroy")
        #expect(all.of("aws.destroy.tagged-only").first?.message.hasPrefix("2 resources to delete lack tag 'Disposable' = 'true'") == true)
    }

    @Test("in a destroy, a replacement deletes too: the old instance must carry the tag")
    func replaceNeedsTagInDestroy() throws {
        let findings = try AWS.review(try AWS.prodComponent().withDestroyTag(), plan: try PluginFixtures.plan("aws-instance-replace"), operation: "destroy")
        #expect(findings.map(\.policy) == ["aws.destroy.tagged-only"])
        #expect(findings.first?.path == "aws_instance.bastion")
    }

    @Test("an apply that replaces an untagged resource is not a destroy: the policy does not block it")
    func replaceInApplyIsNotADestroy() throws {
        let findings = try AWS.review(try AWS.prodComponent().withDestroyTag(), plan: try PluginFixtures.plan("aws-instance-replace"), operation: "apply")
        #expect(findings.of("aws.destroy.tagged-only").isEmpty)
    }
}

extension JSONValue {
    /// The component with `settings.kit.aws.destroy_tag` set to `ChatOpsManaged = "true"` (the ChatOps context).
    func withDestroyTag() -> JSONValue {
        setting(["settings", "kit", "aws", "destroy_tag"], to: .object(["key": .string("ChatOpsManaged"), "value": .string("true")]))
    }
}
