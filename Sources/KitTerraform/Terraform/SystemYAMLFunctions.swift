import KitModel
import KitStacks

extension YAMLFunctionEvaluator {
    /// The evaluator kit uses: real processes, the real file system.
    public static func system(environment: [String: String], workingDirectory: String, trust: TrustPolicy = .trusted) -> YAMLFunctionEvaluator {
        var evaluator = YAMLFunctionEvaluator(environment: environment, workingDirectory: workingDirectory) { argv, cwd, env in
            let result = try SystemProcessRunner().run(argv[0], Array(argv.dropFirst()), cwd: cwd, env: env,
                                                       stdout: .capture, stderr: .inherit, nullStdin: true, keepDescriptor: nil)
            return (result.status, result.stdout)
        }
        evaluator.trust = trust
        return evaluator
    }
}
