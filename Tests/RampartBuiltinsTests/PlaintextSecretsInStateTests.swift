import Foundation
import RampartBuiltins
import RampartInputs
import RampartModel
import RampartPolicy
import Testing

@Suite struct PlaintextSecretsInStateTests {
    let policy = PlaintextSecretsInStatePolicy()

    func violations(_ relative: String) throws -> [String] {
        let stack = try InputReader().read(InputSource(path: Fixture.samples + "/" + relative))
        return try stack.graph.resources.indices.compactMap { index in
            let outcome = try policy.evaluate(ResourceContext(stack: stack, index: index), config: PolicyConfig())
            guard case .violation(let v) = outcome else { return nil }
            return "\(stack.graph.resources[index].name): \(v.message)"
        }
    }

    @Test func findsThePlaintextPasswordInputButNotTheEncryptedOutput() throws {
        #expect(try violations("state/export/gcp-sql-user-password.json")
            == ["tested-resource: 1 unencrypted value looks like secrets: inputs.password (plaintext value under a secret-looking name (10 characters))"])
    }

    /// Every other state and preview sample is free of findings: object keys, tag keys, exec kubeconfigs, key specs
    /// and encrypted secrets are not plaintext secrets.
    @Test func otherSamplesHaveNoFindings() throws {
        var found: [String] = []
        var read = 0
        for directory in ["state/export", "state/diy", "preview/digest"] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: Fixture.samples + "/" + directory)) ?? []
            for name in names.sorted() where name.hasSuffix(".json") && name != "gcp-sql-user-password.json" {
                guard let v = try? violations(directory + "/" + name) else { continue }
                read += 1
                found += v.map { "\(name) \($0)" }
            }
        }
        #expect(read >= 10)
        #expect(found.isEmpty, "\(found)")
    }
}
