import Foundation
import KitPluginSDK
import Testing
@testable import KitAWS

/// Fixture documents for the AWS (and Azure) plugin tests, found next to this file.
enum PluginFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// Parses `Fixtures/<relativePath>`.
    static func load(_ relativePath: String) throws -> JSONValue {
        let text = try String(contentsOf: directory.appendingPathComponent(relativePath), encoding: .utf8)
        return try JSONValue.parse(text)
    }

    /// A resolved component document from `Fixtures/components/<name>.json`.
    static func component(_ name: String) throws -> JSONValue { try load("components/\(name).json") }

    /// A terraform `show -json` plan from `Fixtures/plans/<name>.json`.
    static func plan(_ name: String) throws -> JSONValue { try load("plans/\(name).json") }
}

/// An event sink that keeps what it is sent.
final class RecordedEvents: PluginEventSink, @unchecked Sendable {
    private(set) var events: [JSONValue] = []
    func emit(_ event: JSONValue) { events.append(event) }
}

extension JSONValue {
    /// A copy with the value at `path` replaced (intermediate objects are created), or removed when
    /// `value` is nil.
    func setting(_ path: [String], to value: JSONValue?) -> JSONValue {
        guard let key = path.first else { return value ?? .null }
        var object = objectValue ?? [:]
        if path.count == 1 {
            object[key] = value
        } else {
            object[key] = (object[key] ?? .object([:])).setting(Array(path.dropFirst()), to: value)
        }
        return .object(object)
    }
}

extension Array where Element == Finding {
    /// The findings of one policy.
    func of(_ policy: String) -> [Finding] { filter { $0.policy == policy } }
}

/// Calls the AWS plugin the way kit does.
enum AWS {
    static let plugin = AWSPlugin()

    static func adapt(_ component: JSONValue, operation: String = "plan") throws -> AdaptResponse {
        try plugin.adapt(AdaptRequest(operation: operation, component: component, stack: "acme-ue1-prod",
                                      workspace: "acme-ue1-prod", ci: false), events: RecordedEvents())
    }

    static func validate(_ component: JSONValue) throws -> [Finding] {
        try plugin.validate(ValidateRequest(component: component), events: RecordedEvents())
    }

    static func review(_ component: JSONValue, plan: JSONValue, operation: String = "apply") throws -> [Finding] {
        try plugin.review(ReviewRequest(operation: operation, component: component, plan: plan), events: RecordedEvents())
    }

    /// The prod component used by most guardrail tests (compliant as it stands).
    static func prodComponent() throws -> JSONValue { try PluginFixtures.component("aws-orders-prod") }
}
