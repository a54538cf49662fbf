/// Writes the `describe stacks` document (`{stack: {components: {terraform: {component: doc}}}}`)
/// from component documents already serialised at the right depth, so the whole tree is never built.
public enum StacksDocumentWriter {
    /// The depth (in spaces) at which a component's document is serialised.
    public static let componentIndent = 8

    /// One component's document, serialised for its place in the output.
    public static func fragment(_ doc: Value, json: Bool) -> [UInt8] {
        var out: [UInt8] = []
        if json {
            JSONWriter.write(doc, into: &out, indent: componentIndent, pretty: true)
        } else {
            YAMLWriter.writeNested(doc, indent: componentIndent - 2, into: &out)
        }
        return out
    }

    /// The whole document. `items` must be sorted by stack name then component; when one stack name
    /// holds the same component twice (several manifests), the first one is kept, as in a map.
    public static func write(_ items: [(stack: String, component: String, fragment: [UInt8])], json: Bool) -> [UInt8] {
        var all: [UInt8] = []
        write(items.map { (stack: $0.stack, type: "terraform", component: $0.component, fragment: $0.fragment) }, json: json) {
            all.append(contentsOf: $0)
        }
        return all
    }

    /// Streams the document to `sink` in chunks of about a megabyte. `items` are sorted by stack name,
    /// component type (`helmfile`, `packer`, `terraform`), then component.
    public static func write(_ items: [(stack: String, type: String, component: String, fragment: [UInt8])], json: Bool,
                             sink: ([UInt8]) -> Void) {
        var out: [UInt8] = []
        out.reserveCapacity(1 << 20)
        defer { sink(out) }
        if items.isEmpty { out.append(contentsOf: "{}\n".utf8); return }
        var currentStack: String?
        var currentType: String?
        var lastComponent: String?
        if json { out.append(UInt8(ascii: "{")) }
        for item in items {
            if item.stack != currentStack {
                if json {
                    if currentStack != nil { out.append(contentsOf: "\n      }\n    }\n  },".utf8) }
                    out.append(contentsOf: "\n  ".utf8)
                    JSONWriter.writeString(item.stack, into: &out)
                    out.append(contentsOf: ": {\n    \"components\": {".utf8)
                } else {
                    out.append(contentsOf: YAMLWriter.scalar(.string(item.stack)).utf8)
                    out.append(contentsOf: ":\n  components:\n".utf8)
                }
                currentStack = item.stack
                currentType = nil
                lastComponent = nil
            } else if item.type == currentType && item.component == lastComponent {
                continue
            }
            if item.type != currentType {
                if json {
                    if currentType != nil { out.append(contentsOf: "\n      },".utf8) }
                    out.append(contentsOf: "\n      ".utf8)
                    JSONWriter.writeString(item.type, into: &out)
                    out.append(contentsOf: ": {".utf8)
                } else {
                    out.append(contentsOf: "    ".utf8)
                    out.append(contentsOf: YAMLWriter.scalar(.string(item.type)).utf8)
                    out.append(contentsOf: ":\n".utf8)
                }
                currentType = item.type
                lastComponent = nil
            }
            if json {
                if lastComponent != nil { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: "\n        ".utf8)
                JSONWriter.writeString(item.component, into: &out)
                out.append(contentsOf: ": ".utf8)
            } else {
                out.append(contentsOf: "      ".utf8)
                out.append(contentsOf: YAMLWriter.scalar(.string(item.component)).utf8)
                out.append(UInt8(ascii: ":"))
            }
            out.append(contentsOf: item.fragment)
            lastComponent = item.component
            if out.count >= 1 << 20 { sink(out); out.removeAll(keepingCapacity: true) }
        }
        if json { out.append(contentsOf: "\n      }\n    }\n  }\n}\n".utf8) }
    }
}
