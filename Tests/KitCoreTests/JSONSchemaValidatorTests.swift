import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

/// The compact JSON Schema validator behind `settings.validation`.
@Suite("JSON Schema validator")
struct JSONSchemaValidatorTests {
    func violations(_ schema: String, _ instance: String) throws -> [String] {
        let s = try YAMLParser.parse(schema).value
        let i = try YAMLParser.parse(instance).value
        return JSONSchemaValidator(schema: s).validate(i).map(\.description)
    }

    @Test("type, with integer accepting 2.0 and number accepting ints")
    func types() throws {
        #expect(try violations("{type: integer}", "2.0") == [])
        #expect(try violations("{type: number}", "2") == [])
        #expect(try violations("{type: [string, 'null']}", "~") == [])
        #expect(try violations("{type: string}", "3") == ["must be a string, found an integer"])
    }

    @Test("properties, required, additionalProperties false and as a schema")
    func objects() throws {
        let schema = "{type: object, properties: {a: {type: string}}, required: [a, b], additionalProperties: false}"
        #expect(try violations(schema, "{a: x, c: 1}") == ["the key 'b' is required", "the key 'c' is not allowed (additionalProperties is false)"])
        #expect(try violations("{additionalProperties: {type: integer}}", "{x: 1, y: z}") == ["y: must be an integer, found a string"])
        #expect(try violations("{patternProperties: {'^n_': {type: integer}}}", "{n_a: x}") == ["n_a: must be an integer, found a string"])
    }

    @Test("items, tuple items, minItems/maxItems, uniqueItems")
    func arrays() throws {
        #expect(try violations("{items: {type: string}, minItems: 3}", "[a, 1]") == ["must have at least 3 items", "1: must be a string, found an integer"])
        #expect(try violations("{items: [{type: string}, {type: integer}]}", "[a, b]") == ["1: must be an integer, found a string"])
        #expect(try violations("{maxItems: 1, uniqueItems: true}", "[1, 1]") == ["must have at most 1 items", "items 0 and 1 must be unique"])
    }

    @Test("enum, const, pattern, lengths, bounds")
    func scalars() throws {
        #expect(try violations("{enum: [a, b]}", "c") == ["must be one of \"a\", \"b\", found \"c\""])
        #expect(try violations("{const: 1}", "1.0") == [])
        #expect(try violations("{pattern: '^[a-z]+$', minLength: 2, maxLength: 3}", "ABCD") == ["must be at most 3 characters long", "must match the pattern '^[a-z]+$'"])
        #expect(try violations("{minimum: 1, maximum: 5, exclusiveMaximum: 5}", "5") == ["must be < 5"])
        #expect(try violations("{minimum: 1, exclusiveMinimum: true}", "1") == ["must be > 1"])
    }

    @Test("anyOf, allOf, oneOf, not, if/then/else")
    func combinators() throws {
        #expect(try violations("{anyOf: [{type: string}, {type: integer}]}", "true") == ["must match at least one of the 'anyOf' schemas"])
        #expect(try violations("{allOf: [{minimum: 1}, {maximum: 2}]}", "3") == ["must be <= 2"])
        #expect(try violations("{oneOf: [{type: integer}, {minimum: 0}]}", "1") == ["must match exactly one of the 'oneOf' schemas (matches 2)"])
        #expect(try violations("{not: {type: string}}", "x") == ["must not match the 'not' schema"])
        #expect(try violations("{if: {properties: {prod: {const: true}}}, then: {required: [owner]}}", "{prod: true}") == ["the key 'owner' is required"])
    }

    @Test("$ref to definitions and $defs, and a missing reference")
    func refs() throws {
        #expect(try violations("{definitions: {n: {type: integer}}, properties: {a: {$ref: '#/definitions/n'}}}", "{a: x}") == ["a: must be an integer, found a string"])
        #expect(try violations("{$defs: {n: {type: integer}}, items: {$ref: '#/$defs/n'}}", "[1, x]") == ["1: must be an integer, found a string"])
        #expect(try violations("{$ref: '#/$defs/missing'}", "1") == ["schema reference '#/$defs/missing' not found in the schema"])
    }

