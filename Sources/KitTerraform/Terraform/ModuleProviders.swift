import KitModel
import KitStacks
/// The providers a root module references, read from its `*.tf` files without a full HCL parser:
/// `provider "x"` blocks, `resource "x_…"` / `data "x_…"` types, and names inside `required_providers`.
public enum ModuleProviders {
    public static func scan(_ dir: String, fileSystem: FileSystem) -> Set<String> {
        var found: Set<String> = []
        for name in fileSystem.walk(dir) where !name.contains("/") && name.hasSuffix(".tf") {
            guard let bytes = try? fileSystem.read(dir + "/" + name) else { continue }
            var inRequired = false
            var depth = 0
            for raw in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
                let line = String(raw).trimmingSpaces()
                if line.hasPrefix("#") || line.hasPrefix("//") { continue }
                for keyword in ["provider", "resource", "data"] where line.hasPrefix(keyword + " \"") {
                    let rest = line.dropFirst(keyword.count + 2)
                    let type = rest.prefix { $0 != "\"" }
                    let provider = keyword == "provider" ? String(type) : String(type.prefix { $0 != "_" })
                    if !provider.isEmpty && provider != "terraform" { found.insert(provider) }
                }
                if line.hasPrefix("required_providers") { inRequired = true; depth = 0 }
                if inRequired {
                    if depth == 1, let eq = line.firstIndex(of: "=") {
                        let key = String(line[..<eq]).trimmingSpaces()
                        if !key.isEmpty && !key.contains(" ") { found.insert(key) }
                    }
                    depth += line.filter { $0 == "{" }.count - line.filter { $0 == "}" }.count
                    if depth <= 0 && line.contains("}") { inRequired = false }
                }
            }
        }
        return found
    }
}
