import KitPluginSDK
import Testing
@testable import KitAzure

@Suite("azure guardrails")
struct AzurePolicyTests {
    // MARK: azure.naming

    @Test("naming rules", arguments: [
        ("storage account", "stcontoso01", true), ("storage account", "st", false), ("storage account", "StContoso", false),
        ("storage account", "st-contoso", false), ("storage account", String(repeating: "a", count: 24), true),
        ("storage account", String(repeating: "a", count: 25), false),
        ("key vault", "kv-Contoso-01", true), ("key vault", "kv_contoso", false), ("key vault", String(repeating: "k", count: 25), false),
        ("container registry", "acrContoso", true), ("container registry", "acr1", false), ("container registry", "acr-contoso", false),
    ])
    func namingRules(what: String, name: String, accepted: Bool) throws {
        let rule = try #require(AzureNamingPolicy.rules.first { $0.what == what })
        #expect(rule.accepts(name) == accepted)
    }

    @Test("naming config: valid names pass, invalid ones fail on their var")
    func namingConfig() throws {
        #expect(try Azure.validate(try Azure.prodComponent()).of("azure.naming").isEmpty)
        let bad = try Azure.prodComponent().setting(["vars", "storage_account_name"], to: .string("stContosoProd"))
            .setting(["vars", "key_vault_name"], to: .string("kv"))
            .setting(["vars", "container_registry_name"], to: .string("acr_contoso"))
        let findings = try Azure.validate(bad).of("azure.naming")
        #expect(findings.map(\.path) == ["vars.storage_account_name", "vars.key_vault_name", "vars.container_registry_name"])
        #expect(findings[0].message == "storage account name 'stContosoProd' must be 3–24 lowercase letters and digits (it has 13 characters)")
    }

