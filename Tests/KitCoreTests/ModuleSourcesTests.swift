import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

/// Issue 18 regression: `describe affected` finds local modules through a real HCL tokenizer, so
/// blocks written on one line count and commented-out blocks, nested `source` attributes, heredocs and
/// expressions do not.
@Suite("module sources")
struct ModuleSourcesTests {
    @Test("a module block on one line, and the usual multi-line form")
    func oneLineAndMultiLine() {
        let text = """
            module "tags" { source = "../../modules/tags" }
            module "label" {
              source  = "../label"
              version = "1.0"
            }
            """
        #expect(ModuleSources.scan(text) == ["../../modules/tags", "../label"])
    }

    @Test("commented-out blocks (#, //, /* */) are not sources")
    func comments() {
        let text = """
            # module "old" { source = "../old" }
            // module "older" { source = "../older" }
            /* module "oldest" {
              source = "../oldest"
            } */
            module "kept" { source = "../kept" } # source = "../not-this"
            """
        #expect(ModuleSources.scan(text) == ["../kept"])
    }

    @Test("source outside a module block, in a nested block, in a heredoc or as an expression is not a module source")
    func notModuleSources() {
        let text = #"""
            locals { source = "../locals-value" }
            resource "x" "y" {
              source = "../resource-attribute"
            }
            module "m" {
              source = "../m"
              settings {
                source = "../nested"
              }
              description = <<EOT
            module "fake" { source = "../in-heredoc" }
            EOT
            }
            module "computed" {
              source = "../a" + var.suffix
            }
            module "quoted" { source = "../with \"quote\"" }
            """#
        #expect(ModuleSources.scan(text) == ["../m", #"../with "quote""#])
    }
}
