import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

/// The error `parse` fails with, as text, or nil.
fileprivate func parseFailure(_ function: String, _ arguments: String) -> String? {
    do {
        _ = try TerraformReference.parse(function: function, arguments: arguments)
        return nil
    } catch {
        return "\(error)"
    }
}

fileprivate let outputs: [String: Value] = [
    "vpc_id": .string("vpc-123"),
    "subnet_ids": .list([.string("subnet-a"), .string("subnet-b")]),
    "config": .map(["x": .int(1), "name with space": .string("spaced")]),
]

@Suite struct TerraformReferenceTests {
    @Test(arguments: [
        ("terraform.state", "vpc vpc_id", TerraformReference.Kind.state, "vpc", nil, ".vpc_id", "!terraform.state vpc vpc_id"),
        ("terraform.output", "vpc acme-dev vpc_id", .output, "vpc", "acme-dev", ".vpc_id", "!terraform.output vpc acme-dev vpc_id"),
        ("!terraform.state", "vpc .private_subnet_ids[0]", .state, "vpc", nil, ".private_subnet_ids[0]", "!terraform.state vpc .private_subnet_ids[0]"),
        ("terraform.state", "vpc private_subnet_ids[0]", .state, "vpc", nil, ".private_subnet_ids[0]", "!terraform.state vpc private_subnet_ids[0]"),
        ("terraform.state", "vpc my-output", .state, "vpc", nil, ".[\"my-output\"]", "!terraform.state vpc my-output"),  // jq reads '-' as subtraction
        ("terraform.state", "vpc 2fa_secret", .state, "vpc", nil, ".[\"2fa_secret\"]", "!terraform.state vpc 2fa_secret"),
        ("terraform.state", "iam-role/my-role plat-use2-dev .role.arn", .state, "iam-role/my-role", "plat-use2-dev", ".role.arn",
         "!terraform.state iam-role/my-role plat-use2-dev .role.arn"),
        ("terraform.state", "  vpc \t acme-dev   vpc_id  ", .state, "vpc", "acme-dev", ".vpc_id", "!terraform.state vpc \t acme-dev   vpc_id"),
        ("terraform.state", "vpc '.config.x // \"default\"'", .state, "vpc", nil, ".config.x // \"default\"",
         "!terraform.state vpc '.config.x // \"default\"'"),
        ("terraform.output", "vpc \".config.x // \"\"default\"\"\"", .output, "vpc", nil, ".config.x // \"default\"",
         "!terraform.output vpc \".config.x // \"\"default\"\"\""),
        ("terraform.output", "vpc acme-dev '.name // ''none'''", .output, "vpc", "acme-dev", ".name // 'none'",
         "!terraform.output vpc acme-dev '.name // ''none'''"),
        ("terraform.output", "secrets .secret_arns_map[\"auth0/app/client-id\"]", .output, "secrets", nil,
         ".secret_arns_map[\"auth0/app/client-id\"]", "!terraform.output secrets .secret_arns_map[\"auth0/app/client-id\"]"),
        ("terraform.output", "vpc .config[\"name with space\"]", .output, "vpc", nil, ".config[\"name with space\"]",
         "!terraform.output vpc .config[\"name with space\"]"),
        ("terraform.state", "\"vpc\" 'acme-dev' \"vpc_id\"", .state, "vpc", "acme-dev", ".vpc_id", "!terraform.state \"vpc\" 'acme-dev' \"vpc_id\""),
        // atmos's rule: an unquoted expression runs from the first argument that starts like one to the end.
        ("terraform.output", "vpc .a // \"x\"", .output, "vpc", nil, ".a // \"x\"", "!terraform.output vpc .a // \"x\""),
        ("terraform.state", "vpc acme-dev .ids | length", .state, "vpc", "acme-dev", ".ids | length", "!terraform.state vpc acme-dev .ids | length"),
        ("terraform.state", "vpc .ids[0] // \"none\"", .state, "vpc", nil, ".ids[0] // \"none\"", "!terraform.state vpc .ids[0] // \"none\""),
    ] as [(String, String, TerraformReference.Kind, String, String?, String, String)])
    func parsesForms(_ function: String, _ arguments: String, _ kind: TerraformReference.Kind, _ component: String,
                     _ stack: String?, _ expression: String, _ text: String) throws {
        let ref = try TerraformReference.parse(function: function, arguments: arguments)
        #expect(ref.kind == kind)
        #expect(ref.component == component)
        #expect(ref.stack == stack)
        #expect(ref.expression.text == expression)
        #expect(ref.text == text)
    }

