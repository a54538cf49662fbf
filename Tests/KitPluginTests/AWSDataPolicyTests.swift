import KitPluginSDK
import Testing
@testable import KitAWS

@Suite("aws.rds.production and aws.s3.force-destroy")
struct AWSDataPolicyTests {
    @Test("instance classes order by size; non-burstable families count as at least db.t3.medium",
          arguments: [
              ("db.t3.micro", false), ("db.t3.small", false), ("db.t4g.small", false), ("db.t2.micro", false),
              ("db.t3.medium", true), ("db.t4g.large", true), ("db.t3.2xlarge", true),
              ("db.m5.large", true), ("db.r6g.xlarge", true), ("db.m6g.large", true), ("db.serverless", true),
          ])
    func instanceClassOrdering(text: String, atLeastMedium: Bool) throws {
        let instanceClass = try #require(AWSDBInstanceClass(text))
        #expect(instanceClass.isAtLeastT3Medium == atLeastMedium)
    }

    @Test("size ranks: micro < small < medium < large < xlarge < 2xlarge < 16xlarge < metal")
    func sizeRanks() throws {
        let sizes = ["nano", "micro", "small", "medium", "large", "xlarge", "2xlarge", "4xlarge", "16xlarge", "metal"]
        let ranks = try sizes.map { try #require(AWSDBInstanceClass.rank(ofSize: $0)) }
        #expect(ranks == ranks.sorted() && Set(ranks).count == ranks.count)
        #expect(AWSDBInstanceClass("t3.medium") == nil)
        #expect(AWSDBInstanceClass("db.t3.huge") == nil)
    }

    @Test("rds config: the compliant prod component passes")
    func rdsConfigPasses() throws {
        #expect(try AWS.validate(try AWS.prodComponent()).of("aws.rds.production").isEmpty)
    }

    @Test("rds config: every prod requirement fails on its var")
    func rdsConfigFails() throws {
        let component = try AWS.prodComponent()
            .setting(["vars", "multi_az"], to: .bool(false))
            .setting(["vars", "publicly_accessible"], to: .bool(true))
            .setting(["vars", "backup_retention_period"], to: .int(3))
            .setting(["vars", "deletion_protection"], to: .bool(false))
            .setting(["vars", "instance_class"], to: .string("db.t3.small"))
            .setting(["vars", "storage_encrypted"], to: .bool(false))
        let findings = try AWS.validate(component).of("aws.rds.production")
        #expect(Set(findings.compactMap(\.path)) == [
            "vars.multi_az", "vars.publicly_accessible", "vars.backup_retention_period", "vars.deletion_protection",
            "vars.instance_class", "vars.storage_encrypted",
        ])
        #expect(findings.allSatisfy { $0.severity == .error && $0.hint?.hasPrefix("set vars.") == true })
        #expect(findings.contains { $0.message == "instance class 'db.t3.small' is smaller than 'db.t3.medium' in production" })
    }

    @Test("rds config outside prod: only storage encryption is required")
    func rdsConfigNonProd() throws {
        let dev = try AWS.prodComponent().setting(["vars", "stage"], to: .string("dev"))
            .setting(["vars", "multi_az"], to: .bool(false))
            .setting(["vars", "instance_class"], to: .string("db.t3.micro"))
        #expect(try AWS.validate(dev).of("aws.rds.production").isEmpty)
        let unencrypted = dev.setting(["vars", "storage_encrypted"], to: .bool(false))
        #expect(try AWS.validate(unencrypted).of("aws.rds.production").map(\.path) == ["vars.storage_encrypted"])
    }

    @Test("environment_class prod makes a component production whatever its stage")
    func environmentClass() throws {
        let component = try AWS.prodComponent().setting(["vars", "stage"], to: .string("live"))
            .setting(["vars", "multi_az"], to: .bool(false))
        #expect(try AWS.validate(component).of("aws.rds.production").isEmpty)
        let classed = component.setting(["settings", "kit", "environment_class"], to: .string("prod"))
        #expect(try AWS.validate(classed).of("aws.rds.production").map(\.path) == ["vars.multi_az"])
    }

    @Test("rds plan: compliant instance and cluster pass")
    func rdsPlanPasses() throws {
        #expect(try AWS.review(try AWS.prodComponent(), plan: try PluginFixtures.plan("aws-app-create-compliant"))
            .of("aws.rds.production").isEmpty)
    }

    @Test("rds plan: a small public single-az unencrypted instance and an unencrypted cluster fail")
    func rdsPlanFails() throws {
        let findings = try AWS.review(try AWS.prodComponent(), plan: try PluginFixtures.plan("aws-app-create-violations"))
            .of("aws.rds.production")
        let instance = findings.filter { $0.path == "module.db.aws_db_instance.this[0]" }
        #expect(instance.count == 6)
        #expect(instance.contains { $0.message.hasSuffix("publicly_accessible is 'true' in production") })
        #expect(instance.contains { $0.message.contains("instance class 'db.t3.micro'") })
        let cluster = findings.filter { $0.path == "aws_rds_cluster.ledger" }
        #expect(cluster.map(\.message) == [
            "'aws_rds_cluster.ledger': storage is not encrypted (storage_encrypted is 'false')",
            "'aws_rds_cluster.ledger': backup_retention_period is '3' days in production, below 7",
        ])
    }

    @Test("rds plan: an in-place update that drops multi-az and deletion protection fails")
    func rdsUpdateFails() throws {
        let findings = try AWS.review(try AWS.prodComponent(), plan: try PluginFixtures.plan("aws-rds-update"))
        #expect(findings.of("aws.rds.production").map(\.message) == [
            "'module.db.aws_db_instance.this[0]': multi_az is 'false' in production",
            "'module.db.aws_db_instance.this[0]': deletion_protection is 'false' in production",
        ])
        let dev = try AWS.prodComponent().setting(["vars", "stage"], to: .string("dev"))
        #expect(try AWS.review(dev, plan: try PluginFixtures.plan("aws-rds-update")).isEmpty)
    }

    @Test("s3 config: force_destroy in prod, versioning and encryption switched off fail")
    func s3ConfigFails() throws {
        let component = try AWS.prodComponent()
            .setting(["vars", "force_destroy"], to: .bool(true))
            .setting(["vars", "versioning_enabled"], to: .bool(false))
            .setting(["vars", "encryption_enabled"], to: .bool(false))
        #expect(try AWS.validate(component).of("aws.s3.force-destroy").map(\.path) == [
            "vars.force_destroy", "vars.versioning_enabled", "vars.encryption_enabled",
        ])
    }

    @Test("s3 config: force_destroy is allowed outside prod; versioning on passes")
    func s3ConfigPasses() throws {
        let dev = try AWS.prodComponent().setting(["vars", "stage"], to: .string("dev"))
            .setting(["vars", "force_destroy"], to: .bool(true))
            .setting(["vars", "versioning_enabled"], to: .bool(true))
            .setting(["vars", "sse_algorithm"], to: .string("aws:kms"))
        #expect(try AWS.validate(dev).of("aws.s3.force-destroy").isEmpty)
    }

    @Test("s3 plan: bucket with versioning and encryption companions passes")
    func s3PlanPasses() throws {
        #expect(try AWS.review(try AWS.prodComponent(), plan: try PluginFixtures.plan("aws-app-create-compliant"))
            .of("aws.s3.force-destroy").isEmpty)
    }

    @Test("s3 plan: force_destroy, suspended versioning and no encryption fail")
    func s3PlanFails() throws {
        let findings = try AWS.review(try AWS.prodComponent(), plan: try PluginFixtures.plan("aws-app-create-violations"))
            .of("aws.s3.force-destroy")
        #expect(findings.map(\.message) == [
            "'aws_s3_bucket.artifacts' sets force_destroy in production, a destroy would delete every object",
            "'aws_s3_bucket.artifacts' has no enabled versioning",
            "'aws_s3_bucket.artifacts' has no server-side encryption configuration",
        ])
        let dev = try AWS.prodComponent().setting(["vars", "stage"], to: .string("dev"))
        #expect(try AWS.review(dev, plan: try PluginFixtures.plan("aws-app-create-violations"))
            .of("aws.s3.force-destroy").count == 2)
    }
}
