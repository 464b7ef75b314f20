import Foundation
import RampartJSON
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
        // Each place is looked at only when the ones before it hold no tag (this runs for every resource with a
        // violation): outputs, then inputs.
        func places(_ props: PropertyValue?) -> TagExemption? {
            guard let props, props.kind == .object else { return nil }
            return declared(inPlacesOf: props)
        }
        return places(resource.outputs) ?? places(resource.inputs)
    }

    /// The exemption declared in a plain object's `tags`, `labels`, or `metadata`'s `annotations` or `labels`, in
    /// that order. The three members are found in one pass over the object's members (the last of duplicates, as a
    /// lookup finds them), and a value is made only for those looked into.
    private static func declared(inPlacesOf object: PropertyValue) -> TagExemption? {
        var found: TagExemption?
        let dialect = object.dialect
        object.node.readWithTreeView { view in
            var tags = -1, labels = -1, metadata = -1
            var key = view.firstChild(of: view.root)
            let end = view.after(view.root)
            while key < end {
                let value = key &+ 1
                switch place(of: key, in: view) {
                case 1: tags = value
                case 2: labels = value
                case 3: metadata = value
                default: break
                }
                key = view.after(value)
            }
            func value(_ position: Int) -> PropertyValue? {
                position < 0 ? nil : PropertyValue(node: view.node(position), dialect: dialect)
            }
            found = declared(in: value(tags)) ?? declared(in: value(labels))
            if found == nil, let metadata = value(metadata) {
                found = declared(in: metadata["annotations"]) ?? declared(in: metadata["labels"])
            }
        }
        return found
    }

    /// 1 for `tags`, 2 for `labels`, 3 for `metadata`, 0 for any other key (read decoded when written with escapes).
    private static func place(of key: Int, in view: JSONTreeView) -> Int {
        view.withStringUTF8(key) { place($0) } ?? 0
    }

    /// The place a key's bytes name: told by their length, then compared.
    private static func place(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let name: StaticString, place: Int
        switch bytes.count {
        case 4: (name, place) = ("tags", 1)
        case 6: (name, place) = ("labels", 2)
        case 8: (name, place) = ("metadata", 3)
        default: return 0
        }
        return memcmp(bytes.baseAddress!, name.utf8Start, bytes.count) == 0 ? place : 0
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

