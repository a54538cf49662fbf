/// Bounds on what one manifest, and the walk of the stacks directory, may cost (kit.yaml `stacks.limits`).
///
/// With these limits every manifest is read, parsed, merged and written in bounded time and memory;
/// going past one is a single error naming the file, line and column. docs/hostile-input.md lists them.
public struct InputLimits: Sendable, Equatable {
    /// The largest manifest, `!include`d file or configuration file, in bytes (`max_manifest_bytes`).
    public var maxManifestBytes: Int
    /// The deepest nesting of maps and lists in one document, aliases and includes expanded (`max_depth`).
    public var maxDepth: Int
    /// What aliases and `!include`s may add to one document, in nodes plus scalar bytes (`max_alias_expansion`);
    /// the effective limit is the larger of this and twice the document's size.
    public var maxAliasExpansion: Int
    /// The most files and folders the walk of the stacks directory may meet (`max_files`).
    public var maxFiles: Int

    /// The defaults: 4 MiB, 256 levels, 1,000,000 expanded units, 200,000 entries.
    public static let standard = InputLimits(maxManifestBytes: 4 << 20, maxDepth: 256,
                                             maxAliasExpansion: 1_000_000, maxFiles: 200_000)
    /// The deepest `max_depth` kit accepts: deeper values could exhaust a thread's stack in the writers.
    public static let depthCeiling = 2_000

    public init(maxManifestBytes: Int, maxDepth: Int, maxAliasExpansion: Int, maxFiles: Int) {
        self.maxManifestBytes = maxManifestBytes
        self.maxDepth = maxDepth
        self.maxAliasExpansion = maxAliasExpansion
        self.maxFiles = maxFiles
    }

    /// The expansion budget of a document of `bytes` bytes.
    public func expansionBudget(documentBytes bytes: Int) -> Int {
        max(maxAliasExpansion, bytes.multipliedReportingOverflow(by: 2).partialValue)
    }
}
