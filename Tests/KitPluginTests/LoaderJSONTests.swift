import KitPluginSDK
import Testing

@Suite("JSON codec")
struct LoaderJSONTests {
    @Test func parsesScalarsAndKeepsIntegersApart() throws {
        let v = try JSONValue.parse(#"{"a": 1, "b": -2.5, "c": 1e3, "d": true, "e": null, "f": [1, "x"], "g": 9223372036854775807}"#)
        #expect(v["a"] == .int(1))
        #expect(v["b"] == .double(-2.5))
        #expect(v["c"] == .double(1000))
        #expect(v["d"] == .bool(true))
        #expect(v["e"] == .null)
        #expect(v["f"] == .array([.int(1), .string("x")]))
        #expect(v["g"] == .int(Int.max))
    }

    @Test func integerOverflowBecomesDouble() throws {
        #expect(try JSONValue.parse("92233720368547758080") == .double(92233720368547758080))
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let v = try JSONValue.parse(#""q\"b\\s\/n\nt\tu\u00e9\ud83d\ude00""#)
        #expect(v == .string("q\"b\\s/n\nt\tué😀"))
    }

    @Test(arguments: [
        (#"{"a" 1}"#, 5, "expected ':'"),
        ("[1, 2", 5, "unexpected end of input"),
        (#""abc"#, 0, "unterminated string"),
        (#""\ud83d""#, 7, "unpaired high surrogate"),
        ("01", 1, "leading zero"),
        ("[1] x", 4, "after the document"),
        ("tru", 0, "expected 'true'"),
    ])
    func reportsErrorsWithByteOffsets(input: String, offset: Int, fragment: String) {
        do {
            _ = try JSONValue.parse(input)
            Issue.record("parsed invalid json '\(input)'")
        } catch let error as JSONParseError {
            #expect(error.offset == offset, "\(error)")
            #expect(error.description.contains(fragment), "\(error)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func serializesWithSortedKeys() {
        let v: JSONValue = .object(["b": .int(1), "a": .array([.double(1.5), .null, .bool(false)]), "c": .string("x\"\n\u{1}")])
        #expect(v.serialized() == #"{"a":[1.5,null,false],"b":1,"c":"x\"\n\u0001"}"#)
        #expect(v.serialized(pretty: true) == "{\n  \"a\": [\n    1.5,\n    null,\n    false\n  ],\n  \"b\": 1,\n  \"c\": \"x\\\"\\n\\u0001\"\n}\n")
    }

    @Test func roundTripsDoublesAsDoubles() throws {
        let v: JSONValue = .array([.double(1.0), .double(1e20), .double(-0.25), .int(7), .string("é😀")])
        #expect(try JSONValue.parse(v.serialized()) == v)
        #expect(try JSONValue.parse(v.serialized(pretty: true)) == v)
    }

    @Test func decodesMessagesAndRejectsBadOnes() throws {
        let request = try JSONValue.parse(#"{"op":"after","operation":"apply","exit_code":2,"plan_summary":{"add":1}}"#)
        guard case .after(let after) = try PluginRequest(json: request) else {
            Issue.record("not decoded as after"); return
        }
        #expect(after.exitCode == 2)
        #expect(after.planSummary["add"] == .int(1))
        #expect(throws: MessageDecodingError.unknownOp("launch")) { try PluginRequest(json: .object(["op": .string("launch")])) }
        #expect(throws: MessageDecodingError.invalidValue(field: "severity", value: "fatal", allowed: ["info", "warning", "error"], context: "finding")) {
            try Finding(json: .object(["severity": .string("fatal"), "policy": .string("p"), "message": .string("m")]))
        }
        let response = AdaptResponse(backend: .object(["bucket": .string("b")]), env: [EnvVar(name: "A", value: "1", secret: true)],
                                     args: ["-x"], findings: [Finding(severity: .warning, policy: "p", message: "m", path: "vars.x")])
        #expect(try AdaptResponse(json: response.json) == response)
    }
}
