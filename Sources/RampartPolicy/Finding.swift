import CCacheHints
import RampartJSON
import RampartModel

/// A violation, indeterminate outcome or policy error, ready to report.
///
/// A report holds hundreds of thousands of findings and every phase after evaluation (report building, baseline,
/// hygiene, each reporter) passes them around, so a finding is one reference to an immutable box: a copy costs one
/// reference count. The box is kept small, because a dense scan holds every finding until its reports are written:
/// - what every finding of one policy on one stack repeats (stack, pack, policy, severity, remediation) is one
///   shared `Origin`, made once per policy and stack;
/// - the fingerprint is its two hash lanes, written as hex only when a reporter prints it;
/// - fields few findings set (proposed fix, location, detail key, exemption) sit in a second box, absent when unset.
public struct Finding: Sendable, Hashable {
    /// What every finding of one policy on one stack shares. Compared by content.
    public final class Origin: Sendable, Hashable {
        public let stack: String
        public let pack: String
        public let policy: String
        public let severity: Severity
        public let remediation: String?

        public init(stack: String, pack: String, policy: String, severity: Severity, remediation: String?) {
            self.stack = stack
            self.pack = pack
            self.policy = policy
            self.severity = severity
            self.remediation = remediation
        }

        fileprivate func replacing(stack: String? = nil, pack: String? = nil, policy: String? = nil,
                                   severity: Severity? = nil, remediation: String?? = nil) -> Origin {
            Origin(stack: stack ?? self.stack, pack: pack ?? self.pack, policy: policy ?? self.policy,
                   severity: severity ?? self.severity, remediation: remediation ?? self.remediation)
        }

        public static func == (lhs: Origin, rhs: Origin) -> Bool {
            lhs === rhs || (lhs.stack == rhs.stack && lhs.pack == rhs.pack && lhs.policy == rhs.policy
                            && lhs.severity == rhs.severity && lhs.remediation == rhs.remediation)
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(stack)
            hasher.combine(pack)
            hasher.combine(policy)
            hasher.combine(severity)
            hasher.combine(remediation)
        }
    }

    /// The fields most findings leave unset.
    private struct Details: Hashable, Sendable {
        var proposedFix: String?
        var location: SourceLocation?
        var detailKey: String?
        var exemption: ExemptionRecord?
        /// The fingerprint when it is not 32 lowercase hex digits (findings made by hand); nil when the lanes hold it.
        var fingerprintText: String?

        var isEmpty: Bool {
            proposedFix == nil && location == nil && detailKey == nil && exemption == nil && fingerprintText == nil
        }
    }

    /// Immutable, like `Box`; nil in a finding whose details are all unset, so equal findings store them alike.
    private final class DetailsBox: Sendable {
        let details: Details
        init(_ details: Details) { self.details = details }
        static func make(_ details: Details) -> DetailsBox? { details.isEmpty ? nil : DetailsBox(details) }
    }

    private struct Fields: Sendable {
        var origin: Origin
        var resource: ResourceRef?
        var message: String
        var fingerprint: FingerprintLanes
        var enforcementLevel: EnforcementLevel
        var outcome: OutcomeKind
        var baselined: Bool
        var details: DetailsBox?
    }

    /// Immutable, so reading a field needs no exclusivity check; a change makes a new box (changes are rare: an
    /// exemption or a baseline mark on some findings).
    private final class Box: Sendable {
        let fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    private var box: Box

    private mutating func mutate(_ change: (inout Fields) -> Void) {
        var fields = box.fields
        change(&fields)
        box = Box(fields)
    }

    private mutating func mutateDetails(_ change: (inout Details) -> Void) {
        var details = box.fields.details?.details ?? Details()
        change(&details)
        mutate { $0.details = DetailsBox.make(details) }
    }

    /// What this finding shares with every finding of its policy on its stack.
    public var origin: Origin { box.fields.origin }
    /// Reads the origin in place: a copy of it (`origin`) writes the reference count every finding of the policy
    /// shares, from every thread that renders them.
    public func withOrigin<Result>(_ body: (Origin) throws -> Result) rethrows -> Result {
        try body(box.fields.origin)
    }

