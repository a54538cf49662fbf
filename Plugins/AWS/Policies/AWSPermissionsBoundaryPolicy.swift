import KitPluginSDK

/// `aws.iam.permissions-boundary`: when `settings.kit.aws.permissions_boundary` is set, every
/// created or updated `aws_iam_role` has exactly that `permissions_boundary`.
///
/// Configuration: a non-empty `vars.permissions_boundary` must equal the setting (null or empty is
/// filled by kit with `-var permissions_boundary=<arn>`).
struct AWSPermissionsBoundaryPolicy: AWSPolicy {
    let info = AWSPolicyCatalog.iamPermissionsBoundary

    func checkConfiguration(_ component: AWSComponent, operation: Operation?) -> [Finding] {
        guard let expected = component.permissionsBoundary,
              let actual = nonEmptyString(component.vars["permissions_boundary"]), actual != expected
        else { return [] }
        return [info.finding(
            "vars.permissions_boundary is '\(actual)', expected '\(expected)'",
            path: "vars.permissions_boundary",
            hint: "remove vars.permissions_boundary (kit fills it) or set it to '\(expected)'")]
    }

    func checkPlan(_ changes: [PlanResourceChange], component: AWSComponent, operation: Operation) -> [Finding] {
        guard let expected = component.permissionsBoundary else { return [] }
        return changes.compactMap { change in
            guard change.type == "aws_iam_role", change.createsOrUpdates else { return nil }
            let boundary = change.attribute("permissions_boundary")
            if boundary.isUnknown || boundary.value?.stringValue == expected { return nil }
            let shown = boundary.value?.stringValue ?? "unset"
            return info.finding(
                "'\(change.address)' has permissions boundary '\(shown)', expected '\(expected)'",
                path: change.address,
                hint: "set permissions_boundary = var.permissions_boundary on the role and declare the variable")
        }
    }
}
