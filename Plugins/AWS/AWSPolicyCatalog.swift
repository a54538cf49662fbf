import KitPluginSDK

/// The policies the AWS plugin offers, with their default severities.
enum AWSPolicyCatalog {
    static let backendS3 = PolicyInfo(
        id: "aws.backend.s3", summary: "the s3 backend has bucket, region and key", defaultSeverity: .error)
    static let tagsRequired = PolicyInfo(
        id: "aws.tags.required",
        summary: "convention, off until settings.kit.aws.required_tags is set: created and updated taggable resources carry those tag keys",
        defaultSeverity: .error)
    static let destroyTaggedOnly = PolicyInfo(
        id: "aws.destroy.tagged-only",
        summary: "convention, off until settings.kit.aws.destroy_tag is set: a destroy deletes only resources carrying it (ChatOpsManaged = \"true\")",
        defaultSeverity: .error)
    static let rdsProduction = PolicyInfo(
        id: "aws.rds.production",
        summary: "baseline, on by default: rds storage is encrypted; in prod multi-az, private, backups >= 7 days, deletion protection, class >= db.t3.medium",
        defaultSeverity: .error)
    static let s3ForceDestroy = PolicyInfo(
        id: "aws.s3.force-destroy",
        summary: "baseline, on by default: s3 buckets are versioned and encrypted; no force_destroy in prod", defaultSeverity: .error)
    static let ec2IMDSv2 = PolicyInfo(
        id: "aws.ec2.imdsv2", summary: "baseline, on by default: instances and launch templates require imdsv2 tokens", defaultSeverity: .error)
    static let sgPublicIngress = PolicyInfo(
        id: "aws.sg.public-ingress", summary: "baseline, on by default: no security group ingress from 0.0.0.0/0 or ::/0",
        defaultSeverity: .warning)
    static let ec2UserDataSize = PolicyInfo(
        id: "aws.ec2.user-data-size", summary: "baseline, on by default: user data fits in 16 KB once base64-encoded", defaultSeverity: .error)
    static let iamPermissionsBoundary = PolicyInfo(
        id: "aws.iam.permissions-boundary",
        summary: "convention, off until settings.kit.aws.permissions_boundary is set: iam roles carry that permissions boundary", defaultSeverity: .error)

    /// Every policy, in a stable order.
    static let all: [PolicyInfo] = [
        backendS3, tagsRequired, destroyTaggedOnly, rdsProduction, s3ForceDestroy, ec2IMDSv2,
        sgPublicIngress, ec2UserDataSize, iamPermissionsBoundary,
    ]
}
