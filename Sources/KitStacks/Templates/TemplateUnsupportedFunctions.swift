import KitModel
/// Sprig and Gomplate functions kit knows by name but does not evaluate: a template using one fails
/// at parse time naming the function, its position and why, instead of rendering something else.
extension TemplateFunction {
    static let unsupported: [String: String] = {
        var reasons: [String: String] = [:]
        let keys = "kit has no vetted implementation of this key or certificate generation; render it outside the stack"
        for name in ["genPrivateKey", "buildCustomCert", "genCA", "genCAWithKey", "genSelfSignedCert",
                     "genSelfSignedCertWithKey", "genSignedCert", "genSignedCertWithKey"] {
            reasons[name] = keys
        }
        let crypto = "kit has no vetted implementation of this cipher or password hash"
        for name in ["bcrypt", "htpasswd", "derivePassword", "encryptAES", "decryptAES"] { reasons[name] = crypto }
        reasons["getHostByName"] = "a DNS lookup while rendering makes the stack depend on the network"
        return reasons
    }()
}
