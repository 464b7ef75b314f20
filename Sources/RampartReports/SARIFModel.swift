import RampartJSON

/// A SARIF object that writes itself to a JSONWriter. Members are written in byte order of their names (the order
/// the log has always had, so diffs between versions stay small); optional members left nil are not written.
protocol SARIFValue {
    func write(to w: inout JSONWriter)
}

extension JSONWriter {
    mutating func member(_ name: String, _ value: some SARIFValue) {
        key(name)
        value.write(to: &self)
    }

    mutating func member(_ name: String, _ values: [some SARIFValue]) {
        key(name)
        beginArray()
        for value in values { value.write(to: &self) }
        endArray()
    }

    /// `name: [value]`, for the arrays Rampart always writes with one element (no array allocated per result).
    mutating func member(_ name: String, one value: some SARIFValue) {
        key(name)
        beginArray()
        value.write(to: &self)
        endArray()
    }

    mutating func member(_ name: String, _ value: String) {
        key(name)
        string(value)
    }
}

/// The parts of the SARIF 2.1.0 object model Rampart writes, as typed values (field names are SARIF's).
/// The log's one run is written by `SARIFReporter` itself, so its results can stream out one at a time.
enum SARIF {
    static let schema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    static let version = "2.1.0"

    struct RunProperties: SARIFValue {
        var verdict: Verdict
        var stacks: [String]

        func write(to w: inout JSONWriter) {
            w.beginObject()
            w.key("stacks"); w.beginArray()
            for stack in stacks { w.string(stack) }
            w.endArray()
            w.member("verdict", verdict)
            w.endObject()
        }
    }

    struct Verdict: SARIFValue {
        var failed: Bool
        var exitCode: Int
        var failOn: String

        func write(to w: inout JSONWriter) {
            w.beginObject()
            w.key("exitCode"); w.number(exitCode)
            w.member("failOn", failOn)
            w.key("failed"); w.bool(failed)
            w.endObject()
        }
    }

    struct Tool: SARIFValue {
        var driver: Driver

        func write(to w: inout JSONWriter) {
            w.beginObject()
            w.member("driver", driver)
            w.endObject()
        }
    }

    struct Driver: SARIFValue {
        var name: String
        var version: String
        var informationUri: String?
        var rules: [Rule]

        func write(to w: inout JSONWriter) {
            w.beginObject()
            if let informationUri { w.member("informationUri", informationUri) }
            w.member("name", name)
            w.member("rules", rules)
            w.member("version", version)
            w.endObject()
        }
    }

    struct Invocation: SARIFValue {
        var executionSuccessful: Bool
        var endTimeUtc: String?
        var toolExecutionNotifications: [Notification]?

        func write(to w: inout JSONWriter) {
            w.beginObject()
            if let endTimeUtc { w.member("endTimeUtc", endTimeUtc) }
            w.key("executionSuccessful"); w.bool(executionSuccessful)
            if let toolExecutionNotifications { w.member("toolExecutionNotifications", toolExecutionNotifications) }
            w.endObject()
        }
    }

    struct Notification: SARIFValue {
        var level: String
        var message: Message
        var locations: [Location]?

        func write(to w: inout JSONWriter) {
            w.beginObject()
            w.member("level", level)
            if let locations { w.member("locations", locations) }
            w.member("message", message)
            w.endObject()
        }
    }

    struct Rule: SARIFValue {
        var id: String
        var name: String
        var shortDescription: Message
        var fullDescription: Message
        var help: MultiformatMessage
        /// `defaultConfiguration.level`.
        var level: String
        var properties: RuleProperties

        func write(to w: inout JSONWriter) {
            w.beginObject()
            w.key("defaultConfiguration"); w.beginObject()
            w.member("level", level)
            w.endObject()
            w.member("fullDescription", fullDescription)
            w.member("help", help)
            w.member("id", id)
            w.member("name", name)
            w.member("properties", properties)
            w.member("shortDescription", shortDescription)
            w.endObject()
        }
    }

    struct RuleProperties: SARIFValue {
        var securitySeverity: String
        var tags: [String]
        var severity: String
        var pack: String

