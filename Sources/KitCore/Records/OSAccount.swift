#if canImport(Glibc)
import Glibc
#endif
import KitModel
import KitStacks
import KitTerraform

/// Who runs kit, from the operating system (`getpwuid(geteuid())`), not from `$USER`, which may be
/// unset or set to anything.
public enum OSAccount {
    /// The effective user's account name, or `uid <n>` when the account has no passwd entry.
    public static func name() -> String {
        let uid = geteuid()
        if let entry = getpwuid(uid), let name = entry.pointee.pw_name { return String(cString: name) }
        return "uid \(uid)"
    }
}