    public var stack: String {
        get { box.fields.origin.stack }
        set { mutate { $0.origin = $0.origin.replacing(stack: newValue) } }
    }
    /// nil for findings not tied to a resource (config files, the organisation).
    public var resource: ResourceRef? {
        _read { yield box.fields.resource }
        set { mutate { $0.resource = newValue } }
    }
    /// Reads the resource in place, without copying its strings out of the finding.
    public func withResource<Result>(_ body: (ResourceRef?) throws -> Result) rethrows -> Result {
        try body(box.fields.resource)
    }
    public var pack: String {
        get { box.fields.origin.pack }
        set { mutate { $0.origin = $0.origin.replacing(pack: newValue) } }
    }
    public var policy: String {
        get { box.fields.origin.policy }
        set { mutate { $0.origin = $0.origin.replacing(policy: newValue) } }
    }
    /// Effective level: advisory or mandatory (remediate without a fix reports as mandatory).
    public var enforcementLevel: EnforcementLevel {
        get { box.fields.enforcementLevel }
        set { mutate { $0.enforcementLevel = newValue } }
    }
    public var severity: Severity {
        get { box.fields.origin.severity }
        set { mutate { $0.origin = $0.origin.replacing(severity: newValue) } }
    }
    /// violation, indeterminate or error.
    public var outcome: OutcomeKind {
        get { box.fields.outcome }
        set { mutate { $0.outcome = newValue } }
    }
    public var message: String {
        _read { yield box.fields.message }
        set { mutate { $0.message = newValue } }
    }
    /// Reads the message in place: a copy of it (`message`) retains its storage, and a reporter writing findings
    /// in report order meets each message cold, so the retain's locked write waits for the miss with nothing else
    /// in flight.
    public func withMessage<Result>(_ body: (String) throws -> Result) rethrows -> Result {
        try body(box.fields.message)
    }
    public var remediation: String? {
        get { box.fields.origin.remediation }
        set { mutate { $0.origin = $0.origin.replacing(remediation: .some(newValue)) } }
    }
    /// The fix the policy proposes (remediate level).
    public var proposedFix: String? {
        get { box.fields.details?.details.proposedFix }
        set { mutateDetails { $0.proposedFix = newValue } }
    }
    public var location: SourceLocation? {
        get { box.fields.details?.details.location }
        set { mutateDetails { $0.location = newValue } }
    }
    /// Distinguishes several findings of one policy on one subject.
    public var detailKey: String? {
        get { box.fields.details?.details.detailKey }
        set { mutateDetails { $0.detailKey = newValue } }
    }
    /// Stable id (stack, pack, policy, URN, detail key), 32 lowercase hex digits for every finding the engine makes.
    public var fingerprint: String {
        get { box.fields.details?.details.fingerprintText ?? box.fields.fingerprint.hex }
        set {
            let lanes = FingerprintLanes(hex: newValue)
            mutate { $0.fingerprint = lanes ?? FingerprintLanes(high: 0, low: 0) }
            mutateDetails { $0.fingerprintText = lanes == nil ? newValue : nil }
        }
    }
    /// The fingerprint's UTF-8 bytes, without making a string of them.
    public func withFingerprintUTF8<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        if var text = box.fields.details?.details.fingerprintText { return try text.withUTF8(body) }
        return try box.fields.fingerprint.withHex(body)
    }
    /// Set when an exemption applies; the finding then does not count towards the verdict.
    public var exemption: ExemptionRecord? {
        get { box.fields.details?.details.exemption }
        set { mutateDetails { $0.exemption = newValue } }
    }
    /// Set when a baseline lists the finding; it then does not count towards the verdict.
    public var baselined: Bool {
        get { box.fields.baselined }
        set { mutate { $0.baselined = newValue } }
    }

    public init(stack: String, resource: ResourceRef?, pack: String, policy: String, enforcementLevel: EnforcementLevel,
                severity: Severity, outcome: OutcomeKind, message: String, remediation: String? = nil,
                proposedFix: String? = nil, location: SourceLocation? = nil, detailKey: String? = nil,
                fingerprint: String, exemption: ExemptionRecord? = nil, baselined: Bool = false) {
        let lanes = FingerprintLanes(hex: fingerprint)
        box = Box(Fields(origin: Origin(stack: stack, pack: pack, policy: policy, severity: severity, remediation: remediation),
                         resource: resource, message: message, fingerprint: lanes ?? FingerprintLanes(high: 0, low: 0),
                         enforcementLevel: enforcementLevel, outcome: outcome, baselined: baselined,
                         details: DetailsBox.make(Details(proposedFix: proposedFix, location: location, detailKey: detailKey,
                                                          exemption: exemption,
                                                          fingerprintText: lanes == nil ? fingerprint : nil))))
    }

