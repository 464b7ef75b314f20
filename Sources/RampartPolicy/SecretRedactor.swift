import RampartJSON
import RampartModel

/// Removes secret values from text before it reaches any report. Built from every secret in a stack (plaintexts
/// of decrypted secrets, ciphertexts of encrypted ones) plus any extra strings a caller knows to be secret.
public struct SecretRedactor: Sendable {
    /// Secret strings, longest first so that overlapping secrets are removed whole.
    public var secrets: [String] { patterns.map { String(decoding: $0, as: UTF8.self) } }
    public static let replacement = "[secret]"
    private static let replacementBytes = Array(replacement.utf8)
    /// Strings shorter than this (in UTF-8 bytes) are not treated as secrets (would redact words like "true").
    public static let minimumLength = 4

    /// The secrets' UTF-8 bytes, each once, longest first (equal lengths in descending byte order, so the order
    /// does not depend on the order they were found in).
    private var patterns: [[UInt8]] = []
    /// Indexes into `patterns` by their first four bytes: a message is scanned once, looking up each 4-byte window,
    /// so redaction costs O(message length) however many secrets the stack holds.
    private var byPrefix: [UInt32: [Int]] = [:]
    /// One bit per hashed 4-byte prefix of some secret, at least 64 bits per secret (4,096 to 2^20 bits, so a
    /// stack's ten thousand secrets set 1–2 % of them and a stack with few costs half a kilobyte). Almost every
    /// window of a message starts no secret; the bit test rejects those without a dictionary lookup.
    private var prefixFilter: [UInt64] = []
    /// 64 minus the filter's bits in the prefix's hash: the shift that leaves a bit's index.
    private var filterShift: UInt64 = 52
    /// The first bytes of every secret when they are at most two (the same one twice when one): a stack's
    /// ciphertexts all start alike (`v1:` from a passphrase, `AAAB` from Pulumi Cloud). A message is then searched
    /// for those bytes sixteen at a time, and only the positions holding one are looked at.
    private var leads: (UInt8, UInt8)?

    public init(secrets: [String] = []) {
        add(secrets)
    }

    /// Adds secrets. They are compared, sorted and made unique as bytes, which is what matching compares: a stack
    /// holds thousands, and sorting them as `String`s (Unicode-aware comparison) cost more than finding them.
    public mutating func add(_ more: [String]) {
        var all = patterns
        for s in more where s.utf8.count >= SecretRedactor.minimumLength { all.append(Array(s.utf8)) }
        all.sort { a, b in
            if a.count != b.count { return a.count > b.count }
            return b.lexicographicallyPrecedes(a)
        }
        patterns = []
        patterns.reserveCapacity(all.count)
        for pattern in all where patterns.last != pattern { patterns.append(pattern) }
        byPrefix = [:]
        var bits = 12
        while bits < 20 && 1 << bits < 64 * patterns.count { bits += 1 }
        filterShift = UInt64(64 - bits)
        prefixFilter = [UInt64](repeating: 0, count: 1 << (bits - 6))
        var firstBytes: Set<UInt8> = []
        for (i, pattern) in patterns.enumerated() {
            let prefix = SecretRedactor.prefix(pattern, 0)
            byPrefix[prefix, default: []].append(i)
            let bit = filterBit(prefix)
            prefixFilter[bit >> 6] |= 1 << UInt64(bit & 63)
            firstBytes.insert(pattern[0])
        }
        let sorted = firstBytes.sorted()
        leads = sorted.count <= 2 ? sorted.first.map { ($0, sorted.last ?? $0) } : nil
    }

    @inline(__always)
    private func filterBit(_ prefix: UInt32) -> Int {
        Int(truncatingIfNeeded: (UInt64(prefix) &* 0x9E37_79B9_7F4A_7C15) &>> filterShift)
    }

    @inline(__always)
    private static func prefix<C: RandomAccessCollection>(_ bytes: C, _ at: C.Index) -> UInt32 where C.Element == UInt8 {
        var value: UInt32 = 0
        var i = at
        for _ in 0..<4 {
            value = value << 8 | UInt32(bytes[i])
            i = bytes.index(after: i)
        }
        return value
    }

