import Foundation
import RampartModel
import RampartPolicy

/// Exemptions declared next to the resource in the Pulumi program, as a tag or label in state:
/// `rampart:exempt` = `policy[,pack/policy…]` with the required `rampart:exempt-reason`. Read from AWS/Azure `tags`,
/// GCP `labels` and Kubernetes `metadata.annotations`/`metadata.labels`, in outputs and inputs.
public struct TagExemption: Sendable, Hashable {
    public static let key = "rampart:exempt"
    public static let reasonKey = "rampart:exempt-reason"

    /// Policy names (`policy` or `pack/policy`).
    public var policies: [String]
    /// nil when the tag gives no reason: then the exemption does not apply.
    public var reason: String?

    /// The exemption a resource's tags declare, if any.
    public static func declared(by resource: Resource) -> TagExemption? {
        // Each place is looked up only when the ones before it hold no tag, without building lists of them first
        // (this runs for every resource with a violation).
        for props in [resource.outputs, resource.inputs] {
            guard let props else { continue }
            if let found = declared(in: props["tags"]) ?? declared(in: props["labels"]) { return found }
            if let metadata = props["metadata"],
               let found = declared(in: metadata["annotations"]) ?? declared(in: metadata["labels"]) {
                return found
            }
        }
        return nil
    }

    /// The exemption a map of tags, labels or annotations declares.
    private static func declared(in container: PropertyValue?) -> TagExemption? {
        guard let container, let list = PropertyLookup(container[key]).string else { return nil }
        let policies = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let reason = PropertyLookup(container[reasonKey]).string.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        return TagExemption(policies: policies, reason: reason)
    }

    func covers(pack: String, policy: String) -> Bool {
        policies.contains { $0 == policy || $0 == "\(pack)/\(policy)" }
    }
}

