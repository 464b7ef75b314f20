import Foundation

/// How much one input may hold once read: its size (after decompression) and, for `.gz`/`.zst` files, how far it
/// may inflate per compressed byte. A 2 MB gzip of spaces inflates to 2 GB; these bounds stop such a file within
/// a second, with memory bounded by the limit, instead of parsing gigabytes (issue #21).
public struct InputSizeLimit: Sendable, Hashable {
    /// Most bytes an input may hold, after decompression (`--max-input-size`).
    public var maxBytes: Int
    /// Most bytes a compressed input may inflate to per compressed byte, once its output passes `ratioFloor`
    /// (`--max-compression-ratio`).
    public var maxCompressionRatio: Int
    /// Output below this is never judged by ratio (default `defaultRatioFloor`).
    public var ratioFloor: Int

    public init(maxBytes: Int = InputSizeLimit.defaultMaxBytes, maxCompressionRatio: Int = InputSizeLimit.defaultMaxCompressionRatio,
                ratioFloor: Int = InputSizeLimit.defaultRatioFloor) {
        self.maxBytes = maxBytes
        self.maxCompressionRatio = maxCompressionRatio
        self.ratioFloor = ratioFloor
    }

    /// 2 GiB: twice the largest real state we know of, and what a 2-core CI runner can still scan in seconds.
    public static let defaultMaxBytes = 2 << 30
    /// 100×. Pulumi checkpoints and exports compress 7–24× (gzip -9 and zstd -19 over the state samples,
    /// docs/performance.md); a generated estate of near-identical resources reaches ~120×, but those stay under
    /// the ratio floor. Deflate tops out near 1,032×, so a gzip bomb is 10× past this.
    public static let defaultMaxCompressionRatio = 100
    /// 64 MiB: output below this is never judged by ratio, so small, very repetitive files (a test estate of 3,000
    /// identical buckets inflates 117×) are read whatever their ratio. It also bounds the memory a bomb costs.
    public static let defaultRatioFloor = 64 << 20

    /// Most output a file of `compressedBytes` may inflate to, and which limit sets it.
    func inflationLimit(compressedBytes: Int) -> (bytes: Int, byRatio: Bool) {
        let (product, overflow) = compressedBytes.multipliedReportingOverflow(by: maxCompressionRatio)
        let byRatio = overflow ? Int.max : max(ratioFloor, product)
        return byRatio < maxBytes ? (byRatio, true) : (maxBytes, false)
    }

    /// The error for output that passed `inflationLimit`.
    func inflationError(file: String, compressedBytes: Int) -> InputError {
        let limit = inflationLimit(compressedBytes: compressedBytes)
        return limit.byRatio
            ? .compressionRatio(file: file, compressedBytes: compressedBytes, inflatedPast: limit.bytes, ratio: maxCompressionRatio)
            : .inputTooLarge(file: file, limit: maxBytes, decompressed: true)
    }

    // MARK: - Sizes as people write them

    /// Parses `2147483648`, `512M`, `2G`, `2GiB`, `1.5G`, `500MB`: K, M, G, T (and KiB, MiB, GiB, TiB) are powers of
    /// 1024; KB, MB, GB, TB powers of 1000. Case-insensitive; nil for anything else, zero or negative sizes.
    public static func parseSize(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.prefix { ("0"..."9").contains($0) || $0 == "." }
        guard !digits.isEmpty, let number = Double(digits), number > 0 else { return nil }
        let unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).lowercased()
        let scales: [String: Double] = [
            "": 1, "b": 1,
            "k": 0x1p10, "kib": 0x1p10, "m": 0x1p20, "mib": 0x1p20, "g": 0x1p30, "gib": 0x1p30, "t": 0x1p40, "tib": 0x1p40,
            "kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12,
        ]
        guard let scale = scales[unit] else { return nil }
        let bytes = (number * scale).rounded(.down)
        guard bytes >= 1, bytes < 0x1p62 else { return nil }
        return Int(bytes)
    }

    /// `2 GiB`, `512 MiB`, `1500 bytes`: the largest binary unit that divides `bytes`, for messages.
    public static func describe(_ bytes: Int) -> String {
        for (shift, unit) in [(40, "TiB"), (30, "GiB"), (20, "MiB"), (10, "KiB")] where bytes >= 1 << shift && bytes % (1 << shift) == 0 {
            return "\(bytes >> shift) \(unit)"
        }
        return "\(bytes) bytes"
    }
}
