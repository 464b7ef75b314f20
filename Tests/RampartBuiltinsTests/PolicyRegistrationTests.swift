import Foundation
import RampartBuiltins
import RampartPolicy
import Testing

/// A built-in policy is a value declared in Sources/RampartBuiltins and listed in its pack's `policies`. Forgetting
/// the second step compiles and leaves the policy silently unused, so this reads the sources: every
/// `static let x = SwiftResourcePolicy(` / `SwiftStackPolicy(` and every `struct X: ResourcePolicy` / `StackPolicy`
/// must name a policy that some pack of `BuiltinPacks.all` holds.
@Suite struct PolicyRegistrationTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/RampartBuiltins").path

    /// Each policy declaration in the sources with the policy name it declares, found between the declaration and
    /// the next one: a `SwiftResourcePolicy`/`SwiftStackPolicy` value's descriptor comes first, so its name is the
    /// first kebab-case string literal; a policy struct's is its descriptor's `name:` argument.
    static func declarations() throws -> [(declaration: String, name: String?)] {
        let declaration = try NSRegularExpression(pattern: #"static let (\w+) = Swift(?:Resource|Stack)Policy\(|struct (\w+): [\w, ]*(?:ResourcePolicy|StackPolicy)\b"#)
        let literal = try NSRegularExpression(pattern: #""([a-z0-9]+(?:-[a-z0-9]+)+)""#)
        let nameArgument = try NSRegularExpression(pattern: #"name: "([a-z0-9]+(?:-[a-z0-9]+)+)""#)
        var found: [(String, String?)] = []
        let files = FileManager.default.enumerator(atPath: sources)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }.sorted() ?? []
        for file in files {
            let text = try String(contentsOfFile: sources + "/" + file, encoding: .utf8) as NSString
            let matches = declaration.matches(in: text as String, range: NSRange(location: 0, length: text.length))
            for (i, match) in matches.enumerated() {
                let end = i + 1 < matches.count ? matches[i + 1].range.location : text.length
                let segment = NSRange(location: match.range.upperBound, length: end - match.range.upperBound)
                let isValue = match.range(at: 1).location != NSNotFound
                let identifier = isValue ? match.range(at: 1) : match.range(at: 2)
                let name = (isValue ? literal : nameArgument).firstMatch(in: text as String, range: segment)
                    .map { text.substring(with: $0.range(at: 1)) }
                found.append(("\(file): \(text.substring(with: identifier))", name))
            }
        }
        return found
    }

    @Test func everyDeclaredBuiltinPolicyIsInAPack() throws {
        let registered = Set(BuiltinPacks.all.flatMap { $0.policies.map(\.descriptor.name) })
        let declarations = try Self.declarations()
        #expect(declarations.count >= 100, "the source scan found only \(declarations.count) policy declarations")
        for (declaration, name) in declarations {
            guard let name else {
                Issue.record("\(declaration): no policy name found after the declaration")
                continue
            }
            #expect(registered.contains(name), "\(declaration) declares policy '\(name)', which no built-in pack lists")
        }
    }
}

/// `Policy.asResourcePolicy` / `asStackPolicy` / `readsExternalResources` (how the engine sorts policies without a
/// dynamic cast) say what a cast would say, for every built-in policy.
@Suite struct PolicyKindTests {
    @Test func theKindPropertiesAgreeWithCastsForEveryBuiltinPolicy() {
        let policies = BuiltinPacks.all.flatMap(\.policies)
        #expect(policies.count > 200)
        for policy in policies {
            let name = policy.descriptor.name
            #expect((policy.asResourcePolicy != nil) == (policy is any ResourcePolicy), "\(name)")
            #expect((policy.asStackPolicy != nil) == (policy is any StackPolicy), "\(name)")
            #expect((policy.asResourcePolicy?.readsExternalResources == true) == (policy is any ReadResourcePolicy), "\(name)")
            #expect((policy.asRunPolicy != nil) == (policy is any RunPolicy), "\(name)")
        }
        #expect(policies.contains { $0.asResourcePolicy?.readsExternalResources == true })
        #expect(policies.contains { $0.asStackPolicy != nil })
    }
}
