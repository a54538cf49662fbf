import KitPluginSDK
import Testing
@testable import KitAzure

/// Calls the Azure plugin the way kit does (fixtures: `PluginFixtures` in AWSTestSupport.swift).
enum Azure {
    static func adapt(_ component: JSONValue, operation: String = "plan") throws -> AdaptResponse {
        try AzurePlugin().adapt(AdaptRequest(operation: operation, component: component, stack: "contoso-weu-prod",
                                             workspace: "contoso-weu-prod", ci: true), events: RecordedEvents())
    }

    static func validate(_ component: JSONValue) throws -> [Finding] {
        try AzurePlugin().validate(ValidateRequest(component: component), events: RecordedEvents())
    }

    static func review(_ component: JSONValue, plan: JSONValue, operation: String = "apply") throws -> [Finding] {
        try AzurePlugin().review(ReviewRequest(operation: operation, component: component, plan: plan), events: RecordedEvents())
    }

    /// The prod component (compliant as it stands).
    static func prodComponent() throws -> JSONValue { try PluginFixtures.component("azure-platform-prod") }

    /// Review of a plan fixture against the prod component.
    static func review(_ plan: String) throws -> [Finding] {
        try review(try prodComponent(), plan: try PluginFixtures.plan(plan))
    }
}
