import KitModel
import KitStacks
import KitTerraform

extension StackCatalog {
    /// The dependency graph of every component in every stack. A stack or component that fails to
    /// resolve is an error (the estate could not be ordered safely without it).
    public func dependencyGraph() throws -> DependencyGraph {
        let survey = survey()
        if !survey.warnings.isEmpty { throw EstateError.brokenStacks(survey.warnings) }
        let pattern = config.namePattern
        return try DependencyGraph.build(survey.components, stackName: pattern.isEmpty ? nil : { vars in
            try? StackNaming.fromPattern(pattern, vars: vars, file: "", component: "")
        })
    }
}