    @Test("naming plan: the violations plan has a bad storage account, key vault and registry name")
    func namingPlan() throws {
        #expect(try Azure.review("azure-platform-compliant").of("azure.naming").isEmpty)
        #expect(try Azure.review("azure-platform-violations").of("azure.naming").map(\.path) == [
            "azurerm_storage_account.data", "azurerm_key_vault.platform", "azurerm_container_registry.platform",
        ])
    }

    // MARK: azure.location

    @Test("location config: region names and display names pass, typos fail with a suggestion")
    func locationConfig() throws {
        let display = try Azure.prodComponent().setting(["vars", "location"], to: .string("West Europe"))
        #expect(try Azure.validate(display).of("azure.location").isEmpty)
        let typo = try Azure.prodComponent().setting(["vars", "location"], to: .string("westeurpe"))
        let finding = try #require(try Azure.validate(typo).of("azure.location").first)
        #expect(finding.message == "location 'westeurpe' is not a public azure region")
        #expect(finding.hint == "did you mean 'westeurope'?")
        let aws = try Azure.prodComponent().setting(["vars", "location"], to: .string("us-east-1"))
        #expect(try Azure.validate(aws).of("azure.location").first?.hint?.hasPrefix("use a region name") == true)
    }

    @Test("location plan: every resource with a bad location is reported")
    func locationPlan() throws {
        #expect(try Azure.review("azure-platform-compliant").of("azure.location").isEmpty)
        let findings = try Azure.review("azure-platform-violations").of("azure.location")
        #expect(findings.count == 7)
        #expect(!findings.contains { $0.path == "azurerm_role_assignment.aks_acr_pull" })
    }

    // MARK: azure.tags.required

    @Test("tags config: vars.tags must hold the keys; required_tags configures them")
    func tagsConfig() throws {
        let missing = try Azure.prodComponent().setting(["vars", "tags", "Owner"], to: nil)
        #expect(try Azure.validate(missing).of("azure.tags.required").first?.message == "vars.tags lacks required tag keys 'Owner'")
        let relaxed = missing.setting(["settings", "kit", "azure", "required_tags"], to: .array([.string("Environment")]))
        #expect(try Azure.validate(relaxed).of("azure.tags.required").isEmpty)
    }

    @Test("tags plan: untagged resources fail, resources without a tags attribute are skipped")
    func tagsPlan() throws {
        #expect(try Azure.review("azure-platform-compliant").of("azure.tags.required").isEmpty)
        let findings = try Azure.review("azure-platform-violations").of("azure.tags.required")
        #expect(findings.count == 7)
        #expect(findings.allSatisfy { $0.message.hasSuffix("lacks required tag keys 'Environment', 'CostCenter'") })
    }

    // MARK: azure.storage.tls

    @Test("tls config: TLS1_2 passes, TLS1_0 and http fail")
    func tlsConfig() throws {
        #expect(try Azure.validate(try Azure.prodComponent()).of("azure.storage.tls").isEmpty)
        let weak = try Azure.prodComponent().setting(["vars", "min_tls_version"], to: .string("TLS1_0"))
            .setting(["vars", "enable_https_traffic_only"], to: .bool(false))
        #expect(try Azure.validate(weak).of("azure.storage.tls").map(\.path) == ["vars.min_tls_version", "vars.enable_https_traffic_only"])
    }

    @Test("tls plan: a TLS1_0 http account fails; an update lowering tls fails in any stage")
    func tlsPlan() throws {
        #expect(try Azure.review("azure-platform-compliant").of("azure.storage.tls").isEmpty)
        #expect(try Azure.review("azure-platform-violations").of("azure.storage.tls").map(\.message) == [
            "'azurerm_storage_account.data': min_tls_version is 'TLS1_0'",
            "'azurerm_storage_account.data': https_traffic_only_enabled is 'false', plain http is accepted",
        ])
        let dev = try Azure.prodComponent().setting(["vars", "stage"], to: .string("dev"))
            .setting(["vars", "tags", "Environment"], to: .string("dev"))
        let update = try Azure.review(dev, plan: try PluginFixtures.plan("azure-storage-update"))
        #expect(update.map(\.policy) == ["azure.storage.tls"])
    }

    // MARK: azure.private-access

    @Test("private access config: public access in prod fails, outside prod passes")
    func privateAccessConfig() throws {
        let open = try Azure.prodComponent().setting(["vars", "public_network_access_enabled"], to: .bool(true))
        #expect(try Azure.validate(open).of("azure.private-access").map(\.path) == ["vars.public_network_access_enabled"])
        let dev = open.setting(["vars", "stage"], to: .string("dev"))
        #expect(try Azure.validate(dev).of("azure.private-access").isEmpty)
    }

    @Test("private access plan: the five data services with public access fail in prod")
    func privateAccessPlan() throws {
        #expect(try Azure.review("azure-platform-compliant").of("azure.private-access").isEmpty)
        #expect(try Set(Azure.review("azure-platform-violations").of("azure.private-access").compactMap(\.path)) == [
            "azurerm_storage_account.data", "azurerm_key_vault.platform", "azurerm_container_registry.platform",
            "azurerm_postgresql_flexible_server.orders", "azurerm_redis_cache.sessions",
        ])
        // the dev storage account in the update plan is public, which is fine outside prod
        let dev = try Azure.prodComponent().setting(["vars", "stage"], to: .string("dev"))
        #expect(try Azure.review(dev, plan: try PluginFixtures.plan("azure-storage-update")).of("azure.private-access").isEmpty)
    }

    // MARK: azure.aks.private-cluster

    @Test("aks config: private_cluster_enabled false fails in prod only")
    func aksConfig() throws {
        let open = try Azure.prodComponent().setting(["vars", "private_cluster_enabled"], to: .bool(false))
        #expect(try Azure.validate(open).of("azure.aks.private-cluster").first?.message == "vars.private_cluster_enabled is 'false' in production")
        #expect(try Azure.validate(open.setting(["vars", "stage"], to: .string("staging"))).of("azure.aks.private-cluster").isEmpty)
    }

    @Test("aks plan: a public api server fails in prod")
    func aksPlan() throws {
        #expect(try Azure.review("azure-platform-compliant").of("azure.aks.private-cluster").isEmpty)
        #expect(try Azure.review("azure-platform-violations").of("azure.aks.private-cluster").map(\.path) == ["azurerm_kubernetes_cluster.main"])
    }

    // MARK: azure.postgres.backups

    @Test("postgres config: geo-redundant 35-day backups pass, less fails in prod")
    func postgresConfig() throws {
        #expect(try Azure.validate(try Azure.prodComponent()).of("azure.postgres.backups").isEmpty)
        let short = try Azure.prodComponent().setting(["vars", "backup_retention_days"], to: .int(14))
            .setting(["vars", "geo_redundant_backup_enabled"], to: .bool(false))
        #expect(try Azure.validate(short).of("azure.postgres.backups").map(\.message) == [
            "vars.geo_redundant_backup_enabled is 'false' in production",
            "vars.backup_retention_days is '14' in production, below 35",
        ])
    }

    @Test("postgres plan: 7-day local backups fail in prod")
    func postgresPlan() throws {
        #expect(try Azure.review("azure-platform-compliant").of("azure.postgres.backups").isEmpty)
        #expect(try Azure.review("azure-platform-violations").of("azure.postgres.backups").count == 2)
        let dev = try Azure.prodComponent().setting(["vars", "stage"], to: .string("dev"))
        #expect(try Azure.review(dev, plan: try PluginFixtures.plan("azure-platform-violations")).of("azure.postgres.backups").isEmpty)
    }
}
