import RampartPolicy

/// Athena: query-result and catalog encryption, workgroup enforcement, descriptions. The classic provider's
/// `aws:athena/workgroup:Workgroup` keeps its settings under `configuration`; aws-native's
/// `aws-native:athena:WorkGroup` under `workGroupConfiguration` and, for changes made after creation (an older
/// CloudFormation shape), `workGroupConfigurationUpdates`.
extension AWSBaseline {
    static var athenaPolicies: [any Policy] {
        [athenaDatabaseEncrypted, athenaDatabaseCMK, athenaWorkgroupEncrypted, athenaWorkgroupCMK, athenaWorkgroupEnforced,
         athenaDescribed]
    }

    static let athenaDatabase = "aws:athena/database:Database"
    static let athenaWorkgroup = "aws:athena/workgroup:Workgroup"
    static let nativeAthenaWorkgroup = "aws-native:athena:WorkGroup"

    static let kmsKeyARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"

    /// Encryption options that use a KMS key (`SSE_KMS`, `CSE_KMS`), as opposed to `SSE_S3`.
    static func athenaUsesKMS(_ option: String?) -> Bool { option?.hasSuffix("_KMS") == true }

    /// The encryption settings a workgroup declares, each with its path: the classic `configuration`, or aws-native's
    /// `workGroupConfiguration` and `workGroupConfigurationUpdates` (absent blocks are left out).
    static func athenaWorkgroupSettings(_ wg: ResourceContext) throws(PolicyControl) -> [(path: String, value: PropertyLookup)] {
        let paths = wg.type == nativeAthenaWorkgroup
            ? ["workGroupConfiguration", "workGroupConfigurationUpdates"] : ["configuration"]
        var settings: [(path: String, value: PropertyLookup)] = []
        for path in paths {
            let value = try wg.value(path)
            if !value.isAbsent { settings.append((path, value)) }
        }
        return settings
    }

    /// The path of a workgroup settings block's result encryption (`resultConfigurationUpdates` in the updates block).
    static func athenaResultEncryptionPath(_ block: String) -> String {
        block == "workGroupConfigurationUpdates" ? "resultConfigurationUpdates.encryptionConfiguration" : "resultConfiguration.encryptionConfiguration"
    }

