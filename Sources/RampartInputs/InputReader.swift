import Foundation
import RampartJSON
import RampartModel

/// One file to read as one stack, with what its location says about the stack's identity.
public struct InputSource: Sendable, Hashable {
    public var path: String
    /// Identity implied by a backend layout (`.pulumi/stacks/<project>/<stack>.json`), if any.
    public var impliedIdentity: StackIdentity?
    public init(path: String, impliedIdentity: StackIdentity? = nil) {
        self.path = path
        self.impliedIdentity = impliedIdentity
    }
}

/// Reads Pulumi inputs, detecting the format from content: state exports, checkpoints (also `.gz`/`.zst`),
/// preview digests, engine event streams, and directories of them (a DIY backend root or any folder).
public struct InputReader: Sendable {
    public var limits: JSONLimits
    /// Most resources one stack may hold (default 10 million): a bound on the work and memory one input can cause.
    public var maxResources: Int
    /// Workers that decode a big stack's resources.
    public var jobs: Int
    /// How large an input file may be, and how far a compressed one may inflate.
    public var sizeLimit = InputSizeLimit()

    public init(limits: JSONLimits = JSONLimits(), maxResources: Int = InputReader.defaultMaxResources,
                jobs: Int = Parallel.availableCores) {
        self.limits = limits
        self.maxResources = maxResources
        self.jobs = max(1, jobs)
    }

    /// This reader with `limit` on input files; the parser's own size limit is raised to match when it is lower.
    public func bounded(by limit: InputSizeLimit) -> InputReader {
        var reader = self
        reader.sizeLimit = limit
        reader.limits.maxBytes = max(reader.limits.maxBytes, limit.maxBytes)
        return reader
    }

    /// The default of `maxResources`.
    public static let defaultMaxResources = 10_000_000

    // MARK: - Discovery

    /// The files an input argument stands for. A file stands for itself; a directory is searched.
    public func discover(_ path: String) throws(InputError) -> [InputSource] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .unreadable(file: path, reason: "no such file or directory")
        }
        guard isDirectory.boolValue else { return [InputSource(path: path)] }
        let sources = try BackendLayout(root: path).sources()
        guard !sources.isEmpty else { throw .noStacksFound(directory: path) }
        return sources
    }

    // MARK: - Reading

    /// Reads one file into a stack. A large uncompressed file is parsed through a mapping of it (`MappedFile`),
    /// any other file from a read of it; the stack is the same.
    public func read(_ source: InputSource) throws(InputError) -> Stack {
        if let file = MappedFile.map(source.path, maxBytes: sizeLimit.maxBytes, workers: jobs) {
            return try bounded(readUnbounded(file, source: source), source: source)
        }
        let bytes = try FileLoader.read(source.path, sizeLimit: sizeLimit, readers: jobs)
        return try read(bytes: consume bytes, source: source)
    }

    /// Reads bytes already in memory (the file name is used for messages and identity).
    public func read(bytes: consuming [UInt8], source: InputSource) throws(InputError) -> Stack {
        try bounded(readUnbounded(bytes: consume bytes, source: source), source: source)
    }

    /// `stack`, unless it holds more resources than `maxResources`.
    private func bounded(_ stack: Stack, source: InputSource) throws(InputError) -> Stack {
        let count = stack.graph.resources.count
        if count > maxResources { throw .tooManyResources(file: source.path, count: count, limit: maxResources) }
        return stack
    }

    private func readUnbounded(bytes: consuming [UInt8], source: InputSource) throws(InputError) -> Stack {
        let file = source.path
        let byteCount = bytes.count
        try checkEncoding(bytes, file: file)
        let document: JSONDocument
        // Taken by the document (compacted in place when it compacts); left as it was on an error.
        var input = consume bytes
        do {
            document = try JSONDocument.parse(taking: &input, limits: limits, marking: PulumiSignature.marked,
                                              compaction: .automatic, workers: jobs)
        } catch {
            if case .trailingContent = error.reason, let events = try? EventStreamSplitter.split(input, limits: limits) {
                return try readEvents(events, source: source, byteCount: byteCount)
            }
            throw .malformedJSON(file: file, error)
        }
        return try stack(of: document, source: source, byteCount: byteCount)
    }

    /// `readUnbounded(bytes:source:)` for a mapped file. Whatever was read from a file that changed meanwhile is
    /// dropped for an error that says so: its parse error or its stack would describe neither the old content nor
    /// the new.
    private func readUnbounded(_ mapped: borrowing MappedFile, source: InputSource) throws(InputError) -> Stack {
        let file = source.path
        let byteCount = mapped.bytes.count
        let changed = InputError.unreadable(file: file, reason: "the file changed while it was read (another process "
                                            + "wrote or truncated it); read it again once it is written")
        try checkEncoding(mapped.bytes, file: file)
        let document: JSONDocument?
        do {
            document = try JSONDocument.parse(mappedFile: mapped.bytes, limits: limits, marking: PulumiSignature.marked,
                                              compaction: .automatic, workers: jobs)
        } catch {
            if mapped.changed { throw changed }
            if case .trailingContent = error.reason,
               let events = try? EventStreamSplitter.split(Array(mapped.bytes), limits: limits) {
                guard !mapped.changed else { throw changed }
                return try readEvents(events, source: source, byteCount: byteCount)
            }
            throw .malformedJSON(file: file, error)
        }
        guard let document, !mapped.changed else { throw changed }
        return try stack(of: document, source: source, byteCount: byteCount)
    }

    /// Throws for content that is blank or UTF-16, which no Pulumi document is.
    private func checkEncoding<Bytes: Collection<UInt8>>(_ bytes: Bytes, file: String) throws(InputError) {
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { throw .empty(file: file) }
        if Self.looksLikeUTF16(bytes) {
            throw .unreadable(file: file, reason: "the file is UTF-16 encoded; expected UTF-8 JSON (convert it, e.g. with iconv -f UTF-16 -t UTF-8)")
        }
    }

    /// The stack a parsed input document describes.
    private func stack(of document: JSONDocument, source: InputSource, byteCount: Int) throws(InputError) -> Stack {
        let file = source.path
        let root = document.root
        guard root.kind == .object else {
            throw .unexpectedShape(file: file, path: "$", expected: "an object (state export, checkpoint or preview)", found: describeKind(root))
        }
        if let envelope = try StateReader.envelope(of: root, file: file) {
            let result = try StateReader(file: file, jobs: jobs).read(envelope)
            let identity = StackIdentityResolver.resolve(checkpointName: result.stackName, implied: source.impliedIdentity,
                                                         graph: result.graph, file: file)
            return Stack(identity: identity, source: file, kind: result.kind, propertySource: .outputs, graph: result.graph,
                         secretsProvider: result.secretsProvider, version: result.version, features: result.features,
                         notices: result.notices, byteCount: byteCount)
        }
        if root["steps"] != nil {
            let result = try PreviewReader(file: file).readDigest(root)
            return previewStack(result, source: source, kind: .previewDigest, byteCount: byteCount)
        }
        if root["sequence"] != nil || root["timestamp"] != nil {
            return try readEvents([(root, 1)], source: source, byteCount: byteCount)
        }
        throw .unrecognisedFormat(file: file, expected: "a Pulumi document: {\"deployment\"} (stack export), {\"checkpoint\"} (backend checkpoint), {\"steps\"} (preview --json) or engine events")
    }

    /// A UTF-16 byte order mark, or a NUL in either of the first two bytes beside a non-NUL (RFC 4627 §3's sniffing;
    /// UTF-8 JSON cannot start with NUL).
    static func looksLikeUTF16<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
        let first = Array(bytes.prefix(2))
        guard first.count == 2 else { return false }
        if (first[0] == 0xFF && first[1] == 0xFE) || (first[0] == 0xFE && first[1] == 0xFF) { return true }
        return (first[0] == 0) != (first[1] == 0)
    }

    private func readEvents(_ events: [(node: JSONNode, line: Int)], source: InputSource, byteCount: Int) throws(InputError) -> Stack {
        let result = try PreviewReader(file: source.path).readEvents(events)
        return previewStack(result, source: source, kind: .engineEvents, byteCount: byteCount)
    }

    private func previewStack(_ result: PreviewReader.Result, source: InputSource, kind: InputKind, byteCount: Int) -> Stack {
        let identity = source.impliedIdentity
            ?? StackIdentity(organization: nil, project: result.projectName, stack: result.stackName ?? StackIdentityResolver.fileStem(source.path))
        return Stack(identity: identity, source: source.path, kind: kind, propertySource: .inputs, graph: result.graph,
                     version: 3, notices: result.notices, byteCount: byteCount)
    }
}

