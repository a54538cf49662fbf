/// Renders Go-template text with a `Value` as data. The kernel uses it for `.tmpl` manifests, imports
/// with `context`, import paths, `name_template` and the component template pass.
public protocol TemplateRendering: Sendable {
    /// Renders `text`; `ignoreMissing` renders a missing key as `<no value>` instead of failing.
    /// Errors carry the line and column inside `text`.
    func render(_ text: String, name: String, data: Value, ignoreMissing: Bool) throws -> String
    /// `render` in a component template, where `atmos.Component` reads other components through `components`.
    func render(_ text: String, name: String, data: Value, ignoreMissing: Bool,
                components: (any TemplateComponentLookup)?) throws -> String
}

extension TemplateRendering {
    /// A renderer without `atmos.Component` renders as outside component templates.
    public func render(_ text: String, name: String, data: Value, ignoreMissing: Bool,
                       components: (any TemplateComponentLookup)?) throws -> String {
        try render(text, name: name, data: data, ignoreMissing: ignoreMissing)
    }
}

/// True when `s` contains a template action (`{{`).
@inline(__always) func containsTemplateAction(_ s: String) -> Bool {
    var prev: UInt8 = 0
    for b in s.utf8 {
        if b == UInt8(ascii: "{") && prev == UInt8(ascii: "{") { return true }
        prev = b
    }
    return false
}
