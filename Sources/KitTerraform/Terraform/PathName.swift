import KitModel
import KitStacks
/// Stack and component names as one segment of a file name, injectively: `%` becomes `%25` and `/`
/// becomes `%2F`, so `net/a` → `net%2Fa` and `net-a` → `net-a` never meet (the old rule, `/` → `-`,
/// mapped both to `net-a`). A name without `/` or `%` is spelled as it is; a name that is exactly `.`
/// or `..` becomes `%2E` / `%2E%2E` so it can never name a parent folder.
public enum PathName {
    public static func encode(_ name: String) -> String {
        if name == "." { return "%2E" }
        if name == ".." { return "%2E%2E" }
        guard name.contains("%") || name.contains("/") else { return name }
        var out = ""
        for ch in name {
            switch ch {
            case "%": out += "%25"
            case "/": out += "%2F"
            default: out.append(ch)
            }
        }
        return out
    }
}
