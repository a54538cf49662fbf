import KitPluginSDK

/// `aws.ec2.imdsv2`: `aws_instance` and `aws_launch_template` require IMDSv2 tokens
/// (`metadata_options[0].http_tokens == "required"`).
///
/// Configuration: `vars.metadata_http_tokens` or `vars.metadata_options.http_tokens` must be
/// `required`, `vars.metadata_http_tokens_required` must be true (each only when set).
struct AWSIMDSv2Policy: AWSPolicy {
    let info = AWSPolicyCatalog.ec2IMDSv2
    static let resourceTypes: Set<String> = ["aws_instance", "aws_launch_template"]

    func checkConfiguration(_ component: AWSComponent, operation: Operation?) -> [Finding] {
        let vars = component.vars
        var findings: [Finding] = []
        for (path, value) in [("vars.metadata_http_tokens", vars["metadata_http_tokens"]),
                              ("vars.metadata_options.http_tokens", vars["metadata_options"]?["http_tokens"])] {
            guard let value, !value.isNull, value.stringValue != "required" else { continue }
            findings.append(info.finding(
                "\(path) is '\(AWSTagValue.text(value) ?? "?")', instances would accept imdsv1",
                path: path, hint: "set \(path): required"))
        }
        if let flag = vars["metadata_http_tokens_required"], flag.boolValue == false {
            findings.append(info.finding(
                "vars.metadata_http_tokens_required is 'false', instances would accept imdsv1",
                path: "vars.metadata_http_tokens_required", hint: "set vars.metadata_http_tokens_required: true"))
        }
        return findings
    }

    func checkPlan(_ changes: [PlanResourceChange], component: AWSComponent, operation: Operation) -> [Finding] {
        changes.compactMap { change in
            guard Self.resourceTypes.contains(change.type), change.createsOrUpdates else { return nil }
            let tokens = change.attribute(path: ["metadata_options", 0, "http_tokens"])
            if tokens.isUnknown || tokens.value?.stringValue == "required" { return nil }
            let shown = tokens.value?.stringValue ?? "unset"
            return info.finding(
                "'\(change.address)' has metadata_options http_tokens '\(shown)', imdsv1 stays reachable",
                path: change.address,
                hint: "set metadata_options { http_tokens = \"required\" }")
        }
    }
}
