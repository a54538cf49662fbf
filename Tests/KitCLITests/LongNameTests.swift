import Foundation
import Testing

/// Issue 20 §8: a stack name longer than a file name may be is one clear error naming the stack and
/// component, before anything is written — not the system's "file name too long".
@Suite("names too long for a file")
struct LongNameTests {
    @Test("a 300-character stack name: plan, --dry-run and generate varfile refuse it with one located message", arguments: [
        ["terraform", "plan", "base"], ["terraform", "plan", "base", "--dry-run"], ["terraform", "generate", "varfile", "base"],
    ])
    func longStackName(_ command: [String]) throws {
        let g = try GitFixture()
        let stage = String(repeating: "s", count: 300)
        try g.write("kit.yaml", """
            base_path: "."
            components:
              terraform:
                base_path: components/terraform
            stacks:
              base_path: stacks
              included_paths: ["*.yaml"]
              name_pattern: "{stage}"

            """)
        try g.write("stacks/dev.yaml", "vars:\n  stage: \(stage)\nterraform:\n  backend_type: local\ncomponents:\n  terraform:\n    base:\n      vars: {}\n")
        try g.write("components/terraform/base/main.tf", "variable \"stage\" {}\n")
        let run = try g.kit(command + ["-s", stage])
        #expect(run.exitCode == 1, "\(run.stderr)")
        #expect(run.stderr.contains("component 'base'"), "\(run.stderr)")
        #expect(run.stderr.contains("over the file system's limit of 255"), "\(run.stderr)")
        #expect(run.stderr.contains("shorten the stack name"), "\(run.stderr)")
        #expect(!run.stderr.contains("file name too long"), "\(run.stderr)")
        #expect(run.stderr.count < 600, "the message echoes the whole name:\n\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: g.root.appendingPathComponent(".kit/terraform").path))
    }
}

/// Issue 20 §2: the varfile/planfile stem `<stack>-<component>` is atmos's and not injective (stack
/// `a-b` + component `c` and stack `a` + component `b-c` share it): the second pair is refused with
/// both named, before terraform runs.
@Suite("shared varfile names")
struct SharedFileNameTests {
    @Test("stack a-b component c, then stack a component b-c on one folder: the second is refused naming both")
    func secondPairRefused() throws {
        let g = try GitFixture()
        try g.write("kit.yaml", """
            base_path: "."
            components:
              terraform:
                base_path: components/terraform
            stacks:
              base_path: stacks
              included_paths: ["*.yaml"]
              name_pattern: "{stage}"

            """)
        try g.write("stacks/one.yaml", "vars:\n  stage: a-b\nterraform:\n  backend_type: local\ncomponents:\n  terraform:\n    c:\n      metadata:\n        component: mod\n")
        try g.write("stacks/two.yaml", "vars:\n  stage: a\nterraform:\n  backend_type: local\ncomponents:\n  terraform:\n    b-c:\n      metadata:\n        component: mod\n")
        try g.write("components/terraform/mod/main.tf", "variable \"stage\" {}\n")
        let first = try g.kit(["terraform", "plan", "c", "-s", "a-b"])
        #expect(first.exitCode == 0, "\(first.stderr)")
        let again = try g.kit(["terraform", "plan", "c", "-s", "a-b"])
        #expect(again.exitCode == 0, "the claiming pair itself is refused: \(again.stderr)")
        let second = try g.kit(["terraform", "plan", "b-c", "-s", "a"])
        #expect(second.exitCode == 1, "\(second.stderr)")
        #expect(second.stderr.contains("component 'b-c' in stack 'a' would write 'components/terraform/mod/a-b-c.terraform.tfvars.json', the varfile of component 'c' in stack 'a-b'"), "\(second.stderr)")
        // Every command that writes that varfile: an estate run and generate varfile are refused alike.
        let estate = try g.kit(["terraform", "plan", "--all", "-s", "a"])
        #expect(estate.exitCode == 1, "\(estate.stdout)\(estate.stderr)")
        #expect((estate.stdout + estate.stderr).contains("the varfile of component 'c' in stack 'a-b'"), "\(estate.stdout)\(estate.stderr)")
        let generate = try g.kit(["terraform", "generate", "varfile", "b-c", "-s", "a"])
        #expect(generate.exitCode == 1, "\(generate.stderr)")
        #expect(generate.stderr.contains("the varfile of component 'c' in stack 'a-b'"), "\(generate.stderr)")
    }
}
