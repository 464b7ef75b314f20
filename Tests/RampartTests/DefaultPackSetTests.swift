import Foundation
import Rampart
import RampartBuiltins
import RampartPolicy
import Testing

/// The default pack set reports one defect once: AWSGuard (a drop-in, run whole when named) leaves out the
/// policies `builtin:aws` already checks, and keeps the rest.
@Suite struct DefaultPackSetTests {
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Samples/state/aws-lambda-s3-passphrase.json").path

    /// AWSGuard policies with an equivalent in `builtin:aws`, measured from the descriptors' `equivalents`.
    static let coveredByAWS: Set<String> = [
        "cmk-backing-key-rotation-enabled", "ec2-instance-no-public-ip", "efs-encrypted",
        "rds-instance-backup-enabled", "rds-instance-public-access", "rds-storage-encrypted", "s3-bucket-logging-enabled",
    ]

    func scan(packs: [String] = [], policyPackConfigs: [String] = [], failOn: FailOn = .none) throws -> ScanReport {
        try Pipeline().run(.inputs([Self.sample]), options: RunOptions(packs: packs, policyPackConfigs: policyPackConfigs, failOn: failOn,
                                                                       jobs: 1, today: "2026-11-26", timestamp: "2026-11-26T00:00:00Z")).report
    }

    @Test func defaultSetHoldsEveryCompiledPack() {
        #expect(PackLoader().defaultPacks().map(\.name) == PackLoader().compiledPacks.map(\.name))
    }

    @Test func awsguardYieldsExactlyThePoliciesAWSAlreadyChecks() throws {
        let full = try #require(BuiltinPacks.named(AWSGuard.packName))
        let trimmed = try #require(PackLoader().defaultPacks().first { $0.name == AWSGuard.packName })
        let left = Set(full.policies.map(\.descriptor.name)).subtracting(trimmed.policies.map(\.descriptor.name))
        #expect(left == Self.coveredByAWS)
        #expect(trimmed.policies.count == full.policies.count - Self.coveredByAWS.count)
        // Every other pack runs whole.
        for pack in PackLoader().defaultPacks() where pack.name != AWSGuard.packName {
            #expect(pack.policies.count == BuiltinPacks.named(pack.name)?.policies.count)
        }
    }

    @Test func everyAWSEquivalentNamesAnAWSGuardPolicy() throws {
        let awsguard = Set(try #require(BuiltinPacks.named(AWSGuard.packName)).policies.map(\.descriptor.name))
        let aws = try #require(BuiltinPacks.named("aws"))
        let named = aws.policies.flatMap(\.descriptor.equivalents).filter { $0.source == .awsguard }.map(\.policy)
        #expect(Set(named).isSubset(of: awsguard), "unknown AWSGuard names: \(Set(named).subtracting(awsguard))")
        #expect(Set(named) == Self.coveredByAWS)
    }

    @Test func defaultScanReportsTheUnloggedBucketOnce() throws {
        let report = try scan()
        let logging = report.findings.filter { $0.resource?.name == "docs" && $0.policy.contains("logging") }
        #expect(logging.map { "\($0.pack)/\($0.policy)" } == ["aws/s3-bucket-access-logging-enabled"])
        // AWSGuard's own checks still ran.
        let awsguard = try #require(report.packs.first { $0.name == AWSGuard.packName })
        #expect(awsguard.policies.contains { $0.name == "iam-role-no-policy-management-conflicts" && $0.counts.total > 0 })
    }

    @Test func namedAWSGuardRunsWhole() throws {
        let report = try scan(packs: ["builtin:awsguard"])
        let full = try #require(BuiltinPacks.named(AWSGuard.packName))
        let awsguard = try #require(report.packs.first { $0.name == AWSGuard.packName })
        #expect(!report.packs.contains { $0.name == "aws" })
        #expect(awsguard.policies.count == full.policies.count)
        #expect(report.findings.contains { $0.pack == AWSGuard.packName && $0.policy == "s3-bucket-logging-enabled" })
    }

    @Test func awsguardRunsWholeWhenTheRunConfiguresOrExemptsIt() throws {
        let full = try #require(BuiltinPacks.named(AWSGuard.packName)).policies.count
        func awsguardCount(_ packs: [PolicyPack]) -> Int? { packs.first { $0.name == AWSGuard.packName }?.policies.count }
        #expect(awsguardCount(PackLoader().defaultPacks(settingsFor: ["awsguard"])) == full)
        #expect(awsguardCount(PackLoader().defaultPacks(exemptions: ["awsguard/ec2-volume-inuse"])) == full)
        #expect(awsguardCount(PackLoader().defaultPacks(exemptions: ["s3-bucket-logging-enabled"])) == full)
        #expect(awsguardCount(PackLoader().defaultPacks(settingsFor: ["aws"], exemptions: ["aws/efs-encrypted"])) == full - Self.coveredByAWS.count)
    }

    @Test func aPolicyPackConfigForAWSGuardKeepsItsSettingsMeaningful() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rampart-default-packs-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let config = dir + "/awsguard.json"
        try Data(#"{"s3-bucket-logging-enabled": "mandatory"}"#.utf8).write(to: URL(fileURLWithPath: config))
        let report = try scan(policyPackConfigs: ["awsguard=\(config)"], failOn: .mandatory)
        #expect(report.findings.contains { $0.pack == "awsguard" && $0.policy == "s3-bucket-logging-enabled" && $0.enforcementLevel == .mandatory })
        #expect(report.verdict.failed)
    }
}
