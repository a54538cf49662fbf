import KitPluginSDK

/// The environment variables the AWS plugin gives terraform.
///
/// - `AWS_PROFILE` ← `settings.kit.aws.profile`
/// - `AWS_REGION` and `AWS_DEFAULT_REGION` ← `settings.kit.aws.region`, else `vars.region`
/// - `AWS_ENDPOINT_URL` ← `settings.kit.aws.endpoint_url` (the aws provider and the s3 backend both
///   send every AWS API call there)
///
/// The component's `env` section wins: a variable it sets is never produced here. When it sets only
/// one of the two region variables, the other gets the same value, so the AWS SDK and the CLI agree.
/// Nothing is secret (a role ARN is not a credential, and no credential is ever produced).
enum AWSEnvironment {
    /// The variables, sorted by name.
    static func variables(for component: AWSComponent) -> [EnvVar] {
        let given = component.env
        var result: [String: String] = [:]
        if let profile = nonEmptyString(component.awsSettings["profile"]) { result["AWS_PROFILE"] = profile }
        if let endpoint = component.endpointURL { result["AWS_ENDPOINT_URL"] = endpoint }
        let givenRegion = nonEmptyString(given["AWS_REGION"]) ?? nonEmptyString(given["AWS_DEFAULT_REGION"])
        if let region = givenRegion ?? component.region {
            result["AWS_REGION"] = region
            result["AWS_DEFAULT_REGION"] = region
        }
        return result.keys.sorted()
            .filter { given[$0] == nil }
            .map { EnvVar(name: $0, value: result[$0]!, secret: false) }
    }
}
