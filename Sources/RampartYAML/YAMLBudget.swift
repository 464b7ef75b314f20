/// The limits every YAML document Rampart reads is held to — `Pulumi.yaml`, stack files, CI workflows, rule files
/// and `rampart.yaml` alike — so hostile input (an alias bomb, deep nesting, a huge file) costs bounded time and
/// memory whichever reader it reaches.
public struct YAMLBudget: Sendable, Hashable {
    /// Largest document, in bytes. 8 MiB: generated stack files and workflows run to a few MiB in practice, and a
    /// document that passes the node budget below is converted in well under a second at this size, so a smaller
    /// limit for rule files (4 MiB before) bought no safety, only a second number to remember.
    public var maxBytes: Int
    /// Most value nodes after alias expansion: anchors referencing anchors expand exponentially, and this stops an
    /// alias bomb before any reader walks it.
    public var maxNodes: Int
    /// Deepest nesting of mappings and sequences (flow brackets are also counted in the text before composing, since
    /// libyaml's composer recurses).
    public var maxDepth: Int

    public init(maxBytes: Int = 8 << 20, maxNodes: Int = 100_000, maxDepth: Int = 256) {
        self.maxBytes = maxBytes
        self.maxNodes = maxNodes
        self.maxDepth = maxDepth
    }

    /// The budget of every reader unless a test asks for less.
    public static let standard = YAMLBudget()
}