    @Test(arguments: [
        ("terraform.state", "vpc",
         "'!terraform.state vpc' has 1 argument, expected 2 or 3 — write '!terraform.state <component> <output>' or '!terraform.state <component> <stack> <output>', and quote an expression that contains spaces"),
        ("terraform.state", "",
         "'!terraform.state' has 0 arguments, expected 2 or 3 — write '!terraform.state <component> <output>' or '!terraform.state <component> <stack> <output>', and quote an expression that contains spaces"),
        ("terraform.state", "vpc '.a // 1",
         "'!terraform.state vpc '.a // 1' has an unterminated ' at column 22 — close it; inside '…' write '' for a literal '"),
        ("terraform.state", "vpc .a[\"x",
         "'!terraform.state vpc .a[\"x' has an unterminated \" at column 25 — close it; inside \"…\" write \"\" for a literal \""),
        ("terraform.output", "vpc \".a\"x",
         "'!terraform.output vpc \".a\"x' has text right after a closing quote at column 27 — put a space between arguments, or quote the whole argument"),
        ("terraform.state", "\"\" vpc_id",
         "'!terraform.state \"\" vpc_id' has an empty component — write '!terraform.state <component> <output>' or '!terraform.state <component> <stack> <output>'"),
        ("terraform.state", "vpc '' vpc_id",
         "'!terraform.state vpc '' vpc_id' has an empty stack — write '!terraform.state <component> <output>' or '!terraform.state <component> <stack> <output>'"),
        ("terraform.state", "vpc .a=!1",
         "'!terraform.state vpc .a=!1': bad expression '.a=!1': syntax error, unexpected invalid character at column 4; the form is '!terraform.state <component> [<stack>] <output-or-expression>'"),
        ("terraform.output", "vpc 'a b'",
         "'!terraform.output vpc 'a b'': bad expression '.a b': syntax error, unexpected name, expecting end of expression at column 4; the form is '!terraform.output <component> [<stack>] <output-or-expression>'"),
        ("terraform.plan", "vpc x", "'!terraform.plan' is not a terraform reference — use '!terraform.output' or '!terraform.state'"),
        ("terraform.state", "vpc\u{1b} x y z", "'!terraform.state vpc\\u{1b} x y z' has 4 arguments, expected 2 or 3 — write '!terraform.state <component> <output>' or '!terraform.state <component> <stack> <output>', and quote an expression that contains spaces"),
    ])
    func rejectsBadForms(_ function: String, _ arguments: String, _ message: String) {
        #expect(parseFailure(function, arguments) == message)
    }

    @Test(arguments: [
        ("vpc vpc_id", Value.string("vpc-123")),
        ("vpc .subnet_ids[1]", .string("subnet-b")),
        ("vpc .subnet_ids[-1]", .string("subnet-b")),
        ("vpc '.config.x // 5'", .int(1)),
        ("vpc '.config.y // 5'", .int(5)),
        ("vpc '.missing // \"d\"'", .string("d")),
        ("vpc .config[\"name with space\"]", .string("spaced")),
        ("vpc '.subnet_ids | length'", .int(2)),
        ("vpc .missing // \"d\"", .string("d")),
        ("vpc .subnet_ids | length", .int(2)),
        ("vpc .", .map(outputs)),
        ("vpc '.vpc_id | startswith(\"vpc-\")'", .bool(true)),
    ])
    func evaluates(_ arguments: String, _ expected: Value) throws {
        let ref = try TerraformReference.parse(function: "terraform.state", arguments: arguments)
        #expect(try ref.evaluate(outputs: outputs) == expected)
    }

