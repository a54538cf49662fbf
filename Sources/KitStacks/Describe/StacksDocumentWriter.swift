import KitModel
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

    /// One component's document given as entries in key order (`ComponentDocument.entries`),
    /// serialised for its place in the output: the same bytes as `fragment(.map(...))`.
    /// `mask` (JSON only) hides secrets as it writes (`JSONWriter.KeyMask`).
    public static func fragment(entries: [(key: String, value: Value)], json: Bool, mask: JSONWriter.KeyMask? = nil) -> [UInt8] {
        precondition(json || mask == nil, "a key mask is for JSON output")
        guard json else { return fragment(.map(Dictionary(uniqueKeysWithValues: entries.lazy.map { ($0.key, $0.value) })), json: false) }
        var out: [UInt8] = []
        JSONWriter.write(entries: entries, into: &out, indent: componentIndent, pretty: true, mask: mask, reuseStrings: true)
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
        var stream = Stream(json: json)
        for item in items { stream.add(stack: item.stack, type: item.type, component: item.component, fragment: item.fragment, sink: sink) }
        stream.finish(sink: sink)
    }

    /// The document written one component at a time, in output order (stack name, component type,
    /// component), so that no caller has to hold every component's document.
    public struct Stream {
        let json: Bool
        var out: [UInt8] = []
        var currentStack: String?
        var currentType: String?
        var lastComponent: String?
        /// True once a component has been written.
        public var started: Bool { currentStack != nil }

        /// An empty document, JSON or YAML.
        public init(json: Bool) {
            self.json = json
            out.reserveCapacity(1 << 20)
        }

        /// Adds one component; a component already written for this stack and type is skipped (the first
        /// is kept, as in a map). Full megabytes go to `sink`.
        public mutating func add(stack: String, type: String, component: String, fragment: [UInt8], sink: ([UInt8]) -> Void) {
            if stack != currentStack {
                if json {
                    if currentStack != nil { out.append(contentsOf: "\n      }\n    }\n  },".utf8) } else { out.append(UInt8(ascii: "{")) }
                    out.append(contentsOf: "\n  ".utf8)
                    JSONWriter.writeString(stack, into: &out)
                    out.append(contentsOf: ": {\n    \"components\": {".utf8)
                } else {
                    out.append(contentsOf: YAMLWriter.scalar(.string(stack)).utf8)
                    out.append(contentsOf: ":\n  components:\n".utf8)
                }
                currentStack = stack
                currentType = nil
                lastComponent = nil
            } else if type == currentType && component == lastComponent {
                return
            }
            if type != currentType {
                if json {
                    if currentType != nil { out.append(contentsOf: "\n      },".utf8) }
                    out.append(contentsOf: "\n      ".utf8)
                    JSONWriter.writeString(type, into: &out)
                    out.append(contentsOf: ": {".utf8)
                } else {
                    out.append(contentsOf: "    ".utf8)
                    out.append(contentsOf: YAMLWriter.scalar(.string(type)).utf8)
                    out.append(contentsOf: ":\n".utf8)
                }
                currentType = type
                lastComponent = nil
            }
            if json {
                if lastComponent != nil { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: "\n        ".utf8)
                JSONWriter.writeString(component, into: &out)
                out.append(contentsOf: ": ".utf8)
            } else {
                out.append(contentsOf: "      ".utf8)
                out.append(contentsOf: YAMLWriter.scalar(.string(component)).utf8)
                out.append(UInt8(ascii: ":"))
            }
            out.append(contentsOf: fragment)
            lastComponent = component
            if out.count >= 1 << 20 { sink(out); out.removeAll(keepingCapacity: true) }
        }

        /// Closes the document (`{}` when nothing was added) and sends the rest to `sink`.
        public mutating func finish(sink: ([UInt8]) -> Void) {
            if !started {
                out.append(contentsOf: "{}\n".utf8)
            } else if json {
                out.append(contentsOf: "\n      }\n    }\n  }\n}\n".utf8)
            }
            sink(out)
            out.removeAll()
        }
    }
}
