import RampartModel
import RampartPolicy

extension GCPBaseline {
    static var computePolicies: [any Policy] {
        [defaultServiceAccountScopes, serialPortDisabled, shieldedVM, osLogin, noPublicIP, diskCMEK, ipForwarding, firewallAdminPorts]
    }

    static let vmTypes = [GCPTypes.instance] + GCPTypes.instanceTemplates

    /// A metadata flag's value (`TRUE`, `true`, `1`), nil when the key is absent.
    static func metadataFlag(_ vm: ResourceContext, _ key: String) throws(PolicyControl) -> Bool? {
        let metadata = try vm.value("metadata")
        guard let text = try metadata[key].requireString("metadata.\(key)") else { return nil }
        return ["true", "1", "yes"].contains(text.lowercased())
    }

    static let defaultServiceAccountScopes = SwiftResourcePolicy(
        Baseline.descriptor("gcp-compute-no-default-service-account-full-scopes", "Instances do not run as the default service account with full API access.", .high,
            rationale: "The default compute service account holds Editor on the project; with the cloud-platform scope any process on the VM can change almost anything.",
            remediation: "Attach a dedicated, least-privilege service account (`serviceAccount.email`), or narrow `serviceAccount.scopes`.",
            frameworks: [BaselineFrameworks.cisGCP("4.1"), BaselineFrameworks.cisGCP("4.2"), nist("AC-6")],
            examples: [
                Baseline.ex(GCPTypes.instance, #"{"serviceAccount": {"email": "app@p.iam.gserviceaccount.com", "scopes": ["cloud-platform"]}}"#, .pass),
                Baseline.ex(GCPTypes.instance, #"{"serviceAccount": {"email": "123-compute@developer.gserviceaccount.com", "scopes": ["https://www.googleapis.com/auth/cloud-platform"]}}"#, .violation),
                Baseline.ex(GCPTypes.instance, #"{"serviceAccount": {"scopes": ["cloud-platform"]}}"#, .violation, "no email means the default account"),
                Baseline.ex("gcp:compute/instanceTemplate:InstanceTemplate", #"{"serviceAccount": {"scopes": ["https://www.googleapis.com/auth/devstorage.read_only"]}}"#, .pass),
                Baseline.ex(GCPTypes.instance, #"{}"#, .pass, "no service account at all"),
            ]),
        types: vmTypes
    ) { vm, _ in
        let account = try vm.value("serviceAccount")
        guard !account.isAbsent else { return .pass }
        let email = try account["email"].requireString("serviceAccount.email") ?? ""
        guard email.isEmpty || email.hasSuffix("-compute@developer.gserviceaccount.com") else { return .pass }
        let scopes = try account["scopes"].requireElements("serviceAccount.scopes").compactMap(\.string)
        let full = scopes.contains { $0 == "cloud-platform" || $0.hasSuffix("/auth/cloud-platform") }
        return .check(!full, "Instance \(vm.name) runs as the default compute service account with the cloud-platform scope.")
    }

    static let serialPortDisabled = SwiftResourcePolicy(
        Baseline.descriptor("gcp-compute-serial-port-disabled", "Instances do not enable interactive serial port access.", .medium,
            rationale: "The serial console accepts connections from any address and bypasses firewall rules.",
            remediation: "Remove `serial-port-enable` from `metadata` or set it to `FALSE`.",
            frameworks: [BaselineFrameworks.cisGCP("4.5"), nist("CM-7")],
            examples: [
                Baseline.ex(GCPTypes.instance, #"{"metadata": {"serial-port-enable": "FALSE"}}"#, .pass),
                Baseline.ex(GCPTypes.instance, #"{"metadata": {"serial-port-enable": "TRUE"}}"#, .violation),
                Baseline.ex(GCPTypes.instance, #"{"metadata": {}}"#, .pass),
            ]),
        types: vmTypes
    ) { vm, _ in
        .check(try metadataFlag(vm, "serial-port-enable") != true, "Instance \(vm.name) enables the interactive serial console.")
    }

    static let shieldedVM = SwiftResourcePolicy(
        Baseline.descriptor("gcp-compute-shielded-vm", "Instances run as Shielded VMs with secure boot, vTPM and integrity monitoring.", .medium,
            rationale: "Shielded VM features detect and block boot-level rootkits and tampering.",
            remediation: "Use a Shielded VM image and set `shieldedInstanceConfig: { enableSecureBoot: true, enableVtpm: true, enableIntegrityMonitoring: true }`.",
            frameworks: [BaselineFrameworks.cisGCP("4.8")],
            examples: [
                Baseline.ex(GCPTypes.instance, #"{"shieldedInstanceConfig": {"enableSecureBoot": true, "enableVtpm": true, "enableIntegrityMonitoring": true}}"#, .pass),
                Baseline.ex(GCPTypes.instance, #"{"shieldedInstanceConfig": {"enableSecureBoot": false, "enableVtpm": true, "enableIntegrityMonitoring": true}}"#, .violation),
                Baseline.ex(GCPTypes.instance, #"{}"#, .violation, "secure boot is off by default"),
            ]),
        types: vmTypes
    ) { vm, _ in
        // vTPM and integrity monitoring default to on; secure boot defaults to off.
        var missing: [String] = []
        if try vm.bool("shieldedInstanceConfig.enableSecureBoot") != true { missing.append("secure boot") }
        if try vm.bool("shieldedInstanceConfig.enableVtpm") == false { missing.append("vTPM") }
        if try vm.bool("shieldedInstanceConfig.enableIntegrityMonitoring") == false { missing.append("integrity monitoring") }
        return .check(missing.isEmpty, "Instance \(vm.name) lacks \(missing.joined(separator: ", ")).")
    }

    static let osLogin = SwiftResourcePolicy(
        Baseline.descriptor("gcp-compute-os-login", "Instances do not turn OS Login off.", .medium,
            rationale: "OS Login ties SSH access to IAM identities and revokes it with them; metadata SSH keys live on long after their owners leave.",
            remediation: "Remove `enable-oslogin: FALSE` from instance metadata and set `enable-oslogin: TRUE` in project metadata (or the `compute.requireOsLogin` organization policy).",
            frameworks: [BaselineFrameworks.cisGCP("4.4")],
            examples: [
                Baseline.ex(GCPTypes.instance, #"{"metadata": {"enable-oslogin": "TRUE"}}"#, .pass),
                Baseline.ex(GCPTypes.instance, #"{"metadata": {"enable-oslogin": "FALSE"}}"#, .violation),
                Baseline.ex(GCPTypes.instance, #"{"metadata": {}}"#, .pass, "left to project metadata or organization policy"),
            ]),
        types: vmTypes
    ) { vm, _ in
        // CIS 4.4 is decided at project level, which a stack rarely holds; only an explicit opt-out is decidable.
        .check(try metadataFlag(vm, "enable-oslogin") != false, "Instance \(vm.name) turns OS Login off in its metadata.")
    }

    static let noPublicIP = SwiftResourcePolicy(
        Baseline.descriptor("gcp-compute-no-public-ip", "Instances have no external IP address.", .medium,
            rationale: "An external address makes the VM reachable from the internet whenever a firewall rule allows it.",
            remediation: "Remove `accessConfigs` from `networkInterfaces`; reach the VM through IAP, a load balancer or Cloud NAT.",
            frameworks: [BaselineFrameworks.cisGCP("4.9"), nist("SC-7")],
            examples: [
                Baseline.ex(GCPTypes.instance, #"{"networkInterfaces": [{"network": "default", "accessConfigs": []}]}"#, .pass),
                Baseline.ex(GCPTypes.instance, #"{"networkInterfaces": [{"network": "default", "accessConfigs": [{"natIp": "34.1.2.3"}]}]}"#, .violation),
            ]),
        types: vmTypes
    ) { vm, _ in
        for (i, nic) in try vm.value("networkInterfaces").elements.enumerated() {
            if try nic["accessConfigs"].requireElements("networkInterfaces[\(i)].accessConfigs").count > 0 {
                return .violation("Instance \(vm.name) has an external IP on network interface \(i).")
            }
        }
        return .pass
    }

    static let diskCMEK = SwiftResourcePolicy(
        Baseline.descriptor("gcp-compute-disk-customer-managed-key", "Disks are encrypted with a customer-managed or customer-supplied key.", .low,
            rationale: "Google-managed keys cannot be revoked or audited by you; CMEK/CSEK keeps control of the key material.",
            remediation: "Set `diskEncryptionKey.kmsKeySelfLink` (disk) or `bootDisk.kmsKeySelfLink` (instance), or a customer-supplied raw key.",
            frameworks: [BaselineFrameworks.cisGCP("4.7"), nist("SC-28")],
            examples: [
                Baseline.ex("gcp:compute/disk:Disk", #"{"diskEncryptionKey": {"kmsKeySelfLink": "projects/p/locations/l/keyRings/r/cryptoKeys/k"}}"#, .pass),
                Baseline.ex("gcp:compute/disk:Disk", #"{"diskEncryptionKey": null}"#, .violation),
                Baseline.ex(GCPTypes.instance, #"{"bootDisk": {"kmsKeySelfLink": "projects/p/locations/l/keyRings/r/cryptoKeys/k"}}"#, .pass),
                Baseline.ex(GCPTypes.instance, #"{"bootDisk": {"kmsKeySelfLink": ""}}"#, .violation),
            ]),
        types: ["gcp:compute/disk:Disk", "gcp:compute/regionDisk:RegionDisk", GCPTypes.instance]
    ) { disk, _ in
        let base = disk.type == GCPTypes.instance ? "bootDisk." : "diskEncryptionKey."
        for key in ["kmsKeySelfLink", "diskEncryptionKeyRaw", "rawKey", "rsaEncryptedKey"] where !(try disk.string(base + key) ?? "").isEmpty {
            return .pass
        }
        return .violation("Disk of \(disk.name) uses Google-managed encryption keys only.")
    }

    static let ipForwarding = SwiftResourcePolicy(
        Baseline.descriptor("gcp-compute-no-ip-forwarding", "Instances do not forward IP packets.", .medium,
            rationale: "IP forwarding lets a VM route traffic for other addresses, bypassing network controls; only routers and NAT appliances need it.",
            remediation: "Set `canIpForward: false` unless the instance is a network appliance (then exempt it).",
            frameworks: [BaselineFrameworks.cisGCP("4.6")],
            examples: [
                Baseline.ex(GCPTypes.instance, #"{"canIpForward": false}"#, .pass),
                Baseline.ex(GCPTypes.instance, #"{"canIpForward": true}"#, .violation),
            ]),
        types: vmTypes
    ) { vm, _ in
        .check(try vm.bool("canIpForward") != true, "Instance \(vm.name) forwards IP packets.")
    }

    static let firewallAdminPorts = SwiftResourcePolicy(
        Baseline.descriptor("gcp-firewall-no-internet-admin-ports", "Firewall rules do not open SSH, RDP or every port to the internet.", .critical,
            rationale: "SSH and RDP reachable from 0.0.0.0/0 are brute-forced within minutes; an allow-all rule exposes every service.",
            remediation: "Restrict `sourceRanges` to known ranges (35.235.240.0/20 for IAP TCP forwarding) or remove the rule.",
            frameworks: [BaselineFrameworks.cisGCP("3.6"), BaselineFrameworks.cisGCP("3.7"), nist("SC-7")],
            examples: [
                Baseline.ex("gcp:compute/firewall:Firewall", #"{"direction": "INGRESS", "sourceRanges": ["0.0.0.0/0"], "allows": [{"protocol": "tcp", "ports": ["443"]}]}"#, .pass),
                Baseline.ex("gcp:compute/firewall:Firewall", #"{"direction": "INGRESS", "sourceRanges": ["0.0.0.0/0"], "allows": [{"protocol": "tcp", "ports": ["22"]}]}"#, .violation),
                Baseline.ex("gcp:compute/firewall:Firewall", #"{"sourceRanges": ["0.0.0.0/0"], "allows": [{"protocol": "all"}]}"#, .violation),
                Baseline.ex("gcp:compute/firewall:Firewall", #"{"sourceRanges": ["0.0.0.0/0"], "allows": [{"protocol": "tcp", "ports": ["3000-4000"]}], "disabled": true}"#, .pass),
                Baseline.ex("gcp:compute/firewall:Firewall", #"{"sourceRanges": ["10.0.0.0/8"], "allows": [{"protocol": "tcp", "ports": ["22"]}]}"#, .pass),
                Baseline.ex("gcp:compute/firewall:Firewall", #"{"sourceRanges": [\#(Baseline.unknown)], "allows": [{"protocol": "tcp", "ports": ["22"]}]}"#, .indeterminate),
            ]),
        types: ["gcp:compute/firewall:Firewall"]
    ) { rule, _ in
        if try rule.bool("disabled") == true || (try rule.string("direction") ?? "INGRESS") != "INGRESS" { return .pass }
        let sources = try rule.value("sourceRanges").elements
        if sources.contains(where: \.isOpaque) { throw PolicyControl.indeterminate("a source range is not known") }
        guard sources.contains(where: { $0.string.map(BaselineNetwork.isAnywhere) ?? false }) else { return .pass }
        var problems: [String] = []
        for (i, allow) in try rule.value("allows").elements.enumerated() {
            let proto = try allow["protocol"].requireString("allows[\(i)].protocol")?.lowercased() ?? "all"
            let ports = try allow["ports"].requireElements("allows[\(i)].ports").compactMap(\.string)
            if proto == "all" { problems.append("all protocols and ports"); continue }
            guard proto == "tcp" else { continue }
            for (port, label) in [(22, "SSH (22)"), (3389, "RDP (3389)")] where ports.isEmpty || ports.contains(where: { BaselineNetwork.covers($0, port) }) {
                problems.append(label)
            }
        }
        return .check(problems.isEmpty, "Firewall \(rule.name) opens \(problems.joined(separator: ", ")) to 0.0.0.0/0.")
    }
}
