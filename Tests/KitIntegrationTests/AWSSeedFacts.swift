import Foundation
import Testing

extension KitIntegration.AWSSeedTests {
    /// What boto3 reads from the local API (`tools/aws-seed/facts.py`, never kit or terraform): an
    /// inventory of what exists and, per claim of the seeds, the values as deployed.
    struct Facts: Codable, CustomStringConvertible {
        var buckets: [String]
        var tables: [String]
        var roles: [String]
        var roleBoundaries: [String: String]
        var functions: [String]
        var lambdaEnvironment: [String: String]
        var lambdaRole: String
        var apis: [String]
        var stageThrottling: [String: Double]
        var streamViewType: String
        var pointInTimeRecovery: [String: String]
        var runnerBucket: [String: String]
        var launchTemplates: [String]
        var launchTemplateTokens: [String: String]
        var launchTemplateData: [String: [String: String]]
        var vpcs: [String]
        var privateSubnets: [String]
        var flowLogs: [[String: String]]
        var securityGroups: [String]
        var securityGroupRules: [String: [String]]
        var dbInstances: [String]
        var dbiResourceIds: [String]
        var rds: [String: [String: String]]
        var secrets: [String]
        var rotation: [String: [String: String]]
        var clusters: [String]
        var clusterArns: [String]
        var taskDefinitions: [String]
        var logRetention: [String: Int]
        var kmsKeysWithoutRotation: [String]
        var backupVaults: [String: String]
        var backupPlans: [String: [String]]
        var backupSelections: [String: [String: String]]
        var dashboards: [String]
        var dashboardWidgets: [String: [String]]
        var alarms: [String: [String: String]]
        var topics: [String: [String: String]]
        var stateMachines: [String: StateMachine]
        var pipes: [String: [String: String]]
        var untagged: [String]

        /// A state machine as deployed: its role and every leaf of its definition by path (`/States/X/Type`).
        struct StateMachine: Codable, Equatable {
            var role: String
            var definition: [String: String]
        }