    @Test func missingOutputListsTheOnesThatExist() throws {
        let ref = try TerraformReference.parse(function: "terraform.state", arguments: "vpc vpc_idd")
        #expect(throws: TerraformReferenceError.outputNotFound(output: "vpc_idd", component: "vpc", stack: "acme-dev",
                                                               available: ["config", "subnet_ids", "vpc_id"])) {
            try ref.evaluate(outputs: outputs, currentStack: "acme-dev")
        }
        let message = TerraformReferenceError.outputNotFound(output: "vpc_idd", component: "vpc", stack: "acme-dev",
                                                              available: ["subnet_ids", "vpc_id"]).description
        #expect(message == "output 'vpc_idd' not found in component 'vpc' in stack 'acme-dev' — outputs: subnet_ids, vpc_id")

        // The stack written in the reference wins over the current one.
        let other = try TerraformReference.parse(function: "terraform.output", arguments: "vpc acme-prod '.vpc_idd[0]'")
        do {
            _ = try other.evaluate(outputs: outputs, currentStack: "acme-dev")
            Issue.record("expected an error")
        } catch {
            #expect("\(error)" == "output 'vpc_idd' not found in component 'vpc' in stack 'acme-prod' — outputs: config, subnet_ids, vpc_id")
        }
    }

    @Test func missingOutputMessagesCapTheListAndExplainEmptyOutputs() throws {
        let ref = try TerraformReference.parse(function: "terraform.state", arguments: "vpc vpc_id")
        do {
            _ = try ref.evaluate(outputs: [:])
            Issue.record("expected an error")
        } catch {
            #expect("\(error)" == "output 'vpc_id' not found in component 'vpc' — the component has no outputs (has it been applied?); add a default with '//'")
        }
        var many: [String: Value] = [:]
        for i in 0..<25 { many["out_\(i < 10 ? "0" : "")\(i)"] = .int(i) }
        do {
            _ = try ref.evaluate(outputs: many, currentStack: "dev")
            Issue.record("expected an error")
        } catch {
            let names = (0..<20).map { "out_\($0 < 10 ? "0" : "")\($0)" }.joined(separator: ", ")
            #expect("\(error)" == "output 'vpc_id' not found in component 'vpc' in stack 'dev' — outputs: \(names) (and 5 more)")
        }
    }

    @Test func oneResultIsNeeded() throws {
        for (arguments, count) in [("vpc '.subnet_ids[]'", "2 results"), ("vpc '.subnet_ids[] | select(. == \"x\")'", "no result")] {
            let ref = try TerraformReference.parse(function: "terraform.output", arguments: arguments)
            do {
                let v = try ref.evaluate(outputs: outputs)
                Issue.record("expected an error, got \(v)")
            } catch {
                #expect("\(error)".contains("the expression produced \(count) — one is needed here"), "\(error)")
            }
        }
        let jq = try TerraformReference.parse(function: "terraform.output", arguments: "vpc '.subnet_ids | map(ltrimstr(\"subnet-\")) | join(\",\")'")
        #expect(try jq.evaluate(outputs: outputs) == .string("a,b"))
        let dashed = try TerraformReference.parse(function: "terraform.output", arguments: "vpc my-output")
        #expect(try dashed.evaluate(outputs: ["my-output": .int(7)]) == .int(7))
    }

    @Test func evaluationErrorsQuoteTheReference() throws {
        let ref = try TerraformReference.parse(function: "terraform.state", arguments: "vpc .vpc_id.x")
        do {
            _ = try ref.evaluate(outputs: outputs)
            Issue.record("expected an error")
        } catch {
            #expect("\(error)" == "'!terraform.state vpc .vpc_id.x': Cannot index string with string \"x\"")
        }
    }
}

@Suite struct TerraformOutputsTests {
    static let stateV4 = """
    {
      "version": 4,
      "terraform_version": "1.9.5",
      "serial": 7,
      "lineage": "3f1c9a2e-5b7d-4c1e-9f0a-2d6b8e4c1a37",
      "outputs": {
        "vpc_id": { "value": "vpc-0a1b2c3d", "type": "string" },
        "private_subnet_ids": { "value": ["subnet-1", "subnet-2"], "type": ["list", "string"] },
        "nat_count": { "value": 2, "type": "number" },
        "ratio": { "value": 0.25, "type": "number" },
        "db_password": { "value": "s3cret", "type": "string", "sensitive": true },
        "config": {
          "value": { "enabled": true, "name": null },
          "type": ["object", { "enabled": "bool", "name": "string" }]
        }
      },
      "resources": [
        {
          "mode": "managed",
          "type": "aws_vpc",
          "name": "this",
          "provider": "provider[\\"registry.terraform.io/hashicorp/aws\\"]",
          "instances": [
            {
              "schema_version": 1,
              "attributes": { "id": "vpc-0a1b2c3d", "cidr_block": "10.0.0.0/16" },
              "sensitive_attributes": []
            }
          ]
        }
      ],
      "check_results": null
    }
    """