    static let athenaDatabaseEncrypted = SwiftResourcePolicy(
        baseline("athena-database-encrypted", "Athena databases encrypt the data they store in S3.", severity: .high,
                 frameworks: frameworks("hitrust", "iso27001", "pcidss"),
                 rationale: "Without `encryptionConfiguration`, the database's query results and metadata objects land in S3 with whatever the bucket does, possibly in clear.",
                 remediation: "Set `encryptionConfiguration: { encryptionOption: \"SSE_KMS\", kmsKey }` (or `SSE_S3`).",
                 examples: [
                     example(athenaDatabase, #"{"encryptionConfiguration": {"encryptionOption": "SSE_KMS", "kmsKey": "\#(kmsKeyARN)"}}"#, .pass),
                     example(athenaDatabase, #"{"encryptionConfiguration": {"encryptionOption": "SSE_S3"}}"#, .pass),
                     example(athenaDatabase, #"{"comment": "sales"}"#, .violation),
                     example(athenaDatabase, #"{"encryptionConfiguration": {"encryptionOption": "\#(unknown)"}}"#, .indeterminate, "preview: the option is unknown"),
                 ],
                 equivalents: compliance("aws-athena-database-disallow-unencrypted-database")),
        types: [athenaDatabase]
    ) { db, _ in
        .check(try db.truthy("encryptionConfiguration.encryptionOption"), "Athena database \(db.name) is not encrypted (no encryptionConfiguration).")
    }

    static let athenaDatabaseCMK = SwiftResourcePolicy(
        baseline("athena-database-customer-managed-key", "Encrypted Athena databases use a KMS key rather than S3-managed keys.", severity: .low,
                 frameworks: frameworks("hitrust", "iso27001", "pcidss"), level: .disabled,
                 rationale: "With a customer-managed KMS key, reading the data also takes the key policy's permission and every use is logged. Opt-in, like the pack's other customer-managed-key policies; an unencrypted database is `athena-database-encrypted`'s finding.",
                 remediation: "Set `encryptionConfiguration.encryptionOption: \"SSE_KMS\"` (or `CSE_KMS`) with `kmsKey` a customer-managed key.",
                 examples: [
                     example(athenaDatabase, #"{"encryptionConfiguration": {"encryptionOption": "SSE_KMS", "kmsKey": "\#(kmsKeyARN)"}}"#, .pass),
                     example(athenaDatabase, #"{"encryptionConfiguration": {"encryptionOption": "SSE_S3", "kmsKey": "\#(kmsKeyARN)"}}"#, .violation),
                     example(athenaDatabase, #"{"encryptionConfiguration": {"encryptionOption": "SSE_KMS", "kmsKey": "alias/aws/s3"}}"#, .violation, "AWS-managed key"),
                     example(athenaDatabase, #"{}"#, .notApplicable, "not encrypted at all: athena-database-encrypted reports it"),
                 ],
                 equivalents: compliance("aws-athena-database-configure-customer-managed-key")),
        types: [athenaDatabase]
    ) { db, _ in
        guard let option = try db.string("encryptionConfiguration.encryptionOption"), !option.isEmpty else {
            return .notApplicable("the database is not encrypted")
        }
        let key = try db.string("encryptionConfiguration.kmsKey")
        return .check(athenaUsesKMS(option) && (key == nil || KMSKeyReference.isCustomerManaged(key)),
                      "Athena database \(db.name) is encrypted with \(athenaUsesKMS(option) ? "an AWS-managed key" : option), not a customer-managed KMS key.")
    }

    static let athenaWorkgroupEncrypted = SwiftResourcePolicy(
        baseline("athena-workgroup-encrypted", "Athena workgroups encrypt their query results.", severity: .high,
                 frameworks: frameworks("hitrust", "iso27001", "pcidss"),
                 rationale: "Query results are copies of the data queried; a workgroup without a result encryption configuration writes them to S3 as the bucket decides, possibly in clear. aws-native: `workGroupConfiguration` must set it; `workGroupConfigurationUpdates` (an older CloudFormation shape) is read when present and fails only when it removes the encryption (Pulumi's compliance-ready policy also fails a workgroup that has no updates block).",
                 remediation: "Set `configuration.resultConfiguration.encryptionConfiguration.encryptionOption` (aws-native: `workGroupConfiguration.resultConfiguration.encryptionConfiguration`), e.g. `SSE_KMS` with `kmsKeyArn`/`kmsKey`.",
                 examples: [
                     example(athenaWorkgroup, #"{"configuration": {"resultConfiguration": {"encryptionConfiguration": {"encryptionOption": "SSE_KMS", "kmsKeyArn": "\#(kmsKeyARN)"}}}}"#, .pass),
                     example(athenaWorkgroup, #"{"state": "ENABLED"}"#, .violation),
                     example(athenaWorkgroup, #"{"configuration": {"resultConfiguration": {}}}"#, .violation),
                     example(nativeAthenaWorkgroup, #"{"workGroupConfiguration": {"resultConfiguration": {"encryptionConfiguration": {"encryptionOption": "SSE_S3"}}}}"#, .pass),
                     example(nativeAthenaWorkgroup, #"{"workGroupConfigurationUpdates": {"resultConfigurationUpdates": {"encryptionConfiguration": {"encryptionOption": "SSE_KMS"}}}}"#, .violation, "only the updates block is encrypted"),
                     example(nativeAthenaWorkgroup, #"{"workGroupConfiguration": {"resultConfiguration": {"encryptionConfiguration": {"encryptionOption": "SSE_S3"}}}, "workGroupConfigurationUpdates": {"resultConfigurationUpdates": {"removeEncryptionConfiguration": true}}}"#, .violation, "the updates remove it"),
                 ],
                 equivalents: compliance("aws-athena-workgroup-disallow-unencrypted-workgroup", "awsnative-athena-workgroup-disallow-unencrypted-workgroup")),
        types: [athenaWorkgroup, nativeAthenaWorkgroup]
    ) { wg, _ in
        let main = wg.type == nativeAthenaWorkgroup ? "workGroupConfiguration" : "configuration"
        var messages: [String] = []
        if try !wg.truthy("\(main).resultConfiguration.encryptionConfiguration.encryptionOption") {
            messages.append("Athena workgroup \(wg.name) does not encrypt query results (no \(main).resultConfiguration.encryptionConfiguration).")
        }
        if wg.type == nativeAthenaWorkgroup {
            let updates = "workGroupConfigurationUpdates.resultConfigurationUpdates"
            let option = try wg.value("\(updates).encryptionConfiguration.encryptionOption")
            if try wg.bool("\(updates).removeEncryptionConfiguration") == true || option.string == "" {
                messages.append("Athena workgroup \(wg.name) removes its query result encryption (workGroupConfigurationUpdates).")
            }
        }
        return .violations(messages)
    }

    static let athenaWorkgroupCMK = SwiftResourcePolicy(
        baseline("athena-workgroup-customer-managed-key", "Athena workgroups that encrypt results use a KMS key rather than S3-managed keys.", severity: .low,
                 frameworks: frameworks("hitrust", "iso27001", "pcidss"), level: .disabled,
                 rationale: "With a customer-managed KMS key, reading query results also takes the key policy's permission and every use is logged. Opt-in, like the pack's other customer-managed-key policies; a workgroup without result encryption is `athena-workgroup-encrypted`'s finding.",
                 remediation: "Set the result `encryptionConfiguration.encryptionOption` to `SSE_KMS` (or `CSE_KMS`) with a customer-managed key (`kmsKeyArn`; aws-native `kmsKey`).",
                 examples: [
                     example(athenaWorkgroup, #"{"configuration": {"resultConfiguration": {"encryptionConfiguration": {"encryptionOption": "SSE_KMS", "kmsKeyArn": "\#(kmsKeyARN)"}}}}"#, .pass),
                     example(athenaWorkgroup, #"{"configuration": {"resultConfiguration": {"encryptionConfiguration": {"encryptionOption": "SSE_S3"}}}}"#, .violation),
                     example(athenaWorkgroup, #"{"configuration": {"resultConfiguration": {}}}"#, .notApplicable, "no result encryption: athena-workgroup-encrypted reports it"),
                     example(nativeAthenaWorkgroup, #"{"workGroupConfiguration": {"resultConfiguration": {"encryptionConfiguration": {"encryptionOption": "SSE_KMS", "kmsKey": "\#(kmsKeyARN)"}}}}"#, .pass),
                     example(nativeAthenaWorkgroup, #"{"workGroupConfigurationUpdates": {"resultConfigurationUpdates": {"encryptionConfiguration": {"encryptionOption": "SSE_S3"}}}}"#, .violation),
                 ],
                 equivalents: compliance("aws-athena-workgroup-configure-customer-managed-key", "awsnative-athena-workgroup-configure-customer-managed-key")),
        types: [athenaWorkgroup, nativeAthenaWorkgroup]
    ) { wg, _ in
        var messages: [String] = [], encrypted = false
        for (block, settings) in try athenaWorkgroupSettings(wg) {
            let path = athenaResultEncryptionPath(block)
            let encryption = try settings.at(path).require("\(block).\(path)")
            guard let option = try encryption["encryptionOption"].requireString("\(block).\(path).encryptionOption"), !option.isEmpty else { continue }
            encrypted = true
            let key = try encryption[wg.type == nativeAthenaWorkgroup ? "kmsKey" : "kmsKeyArn"].requireString("\(block).\(path).kmsKey")
            if !athenaUsesKMS(option) || (key != nil && !KMSKeyReference.isCustomerManaged(key)) {
                messages.append("Athena workgroup \(wg.name) encrypts query results with \(athenaUsesKMS(option) ? "an AWS-managed key" : option), not a customer-managed KMS key (\(block)).")
            }
        }
        if !encrypted { return .notApplicable("the workgroup does not encrypt query results") }
        return .violations(messages)
    }

    static let athenaWorkgroupEnforced = SwiftResourcePolicy(
        baseline("athena-workgroup-enforces-configuration", "Athena workgroups enforce their settings on clients.", severity: .high,
                 frameworks: frameworks("hitrust", "iso27001", "pcidss"),
                 rationale: "With enforcement off, each client may choose its own result location and encryption, so the workgroup's encryption and limits are only suggestions. Unset means enforced (the AWS default).",
                 remediation: "Remove `enforceWorkgroupConfiguration: false` (aws-native: `enforceWorkGroupConfiguration`) or set it to true.",
                 examples: [
                     example(athenaWorkgroup, #"{"configuration": {"enforceWorkgroupConfiguration": true}}"#, .pass),
                     example(athenaWorkgroup, #"{"state": "ENABLED"}"#, .pass, "AWS enforces by default"),
                     example(athenaWorkgroup, #"{"configuration": {"enforceWorkgroupConfiguration": false}}"#, .violation),
                     example(nativeAthenaWorkgroup, #"{"workGroupConfiguration": {"enforceWorkGroupConfiguration": true}}"#, .pass),
                     example(nativeAthenaWorkgroup, #"{"workGroupConfigurationUpdates": {"enforceWorkGroupConfiguration": false}}"#, .violation),
                 ],
                 equivalents: compliance("aws-athena-workgroup-enforce-configuration", "awsnative-athena-workgroup-enforce-configuration")),
        types: [athenaWorkgroup, nativeAthenaWorkgroup]
    ) { wg, _ in
        let flag = wg.type == nativeAthenaWorkgroup ? "enforceWorkGroupConfiguration" : "enforceWorkgroupConfiguration"
        var off: [String] = []
        for (block, settings) in try athenaWorkgroupSettings(wg) where try settings[flag].requireBool("\(block).\(flag)") == false {
            off.append(block)
        }
        return .check(off.isEmpty, "Athena workgroup \(wg.name) lets clients override its settings (\(off.map { "\($0).\(flag): false" }.joined(separator: ", "))).")
    }

    static let athenaDescribed = describedPolicy(
        baseline("athena-resources-described", "Athena data catalogs, databases, named queries and workgroups carry a description.", severity: .low,
                 rationale: "A description says what a catalog, database, saved query or workgroup is for and who owns it, which reviews and clean-ups depend on. Databases keep theirs in `comment`.",
                 remediation: "Set `description` (databases: `comment`).",
                 examples: [
                     example("aws:athena/dataCatalog:DataCatalog", #"{"description": "Sales catalog", "type": "LAMBDA"}"#, .pass),
                     example("aws:athena/dataCatalog:DataCatalog", #"{"type": "LAMBDA"}"#, .violation),
                     example(athenaDatabase, #"{"comment": "Sales database"}"#, .pass),
                     example(athenaDatabase, #"{}"#, .violation),
                     example("aws:athena/namedQuery:NamedQuery", #"{"query": "SELECT 1", "description": "  "}"#, .violation, "blank"),
                     example(athenaWorkgroup, #"{"description": "Analysts"}"#, .pass),
                     example(nativeAthenaWorkgroup, #"{"state": "ENABLED"}"#, .violation),
                     example("aws-native:athena:NamedQuery", #"{"queryString": "SELECT 1", "description": "Daily totals"}"#, .pass),
                     example("aws-native:athena:DataCatalog", #"{"description": "\#(unknown)"}"#, .indeterminate, "preview: computed description"),
                 ],
                 equivalents: compliance("aws-athena-datacatalog-missing-description", "awsnative-athena-datacatalog-missing-description",
                                         "aws-athena-database-missing-description", "aws-athena-namedquery-missing-description",
                                         "awsnative-athena-namedquery-missing-description", "aws-athena-workgroup-missing-description",
                                         "awsnative-athena-workgroup-missing-description")),
        paths: ["aws:athena/dataCatalog:DataCatalog": "description", "aws-native:athena:DataCatalog": "description",
                athenaDatabase: "comment", "aws:athena/namedQuery:NamedQuery": "description", "aws-native:athena:NamedQuery": "description",
                athenaWorkgroup: "description", nativeAthenaWorkgroup: "description"]
    ) { type in
        switch type {
        case athenaDatabase: return "Athena database"
        case athenaWorkgroup, nativeAthenaWorkgroup: return "Athena workgroup"
        case "aws:athena/namedQuery:NamedQuery", "aws-native:athena:NamedQuery": return "Athena named query"
        default: return "Athena data catalog"
        }
    }
}
