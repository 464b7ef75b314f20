import RampartJSON

/// A SARIF object that writes itself to a JSONWriter. Members are written in byte order of their names (the order
/// the log has always had, so diffs between versions stay small); optional members left nil are not written.
protocol SARIFValue {
    func write(to w: inout JSONWriter)
}

extension JSONWriter {
    mutating func member(_ name: Key, _ value: some SARIFValue) {
        key(name)
        value.write(to: &self)
    }

    mutating func member(_ name: Key, _ values: [some SARIFValue]) {
        key(name)
        beginArray()
        for value in values { value.write(to: &self) }
        endArray()
    }

    /// `name: [value]`, for the arrays Rampart always writes with one element (no array allocated per result).
    mutating func member(_ name: Key, one value: some SARIFValue) {
        key(name)
        beginArray()
        value.write(to: &self)
        endArray()
    }
}

/// The member names the log writes, escaped once: a result has ~20, and escaping each name as it was written cost
/// half of writing a result.
enum SARIFKey {
    static let artifactLocation = JSONWriter.Key("artifactLocation")
    static let baselineState = JSONWriter.Key("baselineState")
    static let defaultConfiguration = JSONWriter.Key("defaultConfiguration")
    static let driver = JSONWriter.Key("driver")
    static let endTimeUtc = JSONWriter.Key("endTimeUtc")
    static let enforcementLevel = JSONWriter.Key("enforcementLevel")
    static let executionSuccessful = JSONWriter.Key("executionSuccessful")
    static let exitCode = JSONWriter.Key("exitCode")
    static let failOn = JSONWriter.Key("failOn")
    static let failed = JSONWriter.Key("failed")
    static let fullDescription = JSONWriter.Key("fullDescription")
    static let fullyQualifiedName = JSONWriter.Key("fullyQualifiedName")
    static let help = JSONWriter.Key("help")
    static let id = JSONWriter.Key("id")
    static let informationUri = JSONWriter.Key("informationUri")
    static let invocations = JSONWriter.Key("invocations")
    static let justification = JSONWriter.Key("justification")
    static let kind = JSONWriter.Key("kind")
    static let level = JSONWriter.Key("level")
    static let locations = JSONWriter.Key("locations")
    static let logicalLocations = JSONWriter.Key("logicalLocations")
    static let markdown = JSONWriter.Key("markdown")
    static let message = JSONWriter.Key("message")
    static let name = JSONWriter.Key("name")
    static let outcome = JSONWriter.Key("outcome")
    static let pack = JSONWriter.Key("pack")
    static let partialFingerprints = JSONWriter.Key("partialFingerprints")
    static let physicalLocation = JSONWriter.Key("physicalLocation")
    static let properties = JSONWriter.Key("properties")
    static let proposedFix = JSONWriter.Key("proposedFix")
    static let region = JSONWriter.Key("region")
    static let remediation = JSONWriter.Key("remediation")
    static let results = JSONWriter.Key("results")
    static let ruleId = JSONWriter.Key("ruleId")
    static let ruleIndex = JSONWriter.Key("ruleIndex")
    static let rules = JSONWriter.Key("rules")
    static let runs = JSONWriter.Key("runs")
    static let schema = JSONWriter.Key("$schema")
    static let securitySeverity = JSONWriter.Key("security-severity")
    static let severity = JSONWriter.Key("severity")
    static let shortDescription = JSONWriter.Key("shortDescription")
    static let stack = JSONWriter.Key("stack")
    static let stacks = JSONWriter.Key("stacks")
    static let startColumn = JSONWriter.Key("startColumn")
    static let startLine = JSONWriter.Key("startLine")
    static let status = JSONWriter.Key("status")
    static let suppressions = JSONWriter.Key("suppressions")
    static let tags = JSONWriter.Key("tags")
    static let text = JSONWriter.Key("text")
    static let tool = JSONWriter.Key("tool")
    static let toolExecutionNotifications = JSONWriter.Key("toolExecutionNotifications")
    static let uri = JSONWriter.Key("uri")
    static let verdict = JSONWriter.Key("verdict")
    static let version = JSONWriter.Key("version")
    /// `partialFingerprints`' one member (`SARIFReporter.fingerprintKey`).
    static let fingerprint = JSONWriter.Key(SARIFReporter.fingerprintKey)
}

/// The parts of the SARIF 2.1.0 object model Rampart writes, as typed values (field names are SARIF's).
/// The log's one run and its results are written by `SARIFReporter` itself, so results stream out one at a time,
/// each written straight from its finding.
enum SARIF {
    static let schema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    static let version = "2.1.0"

    struct RunProperties: SARIFValue {
        var verdict: Verdict
        var stacks: [String]