        var description: String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
        }
    }

    static func facts(_ moto: MotoServer) throws -> Facts {
        let script = IntegrationPaths.packageRoot + "/tools/aws-seed/facts.py"
        let json = try moto.python("""
        import runpy, sys
        sys.argv = ["facts.py", ENDPOINT]
        runpy.run_path(\(String(reflecting: script)), run_name="__main__")
        """)
        return try JSONDecoder().decode(Facts.self, from: Data(json.utf8))
    }

    static let account = "123456789012"
    static func role(_ name: String) -> String { "arn:aws:iam::\(account):role/acme-local-use1-\(name)" }

    /// What the deployed estates must look like: the seeds' own claims, checked value by value.
    static func checkDeployed(_ f: Facts) throws {
        // ChatOps.
        #expect(f.functions == ["acme-local-use1-chatops"], "\(f.functions)")
        #expect(Set(f.lambdaEnvironment.keys) == ["LOG_LEVEL", "TELEGRAM_ALLOWED_CHAT_IDS", "SECRET_ARNS"], "\(f.lambdaEnvironment)")
        #expect(f.lambdaEnvironment["LOG_LEVEL"] == "info" && f.lambdaEnvironment["TELEGRAM_ALLOWED_CHAT_IDS"] == "-1001234567890")
        #expect(f.lambdaEnvironment["SECRET_ARNS"]?.contains("arn:aws:secretsmanager:us-east-1:\(account):secret:chatops/telegram-bot-token") == true,
                "\(f.lambdaEnvironment)")
        #expect(f.lambdaRole == role("chatops-lambda"))
        #expect(f.apis == ["acme-local-use1-chatops"] && f.stageThrottling == ["rate": 20, "burst": 40], "\(f.apis) \(f.stageThrottling)")

        // Permissions boundary on every role of every component.
        let expectedRoles: Set<String> = ["acme-local-use1-chatops-lambda", "acme-local-use1-chatops-github-deploy", "acme-local-use1-core-flow-logs",
                                          "acme-local-use1-ecs-runner-execution", "acme-local-use1-ecs-runner-task", "acme-local-use1-enclave-runner-ec2",
                                          "acme-local-use1-enclave-runner-states", "acme-local-use1-enclave-runner-pipes", "acme-local-use1-default-backup"]
        #expect(Set(f.roles) == expectedRoles, "\(f.roles)")
        #expect(f.roleBoundaries.count == expectedRoles.count && f.roleBoundaries.values.allSatisfy { $0 == boundary },
                "roles without the permissions boundary: \(f.roleBoundaries)")

        // The ECS runner's hardening: KMS at rest, versioning, lifecycle, no public access, TLS only, log retention.
        #expect(f.runnerBucket["versioning"] == "Enabled" && f.runnerBucket["sse"] == "aws:kms"
                    && f.runnerBucket["kms"]?.hasPrefix("arn:aws:kms:us-east-1:\(account):key/") == true
                    && f.runnerBucket["lifecycle"] == "Enabled noncurrent 14 abort-multipart 7"
                    && f.runnerBucket["publicAccessBlock"] == "BlockPublicAcls,BlockPublicPolicy,IgnorePublicAcls,RestrictPublicBuckets"
                    && f.runnerBucket["policy"] == "Deny DenyInsecureTransport", "\(f.runnerBucket)")
        #expect(f.logRetention == ["/ecs/acme-local-use1-ecs-runner": 90, "/aws/lambda/acme-local-use1-chatops": 30,
                                   "/vpc/acme-local-use1-core/flow-logs": 14], "\(f.logRetention)")
        #expect(f.kmsKeysWithoutRotation.isEmpty, "customer keys without rotation: \(f.kmsKeysWithoutRotation)")
        #expect(f.vpcs.count == 1 && f.clusters == ["acme-local-use1-terraform-runner"], "\(f.vpcs) \(f.clusters)")

        // VPC flow logs: all traffic to the retained log group, delivered by the bounded role.
        #expect(f.flowLogs == [["resource": f.vpcs.first ?? "?", "traffic": "ALL", "destinationType": "cloud-watch-logs", "status": "ACTIVE",
                                "destination": "arn:aws:logs:us-east-1:\(account):log-group:/vpc/acme-local-use1-core/flow-logs",
                                "role": role("core-flow-logs")]], "\(f.flowLogs)")

        // Security group rules: nothing open to the world inbound.
        #expect(f.securityGroups == ["acme-local-use1-alb", "acme-local-use1-rds"], "\(f.securityGroups)")
        #expect(f.securityGroupRules == ["acme-local-use1-alb": ["in tcp 443-443 10.0.0.0/8", "out -1 -1--1 0.0.0.0/0"],
                                         "acme-local-use1-rds": ["in tcp 5432-5432 10.20.0.0/16", "out -1 -1--1 10.20.0.0/16"]],
                "\(f.securityGroupRules)")

        // Launch templates: IMDSv2 only, one hop; the bastion's volume encrypted.
        let templates = f.launchTemplateData.sorted { $0.key < $1.key }
        #expect(templates.map { $0.key.replacingOccurrences(of: #"-\d{26}$"#, with: "", options: .regularExpression) }
                    == ["acme-local-use1-bastion", "acme-local-use1-enclave-runner-parent"], "\(f.launchTemplates)")
        #expect(templates.map(\.value) == [["tokens": "required", "endpoint": "enabled", "hopLimit": "1", "volumesEncrypted": "True"],
                                            ["tokens": "required", "endpoint": "enabled", "hopLimit": "1", "volumesEncrypted": ""]],
                "\(f.launchTemplateData)")

        // RDS: the primary as the seed sets it, the replica resolving to its own instance.
        let primary: [String: String] = [
            "engine": "postgres 16.4", "class": "db.t3.medium", "storage": "gp3 50..200 GB", "encrypted": "True", "kmsKey": "customer",
            "public": "False", "multiAZ": "False", "backup": "7 days 03:00-04:00", "maintenance": "sun:04:30-sun:05:30",
            "deletionProtection": "False", "performanceInsights": "True", "copyTagsToSnapshot": "True",
            "securityGroups": "acme-local-use1-rds", "masterSecret": "managed", "source": "", "replicas": "acme-local-use1-app-replica",
            "backupTag": "true",
        ]
        var replica = primary
        replica["masterSecret"] = "none"; replica["source"] = "acme-local-use1-app"; replica["replicas"] = ""
        #expect(f.rds == ["acme-local-use1-app": primary, "acme-local-use1-app-replica": replica], "\(f.rds)")
        #expect(f.dbiResourceIds.count == 2 && Set(f.dbiResourceIds).count == 2, "\(f.dbiResourceIds)")

        // The RDS-managed master secret rotates every 30 days.
        #expect(Array(f.rotation.values) == [["enabled": "True", "owner": "rds", "days": "30",
                                               "description": "The secret associated with the primary RDS DB instance: arn:aws:rds:us-east-1:\(account):db:acme-local-use1-app"]],
                "\(f.rotation)")
        #expect(Set(f.secrets) == Set(["chatops/telegram-bot-token", "chatops/github-webhook-secret", "chatops/github-app-private-key"] + f.rotation.keys),
                "\(f.secrets)")

        // DynamoDB: the run requests stream and point-in-time recovery.
        #expect(f.streamViewType == "NEW_AND_OLD_IMAGES")
        #expect(f.pointInTimeRecovery == ["acme-local-use1-terraform-run-requests": "ENABLED"], "\(f.pointInTimeRecovery)")

        // AWS Backup: a vault under its own key, daily and weekly rules, a selection of Backup=true.
        #expect(f.backupVaults == ["acme-local-use1-default": "alias/acme-backup-local-use1"], "\(f.backupVaults)")
        #expect(f.backupPlans == ["acme-local-use1-default": [
            "daily cron(0 5 * * ? *) -> acme-local-use1-default cold - delete 35",
            "weekly cron(0 6 ? * SUN *) -> acme-local-use1-default cold 30 delete 120"]], "\(f.backupPlans)")
        #expect(f.backupSelections == ["acme-local-use1-default-tagged": ["plan": "acme-local-use1-default", "role": role("default-backup"),
                                                                           "resources": "*", "stringEquals": "aws:ResourceTag/Backup=true"]],
                "\(f.backupSelections)")

        // Monitoring: the dashboard's widgets; alarms on the primary notifying the encrypted topic.
        #expect(f.dashboards == ["acme-local-use1-dashboard"]
                    && f.dashboardWidgets["acme-local-use1-dashboard"] == ["RDS CPUUtilization", "RDS FreeStorageSpace", "ECS CPUUtilization"],
                "\(f.dashboardWidgets)")
        #expect(f.alarms == [
            "acme-local-use1-app-cpu-high": ["metric": "AWS/RDS CPUUtilization Average", "comparison": "GreaterThanThreshold 80",
                                             "dimensions": "DBInstanceIdentifier=acme-local-use1-app", "periods": "3x300s", "actions": "acme-local-use1-alarms"],
            "acme-local-use1-app-free-storage-low": ["metric": "AWS/RDS FreeStorageSpace Minimum", "comparison": "LessThanThreshold 10737418240",
                                                     "dimensions": "DBInstanceIdentifier=acme-local-use1-app", "periods": "1x300s", "actions": "acme-local-use1-alarms"],
        ], "\(f.alarms)")
        #expect(f.topics == ["acme-local-use1-alarms": ["kms": "alias/aws/sns", "subscriptions": "email:oncall@acme.example"]], "\(f.topics)")

        // The enclave runner's state machine, as deployed: every leaf of its definition, wired to the
        // runner's cluster and task definition and the vpc's private subnets; fed by the stream's pipe.
        var definition: [String: String] = [
            "/Comment": "run one terraform job on the ECS Fargate runner", "/StartAt": "RunTerraform", "/TimeoutSeconds": "3600",
            "/States/RunTerraform/Type": "Task", "/States/RunTerraform/Resource": "arn:aws:states:::ecs:runTask.sync",
            "/States/RunTerraform/End": "true",
            "/States/RunTerraform/Parameters/Cluster": f.clusterArns.first ?? "?",
            "/States/RunTerraform/Parameters/TaskDefinition": f.taskDefinitions.first ?? "?",
            "/States/RunTerraform/Parameters/LaunchType": "FARGATE",
            "/States/RunTerraform/Parameters/NetworkConfiguration/AwsvpcConfiguration/AssignPublicIp": "DISABLED",
            "/States/RunTerraform/Parameters/Overrides/ContainerOverrides/0/Name": "runner",
            "/States/RunTerraform/Parameters/Overrides/ContainerOverrides/0/Environment.$": "States.Array(States.JsonToString($[0].dynamodb.NewImage))",
        ]
        for (index, subnet) in f.privateSubnets.enumerated() {
            definition["/States/RunTerraform/Parameters/NetworkConfiguration/AwsvpcConfiguration/Subnets/\(index)"] = subnet
        }
        #expect(f.privateSubnets.count == 2 && f.taskDefinitions.count == 1 && f.clusterArns.count == 1,
                "\(f.privateSubnets) \(f.taskDefinitions) \(f.clusterArns)")
        #expect(f.stateMachines == ["acme-local-use1-enclave-runner": .init(role: role("enclave-runner-states"), definition: definition)],
                "\(f.stateMachines)")
        #expect(f.pipes == ["acme-local-use1-enclave-runner": [
            "source": "arn:aws:dynamodb:us-east-1:\(account):table/acme-local-use1-terraform-run-requests",
            "target": "arn:aws:states:us-east-1:\(account):stateMachine:acme-local-use1-enclave-runner",
            "state": "RUNNING", "filters": #"{"eventName":["INSERT"]}"#, "stream": "LATEST batch 1 parallel 2"]], "\(f.pipes)")

        #expect(f.untagged.isEmpty, "resources without Environment, Owner and CostCenter: \(f.untagged)")
    }

    /// What `destroy --all` must leave: only the state bucket and the lock table.
    static func checkDestroyed(_ f: Facts) {
        #expect(f.buckets == [stateBucket] && f.tables == [lockTable], "left behind: \(f.buckets) \(f.tables)")
        #expect(f.roles.isEmpty && f.functions.isEmpty && f.apis.isEmpty && f.vpcs.isEmpty && f.flowLogs.isEmpty && f.securityGroups.isEmpty
                    && f.launchTemplates.isEmpty && f.clusters.isEmpty && f.taskDefinitions.isEmpty && f.logRetention.isEmpty,
                "left behind: \(f)")
        #expect(f.dbInstances.isEmpty && f.secrets.isEmpty && f.backupVaults.isEmpty && f.backupPlans.isEmpty && f.backupSelections.isEmpty
                    && f.dashboards.isEmpty && f.alarms.isEmpty && f.topics.isEmpty && f.stateMachines.isEmpty && f.pipes.isEmpty,
                "left behind: \(f)")
    }
}
