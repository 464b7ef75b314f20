import RampartModel
import RampartPolicy

/// One statement of an IAM-style policy document (identity, resource or trust policy).
struct PolicyStatement {
    var allow: Bool
    var actions: [String]
    var notActions: Bool
    var resources: [String]
    /// The principal is anyone: `"*"`, `{"AWS": "*"}` or a list containing `"*"`.
    var anyPrincipal: Bool
    var condition: PropertyLookup

    var hasCondition: Bool { condition.count ?? 0 > 0 }

    /// `Allow` of every action on every resource: what AdministratorAccess grants.
    var isFullAdmin: Bool {
        allow && !notActions && actions.contains { $0 == "*" || $0 == "*:*" } && resources.contains("*")
    }

    /// A `Deny` of requests not made over TLS (`"aws:SecureTransport": "false"` under `Bool`).
    var deniesInsecureTransport: Bool {
        guard !allow else { return false }
        let value = condition["Bool"]["aws:SecureTransport"]
        return (value.strings + (value.bool.map { [$0 ? "true" : "false"] } ?? [])).contains { $0.lowercased() == "false" }
    }
}

/// Reads policy documents: JSON text (classic provider, as in state) or an object (aws-native, some inputs).
enum PolicyDocument {
    /// The statements of `document`; nil when absent or empty. Throws indeterminate when not known, and
    /// notApplicable-free: text that is not JSON is treated as no document (the provider would have rejected it).
    static func statements(_ document: PropertyLookup, _ path: String) throws(PolicyControl) -> [PolicyStatement]? {
        let known = try document.require(path)
        var root = known
        if let text = known.string {
            guard !text.isEmpty, let parsed = try? PropertyValue.parse(json: text) else { return nil }
            root = PropertyLookup(parsed)
        }
        guard root.value != nil else { return nil }
        let raw = try root["Statement"].require("\(path).Statement")
        let list = raw.value?.kind == .array ? raw.elements : (raw.isAbsent ? [] : [raw])
        return list.map { statement in
            let principal = statement["Principal"]
            let anyone = principal.string == "*" || principal.strings.contains("*")
                || principal["AWS"].strings.contains("*")
            let notActions = !statement["NotAction"].isAbsent
            return PolicyStatement(allow: statement["Effect"].string?.lowercased() != "deny",
                                   actions: notActions ? statement["NotAction"].strings : statement["Action"].strings,
                                   notActions: notActions, resources: statement["Resource"].strings,
                                   anyPrincipal: anyone, condition: statement["Condition"])
        }
    }
}
