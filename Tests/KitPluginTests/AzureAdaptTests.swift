import KitPluginSDK
import Testing
@testable import KitAzure

@Suite("azure plugin: describe, backend, environment, provider override, settings")
struct AzureAdaptTests {
    @Test("describe names the plugin, its backend type, provider and policies")
    func describe() {
        let description = AzurePlugin().describe()
        #expect(description.name == "azure")
        #expect(description.backendTypes == ["azurerm"])
        #expect(description.providers == ["azurerm"])
        #expect(description.policies.map(\.id) == [
            "azure.backend.azurerm", "azure.naming", "azure.location", "azure.tags.required", "azure.storage.tls",
            "azure.private-access", "azure.aks.private-cluster", "azure.postgres.backups",
        ])
    }

    @Test("backend: azure ad auth and oidc from settings, other keys pass through, no resource group needed")
    func backendWithAzureAD() throws {
        let component = try Azure.prodComponent().setting(["backend", "snapshot"], to: .bool(true))
        let response = try Azure.adapt(component)
        #expect(response.backend == .object([
            "container_name": .string("tfstate"),
            "key": .string("platform.terraform.tfstate"),
            "storage_account_name": .string("stcontosotfstateprod"),
            "snapshot": .bool(true),
            "use_azuread_auth": .bool(true),
            "use_oidc": .bool(true),
        ]))
        #expect(response.findings.isEmpty)
    }

    @Test("backend: a given use_azuread_auth wins over settings, and then resource_group_name is required")
    func backendNeedsResourceGroupWithoutAzureAD() throws {
        let component = try Azure.prodComponent().setting(["backend", "use_azuread_auth"], to: .bool(false))
        let response = try Azure.adapt(component)
        #expect(response.backend?["use_azuread_auth"] == .bool(false))
        let finding = try #require(response.findings.of("azure.backend.azurerm").first)
        #expect(finding.message == "the azurerm backend has no 'resource_group_name'")
        #expect(finding.hint?.contains("terraform.backend.azurerm.resource_group_name") == true)
        let withGroup = component.setting(["backend", "resource_group_name"], to: .string("rg-tfstate"))
        #expect(try Azure.validate(withGroup).of("azure.backend.azurerm").isEmpty)
    }

    @Test("backend: each always-required key is reported when missing",
          arguments: ["storage_account_name", "container_name", "key"])
    func backendMissingKey(key: String) throws {
        let component = try Azure.prodComponent().setting(["backend", key], to: nil)
        let findings = try Azure.validate(component).of("azure.backend.azurerm")
        #expect(findings.map(\.path) == ["backend.\(key)"])
        #expect(findings.first?.hint == "set terraform.backend.azurerm.\(key) in the stack (globally or on the component)")
    }

    @Test("env: ARM_* from settings, ARM_USE_OIDC only with use_oidc, component env wins")
    func environment() throws {
        let response = try Azure.adapt(try Azure.prodComponent())
        #expect(response.env == [
            EnvVar(name: "ARM_CLIENT_ID", value: "11111111-2222-3333-4444-555555555555"),
            EnvVar(name: "ARM_SUBSCRIPTION_ID", value: "00000000-0000-0000-0000-000000000000"),
            EnvVar(name: "ARM_TENANT_ID", value: "99999999-8888-7777-6666-555555555555"),
            EnvVar(name: "ARM_USE_OIDC", value: "true"),
        ])
        let noOIDC = try Azure.prodComponent().setting(["settings", "kit", "azure", "use_oidc"], to: .bool(false))
            .setting(["env", "ARM_TENANT_ID"], to: .string("given"))
        #expect(try Azure.adapt(noOIDC).env.map(\.name) == ["ARM_CLIENT_ID", "ARM_SUBSCRIPTION_ID"])
    }

    @Test("provider override: features and subscription id; only when azurerm is used")
    func providerOverride() throws {
        #expect(try Azure.adapt(try Azure.prodComponent()).providersOverride == .object([
            "azurerm": .object(["features": .object([:]), "subscription_id": .string("00000000-0000-0000-0000-000000000000")]),
        ]))
        let local = try Azure.prodComponent().setting(["backend_type"], to: .string("local")).setting(["backend"], to: .object([:]))
        #expect(try Azure.adapt(local).providersOverride == nil)
        #expect(try Azure.adapt(local).backend == nil)
        let requested = local.setting(["settings", "kit", "providers"], to: .array([.string("azure")]))
        #expect(try Azure.adapt(requested).providersOverride?["azurerm"]?["features"] == .object([:]))
    }

    @Test("severity settings: downgrade, off, unknown azure ids")
    func severitySettings() throws {
        let badName = try Azure.prodComponent().setting(["vars", "storage_account_name"], to: .string("St_Bad"))
        #expect(try Azure.validate(badName).of("azure.naming").map(\.severity) == [.error])
        let warned = badName.setting(["settings", "kit", "policies", "azure.naming"], to: .string("warning"))
        #expect(try Azure.validate(warned).of("azure.naming").map(\.severity) == [.warning])
        let off = badName.setting(["settings", "kit", "policies", "azure.naming"], to: .string("off"))
        #expect(try Azure.validate(off).isEmpty)
        let unknown = try Azure.prodComponent().setting(["settings", "kit", "policies", "azure.nameing"], to: .string("error"))
            .setting(["settings", "kit", "policies", "aws.tags.required"], to: .string("off"))
        let warning = try #require(try Azure.validate(unknown).of("kit.settings").first)
        #expect(try Azure.validate(unknown).count == 1)
        #expect(warning.message == "unknown policy 'azure.nameing' in settings.kit.policies")
        #expect(warning.hint?.contains("'azure.naming'") == true)
    }

    @Test("the compliant component and plan produce no findings")
    func compliantIsClean() throws {
        #expect(try Azure.validate(try Azure.prodComponent()).isEmpty)
        #expect(try Azure.review("azure-platform-compliant").isEmpty)
        #expect(try Azure.review("azure-unknown-values").isEmpty)
    }
}