        func write(to w: inout JSONWriter) {
            w.beginObject()
            w.key(SARIFKey.stacks); w.beginArray()
            for stack in stacks { w.string(stack) }
            w.endArray()
            w.member(SARIFKey.verdict, verdict)
            w.endObject()
        }
    }

    struct Verdict: SARIFValue {
        var failed: Bool
        var exitCode: Int
        var failOn: String

        func write(to w: inout JSONWriter) {
            w.beginObject()
            w.key(SARIFKey.exitCode); w.number(exitCode)
            w.member(SARIFKey.failOn, failOn)
            w.key(SARIFKey.failed); w.bool(failed)
            w.endObject()
        }
    }

    struct Tool: SARIFValue {
        var driver: Driver

        func write(to w: inout JSONWriter) {
            w.beginObject()
            w.member(SARIFKey.driver, driver)
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
            if let informationUri { w.member(SARIFKey.informationUri, informationUri) }
            w.member(SARIFKey.name, name)
            w.member(SARIFKey.rules, rules)
            w.member(SARIFKey.version, version)
            w.endObject()
        }
    }

    struct Invocation: SARIFValue {
        var executionSuccessful: Bool
        var endTimeUtc: String?
        var toolExecutionNotifications: [Notification]?

        func write(to w: inout JSONWriter) {
            w.beginObject()
            if let endTimeUtc { w.member(SARIFKey.endTimeUtc, endTimeUtc) }
            w.key(SARIFKey.executionSuccessful); w.bool(executionSuccessful)
            if let toolExecutionNotifications { w.member(SARIFKey.toolExecutionNotifications, toolExecutionNotifications) }
            w.endObject()
        }
    }

    struct Notification: SARIFValue {
        var level: String
        var message: Message
        var locations: [Location]?

        func write(to w: inout JSONWriter) {
            w.beginObject()
            w.member(SARIFKey.level, level)
            if let locations { w.member(SARIFKey.locations, locations) }
            w.member(SARIFKey.message, message)
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
            w.key(SARIFKey.defaultConfiguration); w.beginObject()
            w.member(SARIFKey.level, level)
            w.endObject()
            w.member(SARIFKey.fullDescription, fullDescription)
            w.member(SARIFKey.help, help)
            w.member(SARIFKey.id, id)
            w.member(SARIFKey.name, name)
            w.member(SARIFKey.properties, properties)
            w.member(SARIFKey.shortDescription, shortDescription)
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
            w.member(SARIFKey.pack, pack)
            w.member(SARIFKey.securitySeverity, securitySeverity)
            w.member(SARIFKey.severity, severity)
            w.key(SARIFKey.tags); w.beginArray()
            for tag in tags { w.string(tag) }
            w.endArray()
            w.endObject()
        }
    }

    struct Message: SARIFValue {
        var text: String

        func write(to w: inout JSONWriter) {
            w.beginObject()
            w.member(SARIFKey.text, text)
            w.endObject()
        }
    }

    struct MultiformatMessage: SARIFValue {
        var text: String
        var markdown: String

        func write(to w: inout JSONWriter) {
            w.beginObject()
            w.member(SARIFKey.markdown, markdown)
            w.member(SARIFKey.text, text)
            w.endObject()
        }
    }

    /// A notification's location.
    struct Location: SARIFValue {
        var physicalLocation: PhysicalLocation?

        func write(to w: inout JSONWriter) {
            w.beginObject()
            if let physicalLocation { w.member(SARIFKey.physicalLocation, physicalLocation) }
            w.endObject()
        }
    }

    struct PhysicalLocation: SARIFValue {
        /// `artifactLocation.uri`.
        var uri: String
        var region: Region?

        func write(to w: inout JSONWriter) {
            w.beginObject()
            w.key(SARIFKey.artifactLocation); w.beginObject()
            w.member(SARIFKey.uri, uri)
            w.endObject()
            if let region { w.member(SARIFKey.region, region) }
            w.endObject()
        }
    }

    struct Region: SARIFValue {
        var startLine: Int
        var startColumn: Int?

        func write(to w: inout JSONWriter) {
            w.beginObject()
            if let startColumn { w.key(SARIFKey.startColumn); w.number(startColumn) }
            w.key(SARIFKey.startLine); w.number(startLine)
            w.endObject()
        }
    }

    struct Suppression: SARIFValue {
        var kind: String
        var status: String
        var justification: String

        func write(to w: inout JSONWriter) {
            w.beginObject()
            w.member(SARIFKey.justification, justification)
            w.member(SARIFKey.kind, kind)
            w.member(SARIFKey.status, status)
            w.endObject()
        }
    }
}