    /// A finding of the policy `origin` describes, sharing it: how the engine makes its findings, one origin per
    /// policy and stack.
    public init(origin: Origin, resource: ResourceRef?, enforcementLevel: EnforcementLevel, outcome: OutcomeKind,
                message: String, fingerprint: FingerprintLanes, proposedFix: String? = nil, location: SourceLocation? = nil,
                detailKey: String? = nil, exemption: ExemptionRecord? = nil) {
        // Most findings set none of the details: then no `Details` is made only to be found empty (its optionals
        // copied and destroyed, ~300 instructions a finding).
        let none = proposedFix == nil && location == nil && detailKey == nil && exemption == nil
        box = Box(Fields(origin: origin, resource: resource, message: message, fingerprint: fingerprint,
                         enforcementLevel: enforcementLevel, outcome: outcome, baselined: false,
                         details: none ? nil : DetailsBox.make(Details(proposedFix: proposedFix, location: location,
                                                                       detailKey: detailKey, exemption: exemption))))
    }

    /// Whether this finding counts towards the verdict.
    public var isActive: Bool {
        // Most findings have no details; comparing an exemption with nil copied the optional record out first.
        guard !box.fields.baselined else { return false }
        guard let details = box.fields.details else { return true }
        return details.details.exemption == nil
    }

    // Equal and hashed by content, like the plain struct it replaces.
    public static func == (lhs: Finding, rhs: Finding) -> Bool {
        if lhs.box === rhs.box { return true }
        let l = lhs.box.fields, r = rhs.box.fields
        return l.fingerprint == r.fingerprint && l.enforcementLevel == r.enforcementLevel && l.outcome == r.outcome
            && l.baselined == r.baselined && l.origin == r.origin && l.resource == r.resource && l.message == r.message
            && l.details?.details == r.details?.details
    }

    public func hash(into hasher: inout Hasher) {
        let f = box.fields
        hasher.combine(f.origin)
        hasher.combine(f.resource)
        hasher.combine(f.message)
        hasher.combine(f.fingerprint)
        hasher.combine(f.enforcementLevel)
        hasher.combine(f.outcome)
        hasher.combine(f.baselined)
        hasher.combine(f.details?.details)
    }
}

/// A finding's stable id as its two 64-bit hash lanes (RampartEngine's `Fingerprint` computes them), printed as 32
/// lowercase hex digits: the first lane's 16, then the second's.
public struct FingerprintLanes: Sendable, Hashable {
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The lanes of a fingerprint written as exactly 32 lowercase hex digits; nil for any other text.
    public init?(hex: String) {
        var text = hex
        guard let lanes = text.withUTF8({ bytes -> FingerprintLanes? in
            guard bytes.count == 32 else { return nil }
            var lanes: (UInt64, UInt64) = (0, 0)
            for (i, byte) in bytes.enumerated() {
                let digit: UInt8
                switch byte {
                case 0x30...0x39: digit = byte - 0x30
                case 0x61...0x66: digit = byte - 0x61 + 10
                default: return nil
                }
                if i < 16 { lanes.0 = lanes.0 << 4 | UInt64(digit) } else { lanes.1 = lanes.1 << 4 | UInt64(digit) }
            }
            return FingerprintLanes(high: lanes.0, low: lanes.1)
        }) else { return nil }
        self = lanes
    }

    /// The 32 hex digits, written into a buffer on the stack and handed to `body`.
    ///
    /// The digits live in a tuple: `withUnsafeTemporaryAllocation`, called from this generic function (which other
    /// modules call unspecialised), looked up the metadata of `Result` at run time on every call. Each word of eight
    /// digits is made in one go (`hexDigits`), where a table lookup a digit took ~270 instructions a fingerprint.
    public func withHex<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        var digits = (FingerprintLanes.hexDigits(UInt32(truncatingIfNeeded: high >> 32)),
                      FingerprintLanes.hexDigits(UInt32(truncatingIfNeeded: high)),
                      FingerprintLanes.hexDigits(UInt32(truncatingIfNeeded: low >> 32)),
                      FingerprintLanes.hexDigits(UInt32(truncatingIfNeeded: low)))
        return try withUnsafeBytes(of: &digits) { raw in
            try body(UnsafeBufferPointer(start: raw.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: UInt8.self), count: 32))
        }
    }

    /// The eight lowercase hex digits of `value`, most significant first, as the bytes of a word in memory order.
    /// Each nibble is spread into a byte of its own (nibble i in byte i), the bytes are reversed so the most
    /// significant digit comes first, and each becomes its digit: `0` added, and 39 more (`a` − `0` − 10) to each
    /// nibble above 9, which is the one whose byte reaches 16 when 6 is added.
    @inline(__always)
    private static func hexDigits(_ value: UInt32) -> UInt64 {
        var v = UInt64(value)
        v = (v | v << 16) & 0x0000_FFFF_0000_FFFF
        v = (v | v << 8) & 0x00FF_00FF_00FF_00FF
        v = (v | v << 4) & 0x0F0F_0F0F_0F0F_0F0F
        v = v.byteSwapped
        let letters = ((v &+ 0x0606_0606_0606_0606) >> 4) & 0x0101_0101_0101_0101
        return (v &+ 0x3030_3030_3030_3030 &+ letters &* 39).littleEndian
    }

    /// The 32 hex digits as a string.
    public var hex: String {
        String(unsafeUninitializedCapacity: 32) { buffer in
            withHex { digits in
                _ = buffer.initialize(from: digits)
                return 32
            }
        }
    }
}