        func write(to w: inout JSONWriter) {
            w.beginObject()
            w.member("pack", pack)
            w.member("security-severity", securitySeverity)
            w.member("severity", severity)
            w.key("tags"); w.beginArray()
            for tag in tags { w.string(tag) }
            w.endArray()
            w.endObject()
        }
    }

    struct Message: SARIFValue {
        var text: String

        func write(to w: inout JSONWriter) {
            w.beginObject()
            w.member("text", text)
            w.endObject()
        }
    }

    struct MultiformatMessage: SARIFValue {
        var text: String
        var markdown: String

        func write(to w: inout JSONWriter) {
            w.beginObject()
            w.member("markdown", markdown)
            w.member("text", text)
            w.endObject()
        }
    }

    /// One result; built and written one finding at a time.
    struct Result: SARIFValue {
        var ruleId: String
        var ruleIndex: Int
        var level: String
        var message: Message
        /// The result's one location.
        var location: Location
        /// `partialFingerprints`' one member, under `SARIFReporter.fingerprintKey`.
        var fingerprint: String
        /// The one `external` suppression's justification, if the finding is exempted.
        var suppression: Suppression?
        var baselineState: String?
        var properties: ResultProperties

        func write(to w: inout JSONWriter) {
            w.beginObject()
            if let baselineState { w.member("baselineState", baselineState) }
            w.member("level", level)
            w.member("locations", one: location)
            w.member("message", message)
            w.key("partialFingerprints"); w.beginObject()
            w.member(SARIFReporter.fingerprintKey, fingerprint)
            w.endObject()
            w.member("properties", properties)
            w.member("ruleId", ruleId)
            w.key("ruleIndex"); w.number(ruleIndex)
            if let suppression { w.member("suppressions", one: suppression) }
            w.endObject()
        }
    }

    struct ResultProperties: SARIFValue {
        var stack: String
        var outcome: String
        var enforcementLevel: String
        var severity: String
        var remediation: String?
        var proposedFix: String?

        func write(to w: inout JSONWriter) {
            w.beginObject()
            w.member("enforcementLevel", enforcementLevel)
            w.member("outcome", outcome)
            if let proposedFix { w.member("proposedFix", proposedFix) }
            if let remediation { w.member("remediation", remediation) }
            w.member("severity", severity)
            w.member("stack", stack)
            w.endObject()
        }
    }

    struct Location: SARIFValue {
        var physicalLocation: PhysicalLocation?
        /// The location's one logical location, if any.
        var logicalLocation: LogicalLocation?

        func write(to w: inout JSONWriter) {
            w.beginObject()
            if let logicalLocation { w.member("logicalLocations", one: logicalLocation) }
            if let physicalLocation { w.member("physicalLocation", physicalLocation) }
            w.endObject()
        }
    }

    struct PhysicalLocation: SARIFValue {
        /// `artifactLocation.uri`.
        var uri: String
        var region: Region?

        func write(to w: inout JSONWriter) {
            w.beginObject()
            w.key("artifactLocation"); w.beginObject()
            w.member("uri", uri)
            w.endObject()
            if let region { w.member("region", region) }
            w.endObject()
        }
    }

    struct Region: SARIFValue {
        var startLine: Int
        var startColumn: Int?

        func write(to w: inout JSONWriter) {
            w.beginObject()
            if let startColumn { w.key("startColumn"); w.number(startColumn) }
            w.key("startLine"); w.number(startLine)
            w.endObject()
        }
    }

    struct LogicalLocation: SARIFValue {
        var name: String
        var fullyQualifiedName: String
        var kind: String

        func write(to w: inout JSONWriter) {
            w.beginObject()
            w.member("fullyQualifiedName", fullyQualifiedName)
            w.member("kind", kind)
            w.member("name", name)
            w.endObject()
        }
    }

    struct Suppression: SARIFValue {
        var kind: String
        var status: String
        var justification: String

        func write(to w: inout JSONWriter) {
            w.beginObject()
            w.member("justification", justification)
            w.member("kind", kind)
            w.member("status", status)
            w.endObject()
        }
    }
}