    /// Every secret held by the stack's resources (inputs and outputs, at any depth).
    ///
    /// Secrets are found by searching each input document the resources were read from (`ResourceGraph.documents`)
    /// for objects carrying Pulumi's signature key (`JSONDocument.objects(holding:)`: the objects the parser listed
    /// when it marked that key, otherwise one pass over the tape), rather than by walking every property value. That
    /// also takes in secrets elsewhere in those documents (a preview's old states, pending operations): more to
    /// redact, never less.
    ///
    /// The objects are read on up to `workers` threads, a slice each through a handle of its own on the document
    /// (`JSONDocument.sharingStorage()`); the secrets are the same for any number of workers.
    public init(stack: Stack, workers: Int = 1) {
        var found: [String] = []
        for document in stack.graph.documents {
            let objects = document.objects(mayHold: PulumiSignature.marked)
            let tasks = Parallel.taskCount(items: objects.count, workers: workers, minimum: SecretRedactor.objectsPerTask)
            let slices = Parallel.map(tasks, workers: workers) { task -> [String] in
                var collector = SecretCollector()
                let handle = tasks > 1 ? document.sharingStorage() : document
                for i in Parallel.slice(task, of: tasks, items: objects.count) {
                    collector.visitSignature(objects[i].reading(through: handle))
                }
                return collector.found
            }
            for slice in slices { found += slice }
        }
        self.init(secrets: found)
    }

    /// The redactor of every secret of `stack`, kept in its graph's cache, so a stack evaluated twice (scan and
    /// audit, several engines) walks its secrets once. Built outside the cache's lock, which the joins of a running
    /// evaluation take for every resource they judge: the evaluation collects a large stack's secrets on one of its
    /// workers while the others evaluate (`StackEvaluator.collectsSecrets`). Two callers at once may both build it;
    /// the first stored is kept, and both are the same.
    public static func of(_ stack: Stack, workers: Int) -> SecretRedactor {
        let cache = stack.graph.cache
        if let cached = cache.existing(stackKey) { return cached }
        let built = SecretRedactor(stack: stack, workers: workers)
        return cache.value(stackKey) { built }
    }

    private static let stackKey = GraphCache.Key<SecretRedactor>("secret-redactor")

    /// Fewest signature objects worth a worker of their own in `init(stack:workers:)`.
    static let objectsPerTask = 1_024

    public var isEmpty: Bool { patterns.isEmpty }

