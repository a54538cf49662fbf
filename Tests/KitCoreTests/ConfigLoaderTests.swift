import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

/// Config discovery, defaults and environment overrides (reference §1).
@Suite struct ConfigLoaderTests {
    @Test("kit.yaml is preferred over atmos.yaml in the same directory")
    func kitYAMLPreferred() throws {
        let repo = try FixtureRepo([
            "kit.yaml": "stacks: {base_path: kit-stacks, included_paths: ['*']}\n",
            "atmos.yaml": "stacks: {base_path: atmos-stacks, included_paths: ['*']}\n",
        ], kitYAML: nil)
        let config = try repo.config()
        #expect(config.configFile == repo.root + "/kit.yaml")
        #expect(config.stacksBasePath == repo.root + "/kit-stacks")
    }

    @Test("the nearest kit.yaml/atmos.yaml of the working directory or its parents is used")
    func discoveryWalksUp() throws {
        let repo = try FixtureRepo([
            "atmos.yaml": "base_path: .\nstacks: {base_path: stacks, included_paths: ['orgs/**/*']}\n",
            "components/terraform/vpc/main.tf": "",
        ], kitYAML: nil)
        let config = try repo.config(directory: "components/terraform/vpc")
        #expect(config.configFile == repo.root + "/atmos.yaml")
        #expect(config.basePath == repo.root)
        #expect(config.stacksBasePath == repo.root + "/stacks")
    }

    @Test("§1.3: an atmos.yaml without a key gets Go zero values; kit.yaml and no file get the built-in defaults")
    func defaultsDependOnFile() throws {
        let atmos = try FixtureRepo(["atmos.yaml": "base_path: .\nstacks: {base_path: stacks, included_paths: ['orgs/**/*']}\n"], kitYAML: nil).config()
        #expect(atmos.terraform.autoGenerateBackendFile == false)
        #expect(atmos.terraform.initRunReconfigure == false)
        #expect(atmos.terraform.deployRunInit == false)
        #expect(atmos.templatesEnabled == false)
        #expect(atmos.excludedPaths == [])
        #expect(atmos.namePattern == "")
        #expect(atmos.inheritMetadata == true)
        #expect(atmos.listMergeStrategy == .replace)
        #expect(atmos.terraform.command == "terraform")
        // Issue 9: keys left at atmos's code defaults are not warned about (was 3 warnings).
        #expect(atmos.warnings.isEmpty)

        let kit = try FixtureRepo(["kit.yaml": "base_path: .\n"], kitYAML: nil).config()
        #expect(kit.stacksBasePath.hasSuffix("/stacks"))
        #expect(kit.includedPaths == ["orgs/**/*"])
        #expect(kit.excludedPaths == ["**/_defaults.yaml"])
        #expect(kit.terraform.basePath.hasSuffix("/components/terraform"))
        #expect(kit.terraform.autoGenerateBackendFile && kit.terraform.initRunReconfigure && kit.terraform.deployRunInit)
        #expect(kit.terraform.applyAutoApprove == false)
        #expect(kit.templatesEnabled)
        #expect(kit.warnings.isEmpty)

        let none = try FixtureRepo([:], kitYAML: nil)
        let builtIn = try none.config()
        #expect(builtIn.configFile == nil)
        #expect(builtIn.basePath == none.root)
        #expect(builtIn.stacksBasePath == none.root + "/stacks")
        #expect(builtIn.includedPaths == ["orgs/**/*"])
        #expect(builtIn.terraform.autoGenerateBackendFile)
    }

    @Test("§1.3: atmos.yaml without stacks.base_path or included_paths is an error", arguments: [
        ("base_path: .\nstacks: {included_paths: ['*']}\n", "stacks.base_path"),
        ("base_path: .\nstacks: {base_path: stacks}\n", "stacks.included_paths"),
    ])
    func atmosRequiredKeys(_ text: String, _ key: String) throws {
        let repo = try FixtureRepo(["atmos.yaml": text], kitYAML: nil)
        let error = caught { _ = try repo.config() }
        #expect(error as? ConfigError == .missing(key: key, file: repo.root + "/atmos.yaml"))
    }

    @Test("ATMOS_* environment variables override the file")
    func environmentOverrides() throws {
        let repo = try FixtureRepo([:])
        let config = try repo.config(environment: [
            "ATMOS_STACKS_BASE_PATH": "other-stacks",
            "ATMOS_STACKS_INCLUDED_PATHS": "a/**/*, b/*",
            "ATMOS_STACKS_NAME_PATTERN": "{tenant}-{stage}",
            "ATMOS_COMPONENTS_TERRAFORM_COMMAND": "tofu",
            "ATMOS_COMPONENTS_TERRAFORM_AUTO_GENERATE_BACKEND_FILE": "false",
            "ATMOS_SETTINGS_LIST_MERGE_STRATEGY": "append",
        ])
        #expect(config.stacksBasePath == repo.root + "/other-stacks")
        #expect(config.includedPaths == ["a/**/*", "b/*"])
        #expect(config.namePattern == "{tenant}-{stage}")
        #expect(config.terraform.command == "tofu")
        #expect(config.terraform.autoGenerateBackendFile == false)
        #expect(config.listMergeStrategy == .append)
    }

    @Test("a relative ATMOS_BASE_PATH is relative to the working directory; base_path in the file to the file")
    func basePathResolution() throws {
        let repo = try FixtureRepo(["sub/kit.yaml": "base_path: ..\n", "kit.yaml": "base_path: ."], kitYAML: nil)
        #expect(try repo.config(directory: "sub").basePath == repo.root)
        #expect(try repo.config(environment: ["ATMOS_BASE_PATH": "sub"]).basePath == repo.root + "/sub")
    }

    @Test("ATMOS_CLI_CONFIG_PATH names the directory of the config to use")
    func cliConfigPath() throws {
        let repo = try FixtureRepo(["conf/atmos.yaml": "base_path: /srv/x\nstacks: {base_path: s, included_paths: ['*']}\n"])
        let config = try repo.config(environment: ["ATMOS_CLI_CONFIG_PATH": "conf"])
        #expect(config.configFile == repo.root + "/conf/atmos.yaml")
        #expect(config.basePath == "/srv/x")
        #expect(config.stacksBasePath == "/srv/x/s")
    }

    @Test("a boolean that is not a boolean is an error naming the key", arguments: [
        ([String: String](), "components: {terraform: {deploy_run_init: maybe}}", "components.terraform.deploy_run_init"),
        (["ATMOS_COMPONENTS_TERRAFORM_DEPLOY_RUN_INIT": "maybe"], "", "ATMOS_COMPONENTS_TERRAFORM_DEPLOY_RUN_INIT"),
    ])
    func invalidBoolean(_ env: [String: String], _ extra: String, _ key: String) throws {
        let repo = try FixtureRepo([:], kitYAML: FixtureRepo.kitYAML(extra: extra))
        let error = caught { _ = try repo.config(environment: env) }
        guard case .invalidValue(let k, let v, _, _)? = error as? ConfigError else {
            Issue.record("expected invalidValue, got \(String(describing: error))"); return
        }
        #expect(k == key)
        #expect(v == "maybe")
    }

    @Test("an invalid list_merge_strategy is an error")
    func invalidStrategy() throws {
        let repo = try FixtureRepo([:], kitYAML: FixtureRepo.kitYAML(extra: "settings: {list_merge_strategy: zip}"))
        let error = caught { _ = try repo.config() }
        #expect(error as? StackError == .invalidMergeStrategy(SourceLocation(file: repo.root + "/kit.yaml"), value: "zip"))
    }
}