    @Test func readsAVersion4StateFile() throws {
        let outputs = try TerraformOutputs.fromState(Array(Self.stateV4.utf8))
        #expect(outputs == [
            "vpc_id": .string("vpc-0a1b2c3d"),
            "private_subnet_ids": .list([.string("subnet-1"), .string("subnet-2")]),
            "nat_count": .int(2),
            "ratio": .double(0.25),
            "db_password": .string("s3cret"),
            "config": .map(["enabled": .bool(true), "name": .null]),
        ])
        let ref = try TerraformReference.parse(function: "terraform.state", arguments: "vpc '.private_subnet_ids[0] // \"none\"'")
        #expect(try ref.evaluate(outputs: outputs) == .string("subnet-1"))
    }

    @Test(arguments: [
        #"{"version":4,"terraform_version":"1.9.5","serial":1,"lineage":"x","outputs":{},"resources":[]}"#,
        #"{"version":4,"terraform_version":"1.9.5","serial":1,"lineage":"x","resources":[]}"#,
        #"{"version":4,"outputs":null}"#,
    ])
    func emptyOrAbsentOutputsAreAnEmptyMap(_ state: String) throws {
        #expect(try TerraformOutputs.fromState(Array(state.utf8)).isEmpty)
    }

    @Test(arguments: [
        (#"{"version":3,"outputs":{}}"#, "terraform state version 3 is not supported — kit reads state format version 4 (terraform 0.12 and later)"),
        (#"{"version":"4"}"#, "terraform state version \"4\" is not supported — kit reads state format version 4 (terraform 0.12 and later)"),
        (#"{"outputs":{}}"#, "not a terraform state file: it has no 'version' field"),
        ("", "terraform state is empty"),
        (" \n", "terraform state is empty"),
        ("[1]", "terraform state is malformed: the document is a list, not an object"),
        (#"{"version":4,"outputs":[]}"#, "terraform state is malformed: 'outputs' is a list, not an object"),
        (#"{"version":4,"outputs":{"x":{"type":"string"}}}"#, "terraform state is malformed: output 'x' has no 'value'"),
        (#"{"version":4,"#, "terraform state is not valid JSON: invalid json at byte 13: expected a string key in object, found 'end of input'"),
        ("version = 4", "terraform state is not valid JSON: invalid json at byte 0: unexpected 'v', expected a value"),
    ])
    func rejectsWhatIsNotAVersion4State(_ state: String, _ message: String) {
        do {
            _ = try TerraformOutputs.fromState(Array(state.utf8))
            Issue.record("expected an error for \(state)")
        } catch {
            #expect("\(error)" == message)
        }
    }

    @Test func readsTerraformOutputJSON() throws {
        let json = #"""
        {
          "vpc_id": { "sensitive": false, "type": "string", "value": "vpc-1" },
          "count": { "sensitive": false, "type": "number", "value": 3 },
          "big": { "sensitive": false, "type": "number", "value": 1e400 },
          "token": { "sensitive": true, "type": "string", "value": "t" },
          "ids": { "sensitive": false, "type": ["tuple", ["string"]], "value": ["a"] }
        }
        """#
        let outputs = try TerraformOutputs.fromOutputJSON(Array(json.utf8))
        #expect(outputs["vpc_id"] == .string("vpc-1"))
        #expect(outputs["count"] == .int(3))
        #expect(outputs["token"] == .string("t"))
        #expect(outputs["ids"] == .list([.string("a")]))
        #expect(outputs.count == 5)
        #expect(try TerraformOutputs.fromOutputJSON(Array("{}\n".utf8)).isEmpty)
    }

    @Test(arguments: [
        (#"{"x":{"type":"string"}}"#, "'terraform output -json' is malformed: output 'x' has no 'value'"),
        (#"{"x":1}"#, "'terraform output -json' is malformed: output 'x' has no 'value'"),
        ("[]", "'terraform output -json' is malformed: the document is a list, not an object"),
        ("", "'terraform output -json' is empty"),
        ("nope", "'terraform output -json' is not valid JSON: invalid json at byte 0: invalid literal, expected 'null'"),
    ])
    func rejectsBadOutputJSON(_ json: String, _ message: String) {
        do {
            _ = try TerraformOutputs.fromOutputJSON(Array(json.utf8))
            Issue.record("expected an error for \(json)")
        } catch {
            #expect("\(error)" == message)
        }
    }
}