    @Test("unknown keywords are reported, annotations are not")
    func unknownKeywords() throws {
        let schema = try YAMLParser.parse("{title: t, format: uri, properties: {a: {frobnicate: 1, description: d}}, dependentSchemas: {}}").value
        #expect(JSONSchemaValidator(schema: schema).unknownKeywords == ["#/properties/a: 'frobnicate'", "#: 'dependentSchemas'"].sorted())
    }
}

/// YAML functions evaluated in the kernel.
@Suite("YAML functions")
struct YAMLFunctionTests {
    @Test("arguments split like a shell, without expansion")
    func split() throws {
        #expect(try YAMLFunctionEvaluator.split("sh -c 'echo $HOME' \"a b\" c\\ d", "!exec") == ["sh", "-c", "echo $HOME", "a b", "c d"])
        #expect(throws: (any Error).self) { try YAMLFunctionEvaluator.split("echo 'open", "!exec") }
    }

    @Test("output that is JSON becomes data; other output is trimmed text")
    func decode() {
        #expect(YAMLFunctionEvaluator.decodeOutput("42\n") == .int(42))
        #expect(YAMLFunctionEvaluator.decodeOutput("{\"a\": [1]}\n") == .map(["a": .list([.int(1)])]))
        #expect(YAMLFunctionEvaluator.decodeOutput("hello world\n\n") == .string("hello world"))
        #expect(YAMLFunctionEvaluator.decodeOutput("  indented\n") == .string("  indented"))
    }

    @Test("a function string is recognised only for the tags the parser keeps")
    func recognise() {
        #expect(YAMLFunctionEvaluator.function(in: "!env HOME") == "!env")
        #expect(YAMLFunctionEvaluator.function(in: "!store.get a b") == "!store.get")
        #expect(YAMLFunctionEvaluator.function(in: "!important") == nil)
        #expect(YAMLFunctionEvaluator.function(in: "plain") == nil)
    }
}

/// The `.tfvars` attribute parser behind `!include` of variables files.
@Suite("tfvars parser")
struct TFVarsParserTests {
    @Test("attributes: strings, numbers, bools, null, lists, maps, heredocs, comments")
    func attributes() throws {
        let text = """
        # comment
        name    = "vpc" // trailing comment
        count   = 3
        ratio   = 0.5
        enabled = true
        nothing = null
        /* block
           comment */
        zones   = ["a", "b",
                   "c"]
        tags = {
          Team          = "net"
          "cost-center" = "42"
          nested: { on = false }
        }
        script = <<-EOT
            line one
              line two
            EOT
        escaped = "tab\\tquote\\" ${var.x}"
        """
        let v = try TFVarsParser.parse(text)
        #expect(v["name"] == .string("vpc"))
        #expect(v["count"] == .int(3))
        #expect(v["ratio"] == .double(0.5))
        #expect(v["enabled"] == .bool(true))
        #expect(v["nothing"] == .null)
        #expect(v["zones"] == .list([.string("a"), .string("b"), .string("c")]))
        #expect(v["tags"]?["cost-center"] == .string("42"))
        #expect(v["tags"]?["nested"]?["on"] == .bool(false))
        #expect(v["script"] == .string("line one\n  line two\n"))
        #expect(v["escaped"] == .string("tab\tquote\" ${var.x}"))
    }

    @Test("expressions, blocks and broken syntax are errors with line and column", arguments: [
        ("a = var.x\n", "1:5: 'var.x' is an expression; kit reads literal values only (strings, numbers, bools, null, lists, maps)"),
        ("a = 1\nb = upper(\"x\")\n", "2:5: 'upper' is an expression; kit reads literal values only (strings, numbers, bools, null, lists, maps)"),
        ("provider \"aws\" {}\n", "1:1: block 'provider' is not supported — a variables file holds attributes ('name = value') only"),
        ("a = \"open\n", "1:5: unclosed string"),
        ("a = 1\na = 2\n", "2:1: attribute 'a' is set twice"),
    ])
    func errors(_ text: String, _ expected: String) {
        #expect(throws: (any Error).self) { try TFVarsParser.parse(text) }
        do { _ = try TFVarsParser.parse(text) } catch { #expect("\(error)" == expected) }
    }
}
