/// The analyzer's command line as Pulumi launches it: `<engine address> <pack directory> [-option=value …]`
/// (the legacy-shim convention appends PulumiPolicy.yaml `runtime.options` as `-name=value`).
public struct AnalyzerCommand: Sendable {
    public var engineAddress: String
    public var directory: String
    public var options: [String: String]

    public init(arguments: [String]) throws(AnalyzerError) {
        var positional: [String] = []
        var options: [String: String] = [:]
        for argument in arguments {
            if argument.hasPrefix("-"), let eq = argument.firstIndex(of: "=") {
                let name = argument[argument.index(after: argument.startIndex)..<eq].drop { $0 == "-" }
                options[String(name)] = String(argument[argument.index(after: eq)...])
            } else {
                positional.append(argument)
            }
        }
        guard positional.count == 2 else {
            throw .usage("usage: rampart-analyzer ENGINE_ADDRESS PACK_DIRECTORY [-indeterminate=hide|advisory]\n"
                         + "Pulumi starts this program for `pulumi preview|up --policy-pack DIR`; see Samples/pulumi-analyzer.")
        }
        self.engineAddress = positional[0]
        self.directory = positional[1]
        self.options = options
    }
}
