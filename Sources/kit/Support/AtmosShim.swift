import Foundation
import KitCore

/// A private folder holding `atmos` → the running kit, put first on PATH for the shell steps of custom
/// commands and workflows when no `atmos` is installed: their steps call `atmos terraform plan …`, and
/// with kit in atmos's place that means kit. The folder is 0700 (mkdtemp) and removed when the command ends.
struct AtmosShim {
    let directory: String

    /// nil when `atmos` is on PATH already (the installed one keeps its meaning) or the folder cannot be made.
    static func make(environment: [String: String], kitExecutable: String) -> AtmosShim? {
        if (try? SystemProcessRunner.resolve("atmos", env: environment)) != nil { return nil }
        let base = (environment["TMPDIR"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? "/tmp") + "/kit-atmos-XXXXXX"
        var template = Array(base.utf8CString)
        guard let made = mkdtemp(&template) else { return nil }
        let directory = String(cString: made)
        guard symlink(kitExecutable, directory + "/atmos") == 0 else {
            rmdir(directory)
            return nil
        }
        return AtmosShim(directory: directory)
    }

    /// `environment` with the shim's folder first on PATH.
    func environment(_ environment: [String: String]) -> [String: String] {
        var env = environment
        env["PATH"] = directory + (environment["PATH"].map { ":" + $0 } ?? "")
        return env
    }

    func remove() {
        unlink(directory + "/atmos")
        rmdir(directory)
    }
}
