import RampartPolicy

/// Where the files that findings name live in the repository. GitHub places code-scanning results and annotations
/// by repository-relative path, while findings carry what their input said: a preview's `sourcePosition` is
/// relative to the Pulumi project, a lint finding names the file as it was found. SARIF and GitHub reports map
/// both through this, so a project in a subdirectory is annotated on the right file.
public struct SourcePaths: Sendable, Hashable {
    /// The repository root: absolute, without a trailing slash.
    public var root: String
    /// Per stack name: the absolute directory its findings' relative paths start from.
    public var bases: [String: String]
    /// Where relative paths of other stacks start from (the working directory).
    public var defaultBase: String

    public init(root: String, bases: [String: String] = [:], defaultBase: String) {
        self.root = SourcePaths.normalize(root)
        self.bases = bases
        self.defaultBase = defaultBase
    }

    /// `file` relative to the repository root, or unchanged when it lies outside it.
    public func repositoryPath(_ file: String, stack: String) -> String {
        let absolute = SourcePaths.normalize(file.hasPrefix("/") ? file : (bases[stack] ?? defaultBase) + "/" + file)
        if absolute == root { return file }
        guard absolute.hasPrefix(root == "/" ? "/" : root + "/") else { return file }
        return String(absolute.dropFirst(root == "/" ? 1 : root.count + 1))
    }

    /// An absolute path with `.`, `..` and repeated slashes resolved lexically (no file system access).
    static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..": _ = parts.popLast()
            default: parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }
}
