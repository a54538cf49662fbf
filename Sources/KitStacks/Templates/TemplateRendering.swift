import KitModel
/// Renders Go-template text with a `Value` as data. The kernel uses it for `.tmpl` manifests, imports
/// with `context`, import paths, `name_template` and the component template pass.
public protocol TemplateRendering: Sendable {
    /// Renders `text`; `ignoreMissing` renders a missing key as `<no value>` instead of failing.
    /// Errors carry the line and column inside `text`.
    func render(_ text: String, name: String, data: Value, ignoreMissing: Bool) throws -> String
    /// Renders `text` with `extras` (the component pass: Gomplate datasources, keys atmos leaves out, `atmos.Component`).
    func render(_ text: String, name: String, data: Value, ignoreMissing: Bool, extras: TemplateRenderExtras) throws -> String
}

extension TemplateRendering {
    /// Renderers without datasources or `atmos.Component` ignore the extras.
    public func render(_ text: String, name: String, data: Value, ignoreMissing: Bool, extras: TemplateRenderExtras) throws -> String {
        try render(text, name: name, data: data, ignoreMissing: ignoreMissing)
    }
}

/// What one render may use besides its data.
public struct TemplateRenderExtras: Sendable {
    /// The Gomplate datasources in force (atmos.yaml's, overridden by the component's settings).
    public var datasources: [String: DatasourceDefinition]
    /// Top-level keys the data lacks on purpose and how each renders (`TemplateOptions.absentKeys`).
    public var absentKeys: [String: TemplateOptions.AbsentKey]
    /// What `atmos.Component` reads (nil: the function is an error, as outside component templates).
    public var components: (any TemplateComponentLookup)?

    /// Extras for one render.
    public init(datasources: [String: DatasourceDefinition] = [:], absentKeys: [String: TemplateOptions.AbsentKey] = [:],
                components: (any TemplateComponentLookup)? = nil) {
        self.datasources = datasources
        self.absentKeys = absentKeys
        self.components = components
    }
}

/// True when `s` contains a template action (`{{`).
@inline(__always) package func containsTemplateAction(_ s: String) -> Bool {
    var prev: UInt8 = 0
    for b in s.utf8 {
        if b == UInt8(ascii: "{") && prev == UInt8(ascii: "{") { return true }
        prev = b
    }
    return false
}
