import Foundation
import RampartModel
import RampartPolicy

/// One ingress permission, whatever shape declared it: an inline `ingress` entry, an `aws:ec2/securityGroupRule`,
/// an `aws:vpc/securityGroupIngressRule` (one CIDR each), or their aws-native forms.
struct IngressPermission {
    var proto: String
    var from: Int
    var to: Int
    var cidrs: [String]
    /// Where it was declared, for messages.
    var origin: String

    /// Protocols as the providers spell them (names or IANA numbers), made once rather than per check.
    static let tcp: Set<String> = ["tcp", "6"]
    static let tcpOrUDP: Set<String> = ["tcp", "6", "udp", "17"]

    var allProtocols: Bool { proto == "-1" || proto == "all" }
    /// Whether a CIDR stands for the whole internet (compared, not hashed: it runs for every CIDR of every rule).
    static func isWorld(_ cidr: String) -> Bool { cidr == "0.0.0.0/0" || cidr == "::/0" }
    var fromWorld: [String] { cidrs.filter(Self.isWorld) }

    /// Whether traffic of `protocols` (e.g. tcp) to `port` is allowed; "-1" means every protocol and port.
    func exposes(_ port: Int, protocols: Set<String> = IngressPermission.tcp) -> Bool {
        allProtocols || (protocols.contains(proto) && from <= port && port <= to)
    }

    /// "tcp 80", "tcp 1024-2048", "all traffic": what the permission opens, for messages.
    var portsLabel: String {
        if allProtocols { return "all traffic" }
        return from == to ? "\(proto) \(from)" : "\(proto) \(from)-\(to)"
    }

    var exposesAllPorts: Bool {
        allProtocols || (Self.tcpOrUDP.contains(proto) && from <= 1 && to >= 65535)
    }
}

/// Permissions by resource index, shared by the policies of one stack.
/// `@unchecked Sendable`: the dictionary is only touched under the lock. A value may be computed twice by two
/// workers at once; both compute the same thing from the same immutable graph.
final class PermissionMemo: @unchecked Sendable {
    typealias Value = (permissions: [IngressPermission], undecided: String?)?
    private let lock = NSLock()
    private var values: [Int: Value] = [:]

    func value(_ index: Int, compute: () -> Value) -> Value {
        if let known = lock.withLock({ values[index] }) { return known }
        let computed = compute()
        lock.withLock { values[index] = computed }
        return computed
    }
}

enum SecurityGroups {
    static let group = "aws:ec2/securityGroup:SecurityGroup"
    static let nativeGroup = "aws-native:ec2:SecurityGroup"
    static let rule = "aws:ec2/securityGroupRule:SecurityGroupRule"
    static let ingressRule = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
    static let nativeIngress = "aws-native:ec2:SecurityGroupIngress"
    static let groups = [group, nativeGroup]
    static let all = [group, nativeGroup, rule, ingressRule, nativeIngress]
    /// Standalone rules, joined to their group through its id.
    static let ruleJoin = ReferenceIndex.Query(types: [rule, ingressRule], property: "securityGroupId")
    static let nativeIngressJoin = ReferenceIndex.Query(types: [nativeIngress], property: "groupId")
    private static let permissionsKey = GraphCache.Key<PermissionMemo>("aws-security-group-permissions")
    /// Groups, known by id, ARN, name or group id: what a standalone rule's group reference is matched against.
    static let groupKeys = KeyIndex.Query(types: groups, fields: ["name", "groupId"])

    /// The ingress permissions that apply to `subject` and whether some could not be read: for a group, its
    /// inline rules and the standalone rules joined to it; for a standalone rule, itself — unless it joins a
    /// group of the stack, which reports it (nil), so each exposure is reported once, on the group.
    static func permissions(_ subject: ResourceContext) -> (permissions: [IngressPermission], undecided: String?)? {
        // Several policies (one per port family) read the same group's permissions: each is worked out once per
        // stack.
        let memo = subject.stack.graph.cache.value(permissionsKey) { PermissionMemo() }
        return memo.value(subject.index) { readPermissions(subject) }
    }

