import Testing
@testable import KitModel
@testable import KitStacks

/// `TerraformModule`: a root module read as terraform-config-inspect reads it (issue 21,
/// `component_info.terraform_config`) — literals read, expressions never evaluated (a warning says
/// so), structural mistakes errors, override files last, `.tf.json` too.
@Suite("terraform module reader")
struct TerraformModuleTests {
    static func read(_ files: [(String, String)]) -> TerraformModule {
        TerraformModule.read(path: "/m", files: TerraformModule.configurationFiles(files.map(\.0)).map { name in
            (name, files.first { $0.0 == name }!.1)
        })
    }

    @Test("literal defaults of every kind; types as written; required, sensitive and described variables")
    func variables() {
        let m = Self.read([("variables.tf", #"""
            variable "a" { type = string }
            variable "b" {
              type    = "list"
              default = ["x", 2, -1.5, true, null]
            }
            variable "c" {
              type = object({
                k = string # the key
              })
              default = { k = "v", "quoted key" = 1e3 }
            }
            variable "d" {
              description = <<-EOT
                Two
                lines
              EOT
              default = "tab\tand \u00e9 and $${literal}"
              sensitive = true
            }
            /* variable "commented" {} */
            """#)])
        #expect(m.diagnostics.isEmpty)
        #expect(Set(m.variables.keys) == ["a", "b", "c", "d"])
        #expect(m.variables["a"]?.required == true && m.variables["a"]?.defaultValue == .null && m.variables["a"]?.type == "string")
        #expect(m.variables["b"]?.type == "list")
        #expect(m.variables["b"]?.defaultValue == .list([.string("x"), .int(2), .double(-1.5), .bool(true), .null]))
        #expect(m.variables["c"]?.type == "object({\n    k = string # the key\n  })")
        #expect(m.variables["c"]?.defaultValue == .map(["k": .string("v"), "quoted key": .int(1000)]))
        #expect(m.variables["d"]?.description == "Two\nlines\n")
        #expect(m.variables["d"]?.defaultValue == .string("tab\tand é and ${literal}"))
        #expect(m.variables["d"]?.sensitive == true && m.variables["d"]?.required == false)
        #expect(m.variables["d"]?.position == .init(filename: "/m/variables.tf", line: 12))
        #expect(m.sensitiveVariableNames == ["d"])
    }

    @Test("a default kit does not evaluate is null with a warning naming it, never a made-up value")
    func expressionsAreNotEvaluated() {
        let m = Self.read([("main.tf", """
            variable "seconds" { default = 60 * 60 }
            variable "name" { default = "${var.prefix}-x" }
            variable "ok" { default = 1 }
            """)])
        #expect(m.variables["seconds"]?.defaultValue == .null && m.variables["seconds"]?.required == false)
        #expect(m.variables["name"]?.defaultValue == .null)
        #expect(m.variables["ok"]?.defaultValue == .int(1))
        #expect(m.diagnostics.map(\.severity) == [.warning, .warning])
        #expect(m.diagnostics.first?.detail == "kit reads literal values only: the default of variable \"seconds\" is an expression, shown as null.")
        #expect(m.diagnostics.first?.position == .init(filename: "/m/main.tf", line: 1))
        #expect(!m.hasErrors)
    }

    @Test("terraform, provider, resource, data and module blocks; providers implied by resources")
    func blocks() {
        let m = Self.read([("main.tf", """
            terraform {
              required_version = ">= 1.5"
              required_providers {
                aws = { source = "hashicorp/aws", version = "~> 5.0", configuration_aliases = [aws.east] }
                legacy = "1.2.3"
              }
            }
            terraform {
              required_providers {
                aws = {
                  version = "< 6"
                }
              }
            }
            provider "aws" { region = "eu-west-1" }
            provider "aws" {
              alias = "east"
            }
            resource "aws_s3_bucket" "b" { provider = aws.east }
            resource "google_storage_bucket" "g" {}
            data "http" "page" { provider = "http.other" }
            module "net" {
              source  = "../net"
              version = "1.0"
            }
            """)])
        #expect(m.diagnostics.isEmpty)
        #expect(m.requiredCore == [">= 1.5"])
        #expect(m.requiredProviders["aws"] == .init(source: "hashicorp/aws", versionConstraints: ["~> 5.0", "< 6"],
                                                    configurationAliases: [.init(name: "aws", alias: "east")]))
        #expect(m.requiredProviders["legacy"] == .init(versionConstraints: ["1.2.3"]))
        #expect(m.requiredProviders["google"] == .init())
        #expect(m.requiredProviders["http"] == .init())
        #expect(m.providerConfigs == ["aws": .init(name: "aws"), "aws.east": .init(name: "aws", alias: "east")])
        #expect(m.managedResources["aws_s3_bucket.b"]?.provider == .init(name: "aws", alias: "east"))
        #expect(m.managedResources["google_storage_bucket.g"]?.provider == .init(name: "google"))
        #expect(m.dataResources["data.http.page"]?.provider == .init(name: "http", alias: "other"))
        #expect(m.dataResources["data.http.page"]?.position.line == 21)
        #expect(m.moduleCalls["net"] == .init(name: "net", source: "../net", version: "1.0", position: .init(filename: "/m/main.tf", line: 22)))
    }

    @Test("files by name, override files last: an override block replaces the variable, a module keeps its source")
    func overrideFiles() {
        #expect(TerraformModule.configurationFiles(["z.tf", "override.tf", "a_override.tf", "b.tf.json", ".hidden.tf", "x.tf~", "README.md", "a.tf"])
                == ["a.tf", "b.tf.json", "z.tf", "a_override.tf", "override.tf"])
        let m = Self.read([
            ("main.tf", """
                variable "token" {
                  type      = string
                  sensitive = true
                }
                module "m" { source = "../m" }
                """),
            ("override.tf", """
                variable "token" { default = "x" }
                module "m" { version = "2.0" }
                """),
        ])
        #expect(m.variables["token"]?.position.filename == "/m/override.tf")
        #expect(m.variables["token"]?.sensitive == false)
        #expect(m.variables["token"]?.type == "")
        // Terraform merges the override; masking keeps what any block declared.
        #expect(m.sensitiveVariableNames == ["token"])
        #expect(m.moduleCalls["m"]?.source == "../m" && m.moduleCalls["m"]?.version == "2.0")
    }

    @Test("structural mistakes are errors with their line; the rest of the file is still read")
    func syntaxErrors() {
        let unclosed = Self.read([("main.tf", "variable \"a\" {\n  type = string\n\nvariable \"b\" {}\n")])
        #expect(unclosed.hasErrors)
        #expect(unclosed.diagnostics.first?.position?.line == 1)
        #expect(unclosed.diagnostics.first?.detail == "unclosed block")
        let string = Self.read([("main.tf", "variable \"a\" {}\nvariable \"b\" { default = \"open }\n")])
        #expect(string.hasErrors && string.variables["a"] != nil)
        #expect(string.diagnostics.first { $0.severity == .error }?.position?.line == 2)
        let stray = Self.read([("main.tf", "variable \"a\" {}\n}\n")])
        #expect(stray.diagnostics.map(\.detail) == ["unexpected '}'"])
        let labels = Self.read([("main.tf", "resource \"only_type\" {}\n")])
        #expect(labels.diagnostics.map(\.summary) == ["Missing name for resource"])
    }

    @Test(".tf.json: blocks as nested objects, repeated blocks as arrays, the line of the block's last label")
    func json() {
        let m = Self.read([("main.tf.json", """
            {
              "//": "generated",
              "variable": {
                "size": {"type": "number", "default": 3, "description": "How many"},
                "secret": {"sensitive": true}
              },
              "output": {"out": {"value": "x", "sensitive": true}},
              "provider": {"aws": [{"region": "a"}, {"alias": "b", "region": "b"}]},
              "terraform": {"required_version": "~> 1.6", "required_providers": {"aws": {"source": "hashicorp/aws", "version": "5.1"}}},
              "resource": {"aws_vpc": {"main": {"provider": "aws.b"}}},
              "module": {"net": {"source": "./net"}}
            }
            """)])
        #expect(m.diagnostics.isEmpty)
        #expect(m.variables["size"] == .init(name: "size", type: "number", description: "How many", defaultValue: .int(3),
                                             position: .init(filename: "/m/main.tf.json", line: 4)))
        #expect(m.variables["secret"]?.required == true && m.sensitiveVariableNames == ["secret"])
        #expect(m.outputs["out"]?.sensitive == true)
        #expect(m.providerConfigs.keys.sorted() == ["aws", "aws.b"])
        #expect(m.requiredCore == ["~> 1.6"])
        #expect(m.requiredProviders["aws"] == .init(source: "hashicorp/aws", versionConstraints: ["5.1"]))
        #expect(m.managedResources["aws_vpc.main"]?.provider == .init(name: "aws", alias: "b"))
        #expect(m.moduleCalls["net"]?.source == "./net")
    }

    @Test("JSON and YAML print the module as atmos's two encoders print tfconfig.Module")
    func encodings() {
        let m = Self.read([("main.tf", "variable \"v\" {}\nresource \"null_resource\" \"r\" {}\n")])
        guard case .map(let json) = TerraformConfigDocument.value(m, .json), case .map(let yaml) = TerraformConfigDocument.value(m, .yaml) else {
            Issue.record("not a map")
            return
        }
        #expect(json.keys.sorted() == ["data_resources", "managed_resources", "module_calls", "outputs", "path", "required_providers", "variables"])
        #expect(yaml.keys.sorted() == ["dataresources", "diagnostics", "managedresources", "modulecalls", "outputs", "path",
                                       "providerconfigs", "requiredcore", "requiredproviders", "variables"])
        #expect(json["variables"]?.value(at: ["v"]) == .map(["name": "v", "default": .null, "required": true,
                                                              "pos": .map(["filename": "/m/main.tf", "line": 1])]))
        #expect(yaml["variables"]?.value(at: ["v", "sensitive"]) == .bool(false))
        #expect(json["managed_resources"]?.value(at: ["null_resource.r", "mode"]) == "managed")
        #expect(yaml["managedresources"]?.value(at: ["null_resource.r", "mode"]) == .int(77))
        #expect(json["required_providers"] == .map(["null": .emptyMap]))
        #expect(yaml["requiredproviders"]?.value(at: ["null"]) == .map(["source": "", "versionconstraints": .list([]), "configurationaliases": .list([])]))
        #expect(yaml["diagnostics"] == .list([]) && yaml["requiredcore"] == .list([]))
    }
}
