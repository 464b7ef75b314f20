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
        for props in [resource.outputs, resource.inputs].compactMap({ $0 }) {
            for container in [props["tags"], props["labels"], props["metadata"]?["annotations"], props["metadata"]?["labels"]] {
                guard let container, let list = PropertyLookup(container[key]).string else { continue }
                let policies = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                let reason = PropertyLookup(container[reasonKey]).string.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
                return TagExemption(policies: policies, reason: reason)
            }
        }
        return nil
    }

    func covers(pack: String, policy: String) -> Bool {
        policies.contains { $0 == policy || $0 == "\(pack)/\(policy)" }
    }
}