/// Cache hints for passes over many findings: findings are assembled in evaluation order and read in report order
/// (docs/performance.md, round twenty), so in report order each is a cache miss unless asked for ahead.
extension Finding {
    /// What a reporter writing findings one by one in report order asks for before writing the one at `index`:
    /// the storage of the finding eight on and the message text of the one four on, far enough for each to
    /// arrive while the findings between are written (the message is found through the storage).
    public static func prefetchAhead(of index: Int, in findings: UnsafeBufferPointer<Finding>) {
        prefetchStorage(at: index &+ 8, in: findings)
        prefetchTexts(at: index &+ 4, in: findings)
    }

    /// Asks the processor for the storage of the finding at `index` of `findings` (nothing past the end). The
    /// finding is not copied: a copy retains its storage, a locked write that waits for the very line asked for.
    public static func prefetchStorage(at index: Int, in findings: UnsafeBufferPointer<Finding>) {
        guard index < findings.count else { return }
        let storage = self.storage(at: index, in: findings)
        rampart_prefetch_read(storage)
        rampart_prefetch_read(storage + 64)
    }

    /// Asks the processor for the texts of the finding at `index` of `findings` (nothing past the end) that a
    /// report reads cold: its message and its resource's URN (findings come policy by policy, so consecutive ones
    /// are on different resources). Its storage is read to find them.
    public static func prefetchTexts(at index: Int, in findings: UnsafeBufferPointer<Finding>) {
        guard index < findings.count else { return }
        let box = storage(at: index, in: findings)
        prefetchText(of: box + messageOffset)
        prefetchText(of: box + urnOffset)
    }

    /// Asks for the text of the string stored at `string`. Its second word holds a native string's storage address
    /// in its low bits (the text follows a 32-byte header). A hint only: for a string stored otherwise (a short one
    /// inline, or no resource at all) the address is meaningless, and a prefetch of any address is harmless.
    private static func prefetchText(of string: UnsafeRawPointer) {
        let object = (string + 8).load(as: UInt.self) & 0x0FFF_FFFF_FFFF_FFFF
        guard let text = UnsafeRawPointer(bitPattern: object &+ 32) else { return }
        rampart_prefetch_read(text)
        rampart_prefetch_read(text + 64)
    }

    /// The address of the box of the finding at `index`: a finding is one reference to its box, its only stored
    /// property (`FindingAssemblyTests` checks the size), read here without making a reference.
    private static func storage(at index: Int, in findings: UnsafeBufferPointer<Finding>) -> UnsafeRawPointer {
        UnsafeRawPointer(findings.baseAddress! + index).load(as: UnsafeRawPointer.self)
    }

    /// Where the message lies in a finding's box: after the object's 16-byte header, at its place in `Fields`.
    private static let messageOffset = 16 + MemoryLayout<Fields>.offset(of: \Fields.message)!
    /// Where the resource's URN lies in a finding's box (an optional resource keeps its value at its own place).
    private static let urnOffset = 16 + MemoryLayout<Fields>.offset(of: \Fields.resource)! + MemoryLayout<ResourceRef>.offset(of: \ResourceRef.urn)!
}

extension Array where Element == Finding {
    /// `contains(where:)` for a pass over many findings in report order, asking for each one's storage ahead
    /// (`Finding.prefetchStorage`): far ahead, since a predicate on a few fields takes little time per finding. With
    /// more than one worker, a long list is searched in slices at once (`Parallel.contains`): a scan's verdict is
    /// such a pass over every finding, alone on one core otherwise (~13 ms at 270,000 findings).
    public func containsReadingAhead(workers: Int = 1, where predicate: @escaping @Sendable (Finding) -> Bool) -> Bool {
        let findings = self
        return Parallel.contains(count, workers: workers, minimum: Self.findingsPerSlice) { range, stopped in
            findings.withUnsafeBufferPointer { buffer in
                for i in range {
                    // Told every 4,096 findings (~0.2 ms) whether another slice has already found one.
                    if i & 4095 == 0, stopped() { return false }
                    Finding.prefetchStorage(at: i &+ 32, in: buffer)
                    if predicate(buffer[i]) { return true }
                }
                return false
            }
        }
    }

    /// Fewest findings worth a thread of their own in `containsReadingAhead` (~1 ms of the pass).
    static let findingsPerSlice = 16_384
}
