import KitPluginSDK

/// `azure.location`: locations are public Azure regions (`AzureRegions`).
///
/// Names compare without case and spaces, so `westeurope` and `West Europe` both pass.
/// Plan: `location` of every created or updated resource that has one. Configuration: `vars.location`.
struct AzureLocationPolicy: AzurePolicy {
    let info = AzurePolicyCatalog.location

    private func problem(_ location: String) -> String? {
        AzureRegions.isKnown(location) ? nil : "location '\(location)' is not a public azure region"
    }

    private func hint(_ location: String) -> String {
        if let suggestion = AzureRegions.suggestion(for: location) { return "did you mean '\(suggestion)'?" }
        return "use a region name such as 'westeurope' or 'eastus2' (az account list-locations -o table)"
    }

    func checkConfiguration(_ component: AzureComponent) -> [Finding] {
        guard let location = component.vars["location"]?.stringValue, let problem = problem(location) else { return [] }
        return [info.azureFinding(problem, path: "vars.location", hint: hint(location))]
    }

    func checkPlan(_ changes: [PlanResourceChange], component: AzureComponent) -> [Finding] {
        changes.compactMap { change in
            guard change.createsOrUpdates, let location = change.attribute("location").value?.stringValue,
                  let problem = problem(location) else { return nil }
            return info.azureFinding("'\(change.address)': \(problem)", path: change.address, hint: hint(location))
        }
    }
}
