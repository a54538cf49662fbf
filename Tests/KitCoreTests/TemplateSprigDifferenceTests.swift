import Foundation
import Testing
@testable import KitCore
@testable import KitModel
@testable import KitStacks
@testable import KitTerraform

/// Where kit's templates differ from Go + Sprig on purpose (docs/atmos-compatibility.md, "Template
/// functions"); everything else is compared with Go itself by TemplateOracleTests.
@Suite struct TemplateSprigDifferenceTests {
    private func render(_ text: String) throws -> String {
        try GoTemplate(text).render(.emptyMap, options: .init(timeZone: TimeZone(identifier: "UTC")!))
    }

    @Test func toDateRefusesTextItCannotParseInsteadOfGivingTheZeroTime() throws {
        #expect(try render(#"{{ toDate "2006-01-02" "2024-02-29" | htmlDate }}"#) == "2024-02-29")
        do {
            _ = try render(#"{{ toDate "2006-01-02" "29/02/2024" }}"#)
            Issue.record("toDate of unparsable text rendered")
        } catch let error as TemplateError {
            #expect(error.line == 1 && error.column == 4)
            #expect(error.message.contains("toDate") && error.message.contains("kit refuses"))
        }
    }

    @Test("key, certificate, cipher and DNS functions are located parse errors naming the function",
          arguments: ["genPrivateKey \"rsa\"", "genCA \"x\" 1", "bcrypt \"x\"", "htpasswd \"u\" \"p\"", "derivePassword 1 \"long\" \"p\" \"u\" \"s\"",
                      "encryptAES \"k\" \"t\"", "decryptAES \"k\" \"t\"", "getHostByName \"example.com\"", "genSelfSignedCert \"x\" nil nil 1"])
    func unsupportedFunctionsAreLocatedErrors(call: String) throws {
        do {
            _ = try GoTemplate("a\n  {{ " + call + " }}")
            Issue.record("\(call) parsed")
        } catch let error as TemplateError {
            let name = String(call.prefix { $0 != " " })
            #expect(error.line == 2 && error.column == 6)
            #expect(error.message.hasPrefix("function '\(name)' is not supported by kit's template engine: "))
        }
    }

    @Test func rangeOverAnIntegerFollowsGo122AsAtmosIsBuilt() throws {
        #expect(try render("{{ range 3 }}{{ . }}{{ end }}") == "012")
    }

    @Test func functionResultsKeepTheirGoTypes() throws {
        #expect(try render("{{ add 1 2 | typeOf }} {{ splitList \",\" \"a\" | typeOf }} {{ printf \"%T\" (until 2) }}") == "int64 []string []int")
        #expect(try render("{{ deepEqual (add 1 2) 3 }} {{ deepEqual (add 1 2) (int64 3) }}") == "false true")
    }

    @Test func methodsWithArgumentsAreLocatedErrorsWhileZeroArgumentOnesWork() throws {
        #expect(try render(#"{{ (toDate "2006-01-02" "2024-07-04").Year }} {{ (semver "1.2.3").Minor }} {{ gt now.Unix 0 }}"#) == "2024 2 true")
        #expect(throws: TemplateError(line: 1, column: 4, message: "can't give argument to non-function (…).Format")) {
            try render(#"{{ (now).Format "2006" }}"#)
        }
    }

    @Test func zoneAbbreviationsComeFromTheTZifFiles() throws {
        let options = TemplateOptions(timeZone: TimeZone(identifier: "Europe/Berlin")!)
        #expect(try GoTemplate(#"{{ date "MST" 1700000000 }} {{ date "MST" 1690000000 }}"#).render(.emptyMap, options: options) == "CET CEST")
    }
}