    /// `text` with every secret replaced by `[secret]`. At each position the longest secret that starts there wins.
    /// Matching on UTF-8 bytes is safe: a secret starts with a lead or ASCII byte, never inside a character.
    public func redact(_ text: String) -> String {
        guard !patterns.isEmpty, text.utf8.count >= SecretRedactor.minimumLength else { return text }
        var text = text
        // Scanned in place; a copy is made only when a secret is found.
        let redacted = text.withUTF8 { bytes -> String? in
            guard let first = firstSecret(in: bytes) else { return nil }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            out.append(contentsOf: bytes[0..<first])
            var i = first
            while i < bytes.count {
                if let hit = secret(at: i, in: bytes) {
                    out.append(contentsOf: SecretRedactor.replacementBytes)
                    i += patterns[hit].count
                } else {
                    out.append(bytes[i])
                    i += 1
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
        return redacted ?? text
    }

    /// Where the first secret in `bytes` starts, nil when none does. The 4-byte window is rolled on a byte at a
    /// time and tested against the prefix filter through a pointer: this loop is the whole cost of redacting a
    /// message that holds no secret (nearly all of them).
    private func firstSecret(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let p = bytes.baseAddress, bytes.count >= 4 else { return nil }
        if let leads { return firstSecret(in: bytes, leads: leads) }
        let n = bytes.count
        return prefixFilter.withUnsafeBufferPointer { filterBuffer -> Int? in
            let filter = filterBuffer.baseAddress.unsafelyUnwrapped
            var window = UInt32(p[0]) << 24 | UInt32(p[1]) << 16 | UInt32(p[2]) << 8 | UInt32(p[3])
            var i = 0
            while true {
                let bit = filterBit(window)
                if filter[bit &>> 6] & (1 &<< UInt64(bit & 63)) != 0, secret(at: i, in: bytes) != nil { return i }
                i &+= 1
                if i &+ 4 > n { return nil }
                window = window &<< 8 | UInt32(p[i &+ 3])
            }
        }
    }

    /// `firstSecret(in:)` when every secret starts with `leads.0` or `leads.1`: sixteen bytes compared with both at
    /// a time, and a position checked (`secret(at:in:)`, prefix filter first) only where one of them is.
    private func firstSecret(in bytes: UnsafeBufferPointer<UInt8>, leads: (UInt8, UInt8)) -> Int? {
        let p = bytes.baseAddress.unsafelyUnwrapped, n = bytes.count
        let last = n &- SecretRedactor.minimumLength  // the last position a secret can start at
        func startsSecret(_ k: Int) -> Bool { (p[k] == leads.0 || p[k] == leads.1) && secret(at: k, in: bytes) != nil }
        let a = SIMD16<UInt8>(repeating: leads.0), b = SIMD16<UInt8>(repeating: leads.1)
        var i = 0
        while i &+ 16 <= n {
            let block = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<UInt8>.self)
            if any((block .== a) .| (block .== b)) {
                for k in i..<Swift.min(i &+ 16, last &+ 1) where startsSecret(k) { return k }
            }
            i &+= 16
        }
        while i <= last {
            if startsSecret(i) { return i }
            i &+= 1
        }
        return nil
    }

    /// The index of the longest secret that starts at `i`, nil when none does.
    private func secret(at i: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard i + 4 <= bytes.count else { return nil }
        let prefix = SecretRedactor.prefix(bytes, i)
        guard mayStartSecret(prefix), let candidates = byPrefix[prefix] else { return nil }
        return candidates.first { matches(patterns[$0], bytes, at: i) }
    }

    @inline(__always)
    private func mayStartSecret(_ prefix: UInt32) -> Bool {
        let bit = filterBit(prefix)
        return prefixFilter[bit >> 6] & (1 << UInt64(bit & 63)) != 0
    }

    private func matches(_ pattern: [UInt8], _ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        guard start + pattern.count <= bytes.count else { return false }
        for j in 4..<pattern.count where bytes[start + j] != pattern[j] { return false }
        return true
    }
}

/// Gathers the strings that are secret from objects carrying Pulumi's signature key.
struct SecretCollector {
    var found: [String] = []

    /// An object with Pulumi's signature key: a secret's ciphertext or plaintext (and every scalar inside a JSON
    /// plaintext) is collected; assets, archives and references hold none.
    mutating func visitSignature(_ node: JSONNode) {
        guard let sig = node[PulumiSignature.key], sig.stringEquals(PulumiSignature.secret) else { return }
        if let ciphertext = node["ciphertext"]?.string, ciphertext != SecretRedactor.replacement { found.append(ciphertext) }
        if let plaintext = node["plaintext"]?.string {
            found.append(plaintext)
            if let inner = try? JSONDocument.parse(plaintext) { visitPlaintext(inner.root) }
        }
    }

    /// Every string and number inside a decrypted secret's JSON value is secret too.
    private mutating func visitPlaintext(_ node: JSONNode) {
        switch node.kind {
        case .object:
            if node[PulumiSignature.key] != nil {
                visitSignature(node)
                return
            }
            for (_, member) in node.members { visitPlaintext(member) }
        case .array:
            for element in node.elements { visitPlaintext(element) }
        case .string:
            if let s = node.string { found.append(s) }
        case .number:
            if let text = node.numberText { found.append(text) }
        case .null, .bool:
            break
        }
    }
}
