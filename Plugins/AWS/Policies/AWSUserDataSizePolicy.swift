import KitPluginSDK

/// `aws.ec2.user-data-size`: user data fits EC2's limit of 16 KB once base64-encoded
/// (16384 bytes of base64).
///
/// Plan: `user_data` and `user_data_base64` of created or updated `aws_instance` and
/// `aws_launch_template` (a launch template's `user_data` is already base64; an instance's `user_data`
/// is raw text and is measured as its base64 length, 4 × ⌈bytes / 3⌉). Some AWS provider versions
/// store an instance's `user_data` as a hash in the plan; then only the configuration check sees it.
/// Configuration: `vars.user_data` (raw text) and `vars.user_data_base64`.
struct AWSUserDataSizePolicy: AWSPolicy {
    let info = AWSPolicyCatalog.ec2UserDataSize
    static let limit = 16_384

    /// The base64 length of raw text.
    static func base64Length(ofRaw text: String) -> Int {
        let bytes = text.utf8.count
        return 4 * ((bytes + 2) / 3)
    }

    private func check(_ encodedLength: Int, what: String, path: String, hint: String) -> Finding? {
        guard encodedLength > Self.limit else { return nil }
        return info.finding("\(what) is \(encodedLength) bytes once base64-encoded, over the limit of \(Self.limit)",
                            path: path, hint: hint)
    }

    func checkConfiguration(_ component: AWSComponent, operation: Operation?) -> [Finding] {
        let hint = "move the script to s3 and fetch it from a short user data script, or compress it (gzip)"
        var findings: [Finding] = []
        if let raw = component.vars["user_data"]?.stringValue,
           let finding = check(Self.base64Length(ofRaw: raw), what: "vars.user_data", path: "vars.user_data", hint: hint) {
            findings.append(finding)
        }
        if let encoded = component.vars["user_data_base64"]?.stringValue,
           let finding = check(encoded.utf8.count, what: "vars.user_data_base64", path: "vars.user_data_base64", hint: hint) {
            findings.append(finding)
        }
        return findings
    }

    func checkPlan(_ changes: [PlanResourceChange], component: AWSComponent, operation: Operation) -> [Finding] {
        var findings: [Finding] = []
        for change in changes where change.createsOrUpdates {
            guard change.type == "aws_instance" || change.type == "aws_launch_template" else { continue }
            let hint = "move the script to s3 and fetch it from a short user data script, or compress it (gzip)"
            if let text = change.attribute("user_data").value?.stringValue {
                let length = change.type == "aws_launch_template" ? text.utf8.count : Self.base64Length(ofRaw: text)
                if let finding = check(length, what: "'\(change.address)' user_data", path: change.address, hint: hint) {
                    findings.append(finding)
                }
            }
            if let encoded = change.attribute("user_data_base64").value?.stringValue,
               let finding = check(encoded.utf8.count, what: "'\(change.address)' user_data_base64", path: change.address, hint: hint) {
                findings.append(finding)
            }
        }
        return findings
    }
}
