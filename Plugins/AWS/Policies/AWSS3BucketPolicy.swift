import KitPluginSDK

/// `aws.s3.force-destroy`: S3 buckets are versioned and encrypted, and in production do not set
/// `force_destroy`.
///
/// Plan, for each created or updated `aws_s3_bucket`:
/// - production: `force_destroy` is not true;
/// - versioning: an `aws_s3_bucket_versioning` in the plan (any action but a pure delete) with
///   `versioning_configuration[0].status == "Enabled"`, or the legacy inline `versioning[0].enabled`;
/// - encryption: an `aws_s3_bucket_server_side_encryption_configuration` in the plan, or the legacy
///   inline `server_side_encryption_configuration` block.
/// A companion resource covers a bucket when it sits in the same module and its `bucket` is that
/// bucket's name or is known only after apply.
/// Configuration (each only when set): `vars.force_destroy` not true in production,
/// `vars.versioning_enabled` true, `vars.encryption_enabled` true, `vars.sse_algorithm` not empty.
struct AWSS3BucketPolicy: AWSPolicy {
    let info = AWSPolicyCatalog.s3ForceDestroy

    func checkConfiguration(_ component: AWSComponent, operation: Operation?) -> [Finding] {
        let vars = component.vars
        var findings: [Finding] = []
        if component.isProduction, vars["force_destroy"]?.boolValue == true {
            findings.append(info.finding(
                "vars.force_destroy is 'true' in production, a destroy would delete every object",
                path: "vars.force_destroy", hint: "set vars.force_destroy: false"))
        }
        if vars["versioning_enabled"]?.boolValue == false {
            findings.append(info.finding(
                "vars.versioning_enabled is 'false', bucket versioning is off",
                path: "vars.versioning_enabled", hint: "set vars.versioning_enabled: true"))
        }
        if vars["encryption_enabled"]?.boolValue == false {
            findings.append(info.finding(
                "vars.encryption_enabled is 'false', bucket encryption is off",
                path: "vars.encryption_enabled", hint: "set vars.encryption_enabled: true"))
        }
        if let algorithm = vars["sse_algorithm"], algorithm.isNull || algorithm.stringValue == "" {
            findings.append(info.finding(
                "vars.sse_algorithm is empty, bucket encryption is off",
                path: "vars.sse_algorithm", hint: "set vars.sse_algorithm: \"aws:kms\" or \"AES256\""))
        }
        return findings
    }

    func checkPlan(_ changes: [PlanResourceChange], component: AWSComponent, operation: Operation) -> [Finding] {
        let present = changes.filter(\.remains)
        let versioning = present.filter { change in
            change.type == "aws_s3_bucket_versioning"
                && change.attribute(path: ["versioning_configuration", 0, "status"]).value?.stringValue == "Enabled"
        }
        let encryption = present.filter { $0.type == "aws_s3_bucket_server_side_encryption_configuration" }
        var findings: [Finding] = []
        for bucket in changes where bucket.type == "aws_s3_bucket" && bucket.createsOrUpdates {
            if component.isProduction, bucket.attribute("force_destroy").value?.boolValue == true {
                findings.append(info.finding(
                    "'\(bucket.address)' sets force_destroy in production, a destroy would delete every object",
                    path: bucket.address, hint: "set force_destroy = false"))
            }
            let inlineVersioning = bucket.attribute(path: ["versioning", 0, "enabled"]).value?.boolValue == true
            if !inlineVersioning && !versioning.contains(where: { covers($0, bucket) }) {
                findings.append(info.finding(
                    "'\(bucket.address)' has no enabled versioning",
                    path: bucket.address,
                    hint: "add an aws_s3_bucket_versioning with versioning_configuration { status = \"Enabled\" }"))
            }
            let inlineEncryption = !(bucket.attribute(path: ["server_side_encryption_configuration", 0]).value == nil)
            if !inlineEncryption && !encryption.contains(where: { covers($0, bucket) }) {
                findings.append(info.finding(
                    "'\(bucket.address)' has no server-side encryption configuration",
                    path: bucket.address,
                    hint: "add an aws_s3_bucket_server_side_encryption_configuration for the bucket"))
            }
        }
        return findings
    }

    /// True when a companion resource (versioning, encryption) belongs to the bucket.
    private func covers(_ companion: PlanResourceChange, _ bucket: PlanResourceChange) -> Bool {
        guard companion.modulePath == bucket.modulePath else { return false }
        let target = companion.attribute("bucket")
        if target.isUnknown { return true }
        let name = bucket.attribute("bucket")
        if name.isUnknown { return true }
        return target.value?.stringValue == name.value?.stringValue
    }
}
