import Foundation
import Testing

/// SARIF and GitHub reports name files relative to the repository, so annotations land on the right file when the
/// Pulumi project lives in a subdirectory.
@Suite struct SourceRootTests {
    /// A repository with the Pulumi project in `infra/`: a stack file with a plaintext secret and a preview whose
    /// resource has a `project://` source position.
    func repository() throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rampart-repo-\(UUID().uuidString)").path
        let infra = root + "/infra"
        try FileManager.default.createDirectory(atPath: root + "/.git", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: infra, withIntermediateDirectories: true)
        try Data("name: shop\nruntime: nodejs\n".utf8).write(to: URL(fileURLWithPath: infra + "/Pulumi.yaml"))
        try Data("config:\n  shop:dbPassword: Tr0ub4dor-Zebra-41x\n".utf8).write(to: URL(fileURLWithPath: infra + "/Pulumi.dev.yaml"))
        let preview = """
            {"steps":[{"op":"create","urn":"urn:pulumi:dev::shop::aws:s3/bucket:Bucket::site",
              "newState":{"urn":"urn:pulumi:dev::shop::aws:s3/bucket:Bucket::site","type":"aws:s3/bucket:Bucket","custom":true,
                "inputs":{"acl":"public-read"},"sourcePosition":"project:///index.ts#7,18"}}]}
            """
        try Data(preview.utf8).write(to: URL(fileURLWithPath: infra + "/preview.json"))
        return root
    }

    func sarifURIs(_ text: String) throws -> [String] {
        let sarif = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        let results = ((sarif["runs"] as! [[String: Any]])[0]["results"] as! [[String: Any]])
        return results.compactMap { result in
            let locations = result["locations"] as? [[String: Any]]
            let physical = locations?.first?["physicalLocation"] as? [String: Any]
            return (physical?["artifactLocation"] as? [String: Any])?["uri"] as? String
        }
    }

    @Test func lintFindingsNameTheFileFromTheRepositoryRoot() throws {
        let root = try repository()
        // Run from outside the repository, naming the project by its absolute path.
        let run = try CLIProcess.run(["lint", root + "/infra", "--report", "sarif", "--fail-on", "none"], timeout: 60,
                                     in: FileManager.default.temporaryDirectory)
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(try sarifURIs(run.stdout).contains("infra/Pulumi.dev.yaml"))
        let github = try CLIProcess.run(["lint", "infra", "--report", "github", "--fail-on", "none"], timeout: 60,
                                        in: URL(fileURLWithPath: root))
        #expect(github.stdout.contains("file=infra/Pulumi.dev.yaml,line=2"))
    }

    @Test func previewSourcePositionsAreMadeRepositoryRelative() throws {
        let root = try repository()
        let run = try CLIProcess.run(["scan", root + "/infra/preview.json", "--report", "sarif", "--fail-on", "none"], timeout: 60)
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(try sarifURIs(run.stdout).contains("infra/index.ts"))
    }

    @Test func sourceRootOverridesTheGitWorkTree() throws {
        let root = try repository()
        let run = try CLIProcess.run(["scan", root + "/infra/preview.json", "--source-root", root + "/infra", "--report", "github",
                                      "--fail-on", "none"], timeout: 60)
        #expect(run.stdout.contains("file=index.ts,line=7,col=18"), "\(run.stdout)")
    }
}
