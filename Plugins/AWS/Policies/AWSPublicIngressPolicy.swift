import KitPluginSDK

/// `aws.sg.public-ingress`: no security group ingress open to the internet (`0.0.0.0/0` or `::/0`).
///
/// Default severity warning; error when `settings.kit.aws.enforce_public_ingress` is true (a
/// `settings.kit.policies` entry wins over both).
/// Plan: `ingress[*].cidr_blocks`/`ipv6_cidr_blocks` of `aws_security_group`; `cidr_blocks`/
/// `ipv6_cidr_blocks` of `aws_security_group_rule` with `type = "ingress"`; `cidr_ipv4`/`cidr_ipv6` of
/// `aws_vpc_security_group_ingress_rule` — created or updated resources only.
/// Configuration: `vars.allowed_cidr_blocks`, `vars.ingress_cidr_blocks`, `vars.allowed_ipv6_cidr_blocks`,
/// `vars.ingress_ipv6_cidr_blocks` (lists of CIDRs), and the objects of `vars.ingress_rules` /
/// `vars.security_group_rules` (their `cidr_blocks`, `ipv6_cidr_blocks`, `cidr_ipv4`, `cidr_ipv6`;
/// rules with a `type` other than `ingress` are skipped).
struct AWSPublicIngressPolicy: AWSPolicy {
    let info = AWSPolicyCatalog.sgPublicIngress
    static let openCIDRs: Set<String> = ["0.0.0.0/0", "::/0"]
    static let listKeys = ["allowed_cidr_blocks", "ingress_cidr_blocks", "allowed_ipv6_cidr_blocks", "ingress_ipv6_cidr_blocks"]
    static let ruleListKeys = ["ingress_rules", "security_group_rules"]
    static let ruleCIDRKeys = ["cidr_blocks", "ipv6_cidr_blocks", "cidr_ipv4", "cidr_ipv6"]

    private func finding(_ component: AWSComponent, _ message: String, path: String, hint: String) -> Finding {
        var finding = info.finding(message, path: path, hint: hint)
        if component.awsSettings["enforce_public_ingress"]?.boolValue == true { finding.severity = .error }
        return finding
    }

    /// The open CIDRs in a value that is a CIDR string or a list of them.
    private static func openCIDRs(in value: JSONValue?) -> [String] {
        switch value {
        case .string(let s)?: return openCIDRs.contains(s) ? [s] : []
        case .array(let list)?: return list.compactMap(\.stringValue).filter { openCIDRs.contains($0) }
        default: return []
        }
    }

    func checkConfiguration(_ component: AWSComponent, operation: Operation?) -> [Finding] {
        let vars = component.vars
        var findings: [Finding] = []
        for key in Self.listKeys {
            let open = Self.openCIDRs(in: vars[key])
            guard !open.isEmpty else { continue }
            findings.append(finding(component, "vars.\(key) allows ingress from \(quotedList(open))",
                                    path: "vars.\(key)", hint: "list the networks that need access instead"))
        }
        for key in Self.ruleListKeys {
            for (index, rule) in (vars[key]?.arrayValue ?? []).enumerated() {
                if let type = rule["type"]?.stringValue, type != "ingress" { continue }
                let open = Self.ruleCIDRKeys.flatMap { Self.openCIDRs(in: rule[$0]) }
                guard !open.isEmpty else { continue }
                findings.append(finding(component, "vars.\(key)[\(index)] allows ingress from \(quotedList(open))",
                                        path: "vars.\(key)[\(index)]", hint: "list the networks that need access instead"))
            }
        }
        return findings
    }

    func checkPlan(_ changes: [PlanResourceChange], component: AWSComponent, operation: Operation) -> [Finding] {
        changes.compactMap { change in
            guard change.createsOrUpdates else { return nil }
            var open: [String] = []
            switch change.type {
            case "aws_security_group":
                for rule in change.attribute("ingress").value?.arrayValue ?? [] {
                    open += Self.openCIDRs(in: rule["cidr_blocks"]) + Self.openCIDRs(in: rule["ipv6_cidr_blocks"])
                }
            case "aws_security_group_rule":
                guard change.attribute("type").value?.stringValue == "ingress" else { return nil }
                open = Self.openCIDRs(in: change.attribute("cidr_blocks").value)
                    + Self.openCIDRs(in: change.attribute("ipv6_cidr_blocks").value)
            case "aws_vpc_security_group_ingress_rule":
                open = Self.openCIDRs(in: change.attribute("cidr_ipv4").value)
                    + Self.openCIDRs(in: change.attribute("cidr_ipv6").value)
            default:
                return nil
            }
            guard !open.isEmpty else { return nil }
            let unique = Array(Set(open)).sorted()
            return finding(component, "'\(change.address)' allows ingress from \(quotedList(unique))",
                           path: change.address,
                           hint: "restrict the source to known networks or a security group; set settings.kit.policies.aws.sg.public-ingress to 'off' to accept")
        }
    }
}
