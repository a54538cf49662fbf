import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

/// Gomplate datasources as atmos (Gomplate v3) reads them, local files only, through the injected
/// file system.
@Suite struct TemplateDatasourceTests {
    /// Files held in memory; records what was read.
    struct MemoryFiles: FileSystem {
        let files: [String: String]
        func read(_ path: String) throws -> [UInt8] {
            guard let text = files[path] else { throw FileReadFailure.notRegularFile(path: path, kind: "missing") }
            return Array(text.utf8)
        }
        func exists(_ path: String) -> Bool { files[path] != nil }
        func isDirectory(_ path: String) -> Bool { false }
        func walk(_ root: String) -> [String] { [] }
    }

    static let files = MemoryFiles(files: [
        "/repo/config/net.json": #"{"cidr": "10.0.0.0/16", "zones": ["a", "b"]}"#,
        "/repo/config/owners.yml": "team: platform\n",
        "/repo/config/zones.csv": "region,zone\nus-east-2,\"us-east-2a, b\"\n",
        "/repo/config/list": #"[1, 2]"#,
        "/srv/motd.txt": "hello\n",
    ])

    func render(_ template: String, _ defs: [String: String], gomplate: Bool = true) throws -> String {
        var options = TemplateOptions()
        options.gomplate = gomplate
        options.datasources = TemplateDatasources(
            fileSystem: Self.files, workingDirectory: "/repo",
            definitions: defs.reduce(into: [:]) { $0[$1.key] = DatasourceDefinition(alias: $1.key, url: $1.value, definedIn: "atmos.yaml") })
        return try GoTemplate(template, gomplate: gomplate).render(.map([:]), options: options)
    }

    @Test("types come from the extension or ?type=, paths from the working directory or file:///", arguments: [
        (#"{{ (datasource "n").cidr }}"#, ["n": "./config/net.json"], "10.0.0.0/16"),
        (#"{{ index (ds "n").zones 1 }}"#, ["n": "config/net.json"], "b"),
        (#"{{ (ds "o").team }}"#, ["o": "config/owners.yml"], "platform"),
        (#"{{ index (index (ds "z") 1) 1 }}"#, ["z": "config/zones.csv"], "us-east-2a, b"),
        (#"{{ index (ds "l") 0 }}"#, ["l": "config/list?type=application/json"], "1"),
        (#"{{ ds "m" }}"#, ["m": "file:///srv/motd.txt"], "hello\n"),
        (#"{{ datasourceExists "m" }} {{ datasourceExists "x" }}"#, ["m": "/srv/motd.txt"], "true false"),
    ])
    func reads(_ template: String, _ defs: [String: String], _ expected: String) throws {
        #expect(try render(template, defs) == expected)
    }

    @Test("remote and unsupported datasources are errors that say kit reads only local ones", arguments: [
        ("https://api.ipify.org?format=json", "not 'https:'"),
        ("s3://bucket/key.json", "not 's3:'"),
        ("vault:///secret/x", "not 'vault:'"),
        ("aws+smp:///param", "not 'aws+smp:'"),
        ("env:///HOME", "not 'env:'"),
        ("-", "not stdin"),
        ("file:config/net.json", "a file URL must be absolute"),
        ("config/net.toml", "not 'application/toml'"),
        ("config/", "directory datasources"),
    ])
    func refused(_ url: String, _ fragment: String) throws {
        let error = caught { _ = try render(#"{{ ds "r" }}"#, ["r": url]) }
        let message = error.map { "\($0)" } ?? "no error"
        #expect(message.contains("datasource 'r' is "), "\(message)")
        #expect(message.contains(fragment), "\(message)")
    }

    @Test func anUndefinedDatasourceNamesTheDefinedOnes() {
        let message = caught { _ = try render(#"{{ ds "nope" }}"#, ["n": "config/net.json"]) }.map { "\($0)" } ?? ""
        #expect(message.contains("undefined datasource 'nope' (defined: 'n')"), "\(message)")
    }

    @Test func aMissingFileIsAnErrorNamingThePath() {
        let message = caught { _ = try render(#"{{ ds "n" }}"#, ["n": "config/gone.json"]) }.map { "\($0)" } ?? ""
        #expect(message.contains("cannot read '/repo/config/gone.json'"), "\(message)")
    }

    @Test func datasourceIsAGomplateFunction() {
        let message = caught { _ = try GoTemplate(#"{{ ds "n" }}"#, gomplate: false) }.map { "\($0)" } ?? ""
        #expect(message.contains("function 'ds' is not supported"), "\(message)")
    }

    @Test func csvFollowsGoEncodingCSV() throws {
        #expect(try CSVReader.rows("a,b\n\"x \"\"y\"\"\",\"1\n2\"\n", alias: "c") == [["a", "b"], ["x \"y\"", "1\n2"]])
        #expect(caught { _ = try CSVReader.rows("a,b\nc\n", alias: "c") } != nil)
    }
}

/// `TemplateOptions.absentKeys`: keys the data lacks on purpose.
@Suite struct TemplateAbsentKeyTests {
    @Test func anAbsentTopLevelKeyRendersNoValueOrItsErrorOthersStillFail() throws {
        var options = TemplateOptions()
        options.absentKeys = ["spacelift_stack": .noValue, "atlantis_project": .error("no project template")]
        let data: Value = ["vars": ["items": [["x": 1]]]]
        #expect(try GoTemplate("{{ .spacelift_stack }}|{{ $.spacelift_stack }}").render(data, options: options) == "<no value>|<no value>")
        let failure = caught { _ = try GoTemplate("{{ .atlantis_project }}").render(data, options: options) }
        #expect("\(failure.map { "\($0)" } ?? "")".contains("no project template"))
        // Only the top-level data: a map inside a range still fails on a missing key.
        #expect(caught { _ = try GoTemplate("{{ range .vars.items }}{{ .spacelift_stack }}{{ end }}").render(data, options: options) } != nil)
        #expect(caught { _ = try GoTemplate("{{ .other }}").render(data, options: options) } != nil)
    }
}
