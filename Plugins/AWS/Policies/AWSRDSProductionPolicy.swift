import KitPluginSDK

/// `aws.rds.production`: RDS storage is encrypted always; in production also multi-AZ, not publicly
/// accessible, backups kept at least 7 days, deletion protection on, and an instance class of at least
/// `db.t3.medium` (see `AWSDBInstanceClass`).
///
/// Plan: created or updated `aws_db_instance` (all checks) and `aws_rds_cluster` (storage encryption,
/// backups, deletion protection, and `db_cluster_instance_class` when set; a cluster has no `multi_az`
/// or `publicly_accessible`). Values known only after apply are skipped.
/// Configuration: the same keys in vars (`vars.storage_encrypted`, `vars.multi_az`,
/// `vars.publicly_accessible`, `vars.backup_retention_period`, `vars.deletion_protection`,
/// `vars.instance_class`), each checked only when set, and only for an RDS component: `vars.instance_class`
/// starts with `db.` or `vars.engine` is an RDS engine.
struct AWSRDSProductionPolicy: AWSPolicy {
    let info = AWSPolicyCatalog.rdsProduction
    static let minimumBackupDays = 7
    static let engines = ["mysql", "postgres", "mariadb", "aurora", "oracle", "sqlserver", "db2"]

    /// One requirement on one attribute.
    private struct Rule: Sendable {
        let key: String
        let productionOnly: Bool
        let appliesToCluster: Bool
        /// Returns a description of the problem, or nil when the value passes.
        let problem: @Sendable (JSONValue?) -> String?
        let fix: String
    }

    private static let rules: [Rule] = [
        Rule(key: "storage_encrypted", productionOnly: false, appliesToCluster: true,
             problem: { $0?.boolValue == true ? nil : "storage is not encrypted (storage_encrypted is '\(shown($0))')" },
             fix: "storage_encrypted = true"),
        Rule(key: "multi_az", productionOnly: true, appliesToCluster: false,
             problem: { $0?.boolValue == true ? nil : "multi_az is '\(shown($0))' in production" },
             fix: "multi_az = true"),
        Rule(key: "publicly_accessible", productionOnly: true, appliesToCluster: false,
             problem: { $0?.boolValue == true ? "publicly_accessible is 'true' in production" : nil },
             fix: "publicly_accessible = false"),
        Rule(key: "backup_retention_period", productionOnly: true, appliesToCluster: true,
             problem: { value in
                 (value?.intValue ?? 0) >= minimumBackupDays
                     ? nil : "backup_retention_period is '\(shown(value))' days in production, below \(minimumBackupDays)"
             },
             fix: "backup_retention_period = \(minimumBackupDays) or more"),
        Rule(key: "deletion_protection", productionOnly: true, appliesToCluster: true,
             problem: { $0?.boolValue == true ? nil : "deletion_protection is '\(shown($0))' in production" },
             fix: "deletion_protection = true"),
        Rule(key: "instance_class", productionOnly: true, appliesToCluster: false,
             problem: { classProblem($0) }, fix: "instance_class = \"db.t3.medium\" or larger"),
        Rule(key: "db_cluster_instance_class", productionOnly: true, appliesToCluster: true,
             problem: { classProblem($0) }, fix: "db_cluster_instance_class = \"db.m6gd.large\" or larger"),
    ]

    private static func shown(_ value: JSONValue?) -> String {
        value.flatMap(AWSTagValue.text) ?? "unset"
    }

    private static func classProblem(_ value: JSONValue?) -> String? {
        guard let text = value?.stringValue else { return nil }
        guard let instanceClass = AWSDBInstanceClass(text) else {
            return "instance class '\(text)' is not an rds instance class"
        }
        return instanceClass.isAtLeastT3Medium ? nil : "instance class '\(text)' is smaller than 'db.t3.medium' in production"
    }

    func checkConfiguration(_ component: AWSComponent, operation: Operation?) -> [Finding] {
        let vars = component.vars
        let isRDS = vars["instance_class"]?.stringValue?.hasPrefix("db.") == true
            || Self.engines.contains { vars["engine"]?.stringValue?.lowercased().hasPrefix($0) == true }
        guard isRDS else { return [] }
        return Self.rules.compactMap { rule in
            guard let value = vars[rule.key], !(rule.productionOnly && !component.isProduction) else { return nil }
            guard let problem = rule.problem(value.isNull ? nil : value) else { return nil }
            return info.finding(problem, path: "vars.\(rule.key)", hint: "set vars.\(rule.key) (\(rule.fix))")
        }
    }

    func checkPlan(_ changes: [PlanResourceChange], component: AWSComponent, operation: Operation) -> [Finding] {
        var findings: [Finding] = []
        for change in changes where change.createsOrUpdates {
            let isCluster = change.type == "aws_rds_cluster"
            guard isCluster || change.type == "aws_db_instance" else { continue }
            for rule in Self.rules {
                if rule.productionOnly && !component.isProduction { continue }
                if isCluster ? !rule.appliesToCluster : rule.key == "db_cluster_instance_class" { continue }
                let planned = change.attribute(rule.key)
                if planned.isUnknown { continue }
                guard let problem = rule.problem(planned.value) else { continue }
                findings.append(info.finding(
                    "'\(change.address)': \(problem)", path: change.address, hint: "set \(rule.fix)"))
            }
        }
        return findings
    }
}