    private static func readPermissions(_ subject: ResourceContext) -> (permissions: [IngressPermission], undecided: String?)? {
        var result: [IngressPermission] = [], undecided: String?
        // Each rule is read on its own: one that cannot be read (an unknown CIDR in a preview) leaves the verdict
        // undecided, with the first such reason, but the rules that can be read are still judged.
        func add(_ read: () throws(PolicyControl) -> [IngressPermission]) {
            do { result += try read() } catch { if case .indeterminate(let reason) = error { undecided = undecided ?? reason } }
        }
        switch subject.type {
        case group, nativeGroup:
            let native = subject.type == nativeGroup
            var inline: [PropertyLookup] = []
            add { () throws(PolicyControl) in
                inline = try subject.value(native ? "securityGroupIngress" : "ingress").requireElements("ingress")
                return []
            }
            for (i, entry) in inline.enumerated() {
                add { () throws(PolicyControl) in [try read(entry, origin: "inline ingress #\(i)", native: native)] }
            }
            let keys = subject.keys("name", "groupId")
            var joined = AWSJoin.referrers(to: subject, ruleJoin, keys: keys)
            let nativeJoined = AWSJoin.referrers(to: subject, nativeIngressJoin, keys: keys)
            joined.matches += nativeJoined.matches
            undecided = undecided ?? joined.undecided ?? nativeJoined.undecided
            for standalone in joined.matches { add { () throws(PolicyControl) in try own(standalone) } }
        default:
            let property = subject.type == nativeIngress ? "groupId" : "securityGroupId"
            let groups = AWSJoin.targets(of: subject, property: property, groupKeys)
            if let groups, !groups.isEmpty { return nil }
            add { () throws(PolicyControl) in try own(subject) }
        }
        return (result, undecided)
    }

    /// A standalone rule's own permission (none for an egress `SecurityGroupRule`).
    private static func own(_ rule: ResourceContext) throws(PolicyControl) -> [IngressPermission] {
        switch rule.type {
        case self.rule:
            guard try rule.string("type") == "ingress" else { return [] }
            return [try read(rule.props, origin: "rule \(rule.name)", native: false)]
        case ingressRule:
            let proto = try rule.string("ipProtocol") ?? "-1"
            let cidrs = [try rule.string("cidrIpv4"), try rule.string("cidrIpv6")].compactMap { $0 }
            return [IngressPermission(proto: proto.lowercased(), from: (try rule.number("fromPort") ?? -1).clampedInt,
                                      to: (try rule.number("toPort") ?? -1).clampedInt, cidrs: cidrs, origin: "rule \(rule.name)")]
        default:
            return [try read(rule.props, origin: "rule \(rule.name)", native: true)]
        }
    }

    /// An inline entry or a classic rule (`protocol`, `cidrBlocks`) or an aws-native one (`ipProtocol`, `cidrIp`).
    private static func read(_ entry: PropertyLookup, origin: String, native: Bool) throws(PolicyControl) -> IngressPermission {
        let proto = try (native ? entry["ipProtocol"] : entry["protocol"]).requireString("\(origin).protocol") ?? "-1"
        var cidrs: [String] = []
        for key in native ? ["cidrIp", "cidrIpv6"] : ["cidrBlocks", "ipv6CidrBlocks"] {
            let value = try entry[key].require("\(origin).\(key)")
            if value.forEachString({ cidrs.append($0) }) {
                throw .indeterminate("\(origin).\(key) is not known")
            }
        }
        return IngressPermission(proto: proto.lowercased(), from: (try entry["fromPort"].requireNumber("\(origin).fromPort") ?? 0).clampedInt,
                                 to: (try entry["toPort"].requireNumber("\(origin).toPort") ?? 65535).clampedInt, cidrs: cidrs, origin: origin)
    }

    /// Violation when some permission from the internet matches `exposes`; the message says what is open.
    static func openIngressOutcome(_ subject: ResourceContext, what: String, showPorts: Bool = false,
                                   _ exposes: (IngressPermission) -> Bool) -> Outcome {
        ingressOutcome(subject, what: what, worldOnly: true, showPorts: showPorts, exposes)
    }

    /// Violation when some permission matches `exposes` — from the internet only, or from any source when
    /// `worldOnly` is false; the message says what is open and to whom.
    /// `showPorts` adds each permission's protocol and ports to the message (when `what` does not say them).
    static func ingressOutcome(_ subject: ResourceContext, what: String, worldOnly: Bool, showPorts: Bool = false,
                               _ exposes: (IngressPermission) -> Bool) -> Outcome {
        guard let (permissions, undecided) = permissions(subject) else {
            return .notApplicable("evaluated with the security group it belongs to")
        }
        let open = permissions.filter { (!worldOnly || !$0.fromWorld.isEmpty) && exposes($0) }
        if open.isEmpty, let undecided { return .indeterminate(undecided) }
        let sources = open.map { permission in
            let cidrs = worldOnly ? permission.fromWorld : permission.cidrs
            let origin = showPorts ? "\(permission.origin): \(permission.portsLabel)" : permission.origin
            return "\(cidrs.isEmpty ? "its sources" : cidrs.joined(separator: ", ")) (\(origin))"
        }
        return .check(open.isEmpty, "\(subject.name) allows ingress to \(what) from \(sources.joined(separator: "; ")).")
    }
}