/// Splits newline-delimited JSON into documents (engine event streams).
enum EventStreamSplitter {
    static func split(_ bytes: [UInt8], limits: JSONLimits) throws(JSONError) -> [(node: JSONNode, line: Int)] {
        var result: [(node: JSONNode, line: Int)] = []
        var start = 0
        var line = 1
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            let slice = Array(bytes[start..<end])
            if slice.contains(where: { $0 != 0x20 && $0 != 0x0D && $0 != 0x09 }) {
                do {
                    result.append((try JSONDocument.parse(slice, limits: limits, marking: PulumiSignature.marked).root, line))
                } catch {
                    var located = error
                    located.line += line - 1
                    located.path = "line \(line): " + located.path
                    throw located
                }
            }
            start = end + 1
            line += 1
        }
        return result
    }
}

/// Decides a stack's identity from, in order: the backend path, the checkpoint's `stack` field, the root
/// `pulumi:pulumi:Stack` URN, any resource URN, and finally the file name.
enum StackIdentityResolver {
    static func resolve(checkpointName: String?, implied: StackIdentity?, graph: ResourceGraph, file: String) -> StackIdentity {
        let fromURN = (graph.stackResource ?? graph.resources.first).map {
            StackIdentity(organization: nil, project: $0.urn.project, stack: $0.urn.stack)
        }
        var identity = implied
            ?? checkpointName.flatMap(StackIdentity.init(parsing:))
            ?? fromURN
            ?? StackIdentity(organization: nil, project: nil, stack: fileStem(file))
        if identity.project == nil { identity.project = fromURN?.project }
        return identity
    }

    static func fileStem(_ path: String) -> String {
        var name = (path as NSString).lastPathComponent
        for suffix in [".gz", ".zst", ".json", ".jsonl"] where name.hasSuffix(suffix) { name.removeLast(suffix.count) }
        return name.isEmpty ? "stack" : name
    }
}
