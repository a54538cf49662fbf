import ArgumentParser

/// Every top-level subcommand, in help order.
enum KitCommands {
    static let all: [ParsableCommand.Type] = [
        DescribeCommand.self, ListCommand.self, ValidateCommand.self, TerraformCommand.self,
        RunsCommand.self, StateCommand.self, VendorCommand.self, WorkflowCommand.self, PluginCommand.self, DebugCommand.self, VersionCommand.self,
    ]
}

/// Subcommands of `kit validate` beyond `stacks` (component guardrails live with the plugin commands).
enum ValidateCommandExtras {
    static let subcommands: [ParsableCommand.Type] = [ValidateComponentCommand.self]
}
