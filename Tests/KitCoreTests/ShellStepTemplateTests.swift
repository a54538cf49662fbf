import Foundation
import Testing
@testable import KitCore

/// `ShellStepTemplate`: each action becomes a reference to an environment variable written for the
/// quoting around it, so `/bin/sh` prints any value exactly and runs none of it.
@Suite struct ShellStepTemplateTests {
    @Test func referencesFollowTheQuoting() throws {
        let t = try ShellStepTemplate(#"echo {{ .A }} "in {{ .B }}" 'lit {{ .C }}' \'{{ .D }}"#)
        #expect(t.text == #"echo "${KIT_COMMAND_VALUE_1}" "in ${KIT_COMMAND_VALUE_2}" 'lit '"${KIT_COMMAND_VALUE_3}"'' \'"${KIT_COMMAND_VALUE_4}""#)
        #expect(t.actions == ["{{ .A }}", "{{ .B }}", "{{ .C }}", "{{ .D }}"])
        #expect(try ShellStepTemplate("a {{- .X -}} b").text == #"a"${KIT_COMMAND_VALUE_1}"b"#)
        #expect(try ShellStepTemplate("echo {{/* note */}}done").text == "echo done")
        #expect(try ShellStepTemplate("no actions").actions.isEmpty)
    }

    @Test func controlActionsAndOpenActionsAreRefused() {
        for step in ["{{ if .X }}a{{ end }}", "{{ range .L }}x{{ end }}", "{{- with .X }}y{{ end }}", "echo {{ .X"] {
            #expect(throws: ShellStepTemplate.Failure.self, "\(step)") { try ShellStepTemplate(step) }
        }
    }

    /// The property that matters: whatever the value, the shell prints it byte for byte, in each context.
    @Test func anyValueIsPrintedExactly() throws {
        let values = ["plain", "two  spaces", "it's", "say \"hi\"", "$(id)", "`id`", "$HOME", "*", "a;b|c&d", "back\\slash", "'\"'\"", "new\nline", ""]
        let step = #"printf '%s|' {{ .V }} "{{ .V }}" '{{ .V }}'"#
        let template = try ShellStepTemplate(step)
        for value in values {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", template.text]
            p.environment = ["PATH": "/usr/bin:/bin", ShellStepTemplate.variable(0): value, ShellStepTemplate.variable(1): value, ShellStepTemplate.variable(2): value]
            let pipe = Pipe()
            p.standardOutput = pipe
            try p.run()
            let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            #expect(out == "\(value)|\(value)|\(value)|", "value \(value.debugDescription)")
        }
    }

    @Test func argumentsAndFlagsAreParsedAsDeclared() throws {
        let config = try YAMLParser.parse("""
            commands:
              - name: a
                arguments: [{name: x, required: true}, {name: y, default: "d"}]
                flags: [{name: f, shorthand: f}, {name: b, type: bool}]
                steps: ["true", {type: markdown, content: hi}, {type: spin, command: "true"}, {type: table}]
            """).value
        let commands = try CustomCommand.parse(config, file: "atmos.yaml")
        #expect(commands[0].steps == [.shell("true"), .print("hi"), .shell("true"), .unsupported(type: "table")])
        let i = try #require(try CustomCommandInvocation.parse(["a", "1", "-f", "v", "--b", "--", "t1", "t2"], commands: commands))
        #expect(i.arguments == ["x": "1", "y": "d"])
        #expect(i.flags == ["f": .string("v"), "b": .bool(true)])
        #expect(i.trailing == ["t1", "t2"])
        #expect(try CustomCommandInvocation.parse(["other"], commands: commands) == nil)
        #expect(throws: CustomCommandInvocation.UsageError.self) { try CustomCommandInvocation.parse(["a"], commands: commands) }
        #expect(throws: CustomCommandInvocation.UsageError.self) { try CustomCommandInvocation.parse(["a", "1", "-f"], commands: commands) }
        #expect(throws: CustomCommandInvocation.UsageError.self) { try CustomCommandInvocation.parse(["a", "1", "--b=maybe"], commands: commands) }
        #expect(throws: CustomCommandError.self) { try CustomCommand.parse(try YAMLParser.parse("commands: {a: 1}").value, file: "atmos.yaml") }
        #expect(throws: CustomCommandError.self) { try CustomCommand.parse(try YAMLParser.parse("commands: [{name: a}, {name: a}]").value, file: "atmos.yaml") }
    }
}
