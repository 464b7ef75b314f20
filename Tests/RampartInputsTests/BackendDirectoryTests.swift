import Foundation
import RampartInputs
import RampartModel
import Testing

@Suite struct BackendDirectoryTests {
    /// Lays out a DIY backend with project and legacy stacks, backups, history and a .bak file.
    func makeBackend() throws -> String {
        let root = try Fixture.temporaryDirectory()
        let fm = FileManager.default
        let sample = try Data(contentsOf: URL(fileURLWithPath: Fixture.sample("state/diy/checkpoint-v3-b64-secrets.json")))
        for dir in [".pulumi/stacks/web", ".pulumi/stacks/api", ".pulumi/history/web/prod", ".pulumi/backups/web/prod"] {
            try fm.createDirectory(atPath: root + "/" + dir, withIntermediateDirectories: true)
        }
        try Data("version: 1\n".utf8).write(to: URL(fileURLWithPath: root + "/.pulumi/meta.yaml"))
        try sample.write(to: URL(fileURLWithPath: root + "/.pulumi/stacks/web/prod.json"))
        try sample.write(to: URL(fileURLWithPath: root + "/.pulumi/stacks/web/prod.json.bak"))
        try sample.write(to: URL(fileURLWithPath: root + "/.pulumi/stacks/api/dev.json"))
        try sample.write(to: URL(fileURLWithPath: root + "/.pulumi/history/web/prod/prod-1.checkpoint.json"))
        try sample.write(to: URL(fileURLWithPath: root + "/.pulumi/backups/web/prod/prod.1.json"))
        return root
    }

    @Test func backendRootYieldsOneSourcePerCurrentCheckpoint() throws {
        let root = try makeBackend()
        let sources = try InputReader().discover(root)
        #expect(sources.map(\.path) == [root + "/.pulumi/stacks/api/dev.json", root + "/.pulumi/stacks/web/prod.json"])
        #expect(sources.map { $0.impliedIdentity?.description } == ["organization/api/dev", "organization/web/prod"])
    }

    @Test func identityFromBackendPathWinsOverContent() throws {
        let root = try makeBackend()
        let sources = try InputReader().discover(root)
        let stack = try InputReader().read(sources[1])
        #expect(stack.identity.description == "organization/web/prod")
    }

    @Test func dotPulumiFolderItselfIsABackend() throws {
        let root = try makeBackend()
        let sources = try InputReader().discover(root + "/.pulumi")
        #expect(sources.count == 2)
    }

    @Test func legacyLayoutTakesProjectFromContent() throws {
        let root = try Fixture.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: root + "/.pulumi/stacks", withIntermediateDirectories: true)
        let sample = try Data(contentsOf: URL(fileURLWithPath: Fixture.sample("state/diy/kloudlib-history-dev-1553911124083274026.checkpoint.json")))
        try sample.write(to: URL(fileURLWithPath: root + "/.pulumi/stacks/dev.json"))
        let sources = try InputReader().discover(root)
        #expect(sources.count == 1)
        let stack = try InputReader().read(sources[0])
        #expect(stack.identity.stack == "dev")
        #expect(stack.graph.count == 15)
    }

    @Test func plainFolderOfStateFilesIsScanned() throws {
        let sources = try InputReader().discover(Fixture.sample("state/export"))
        #expect(sources.count == 9)
    }

    @Test func symlinkLoopsDoNotHang() throws {
        let root = try Fixture.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: root + "/a", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root + "/a/loop", withDestinationPath: root)
        let sample = try Data(contentsOf: URL(fileURLWithPath: Fixture.sample("state/export/gcp-compute-firewall.json")))
        try sample.write(to: URL(fileURLWithPath: root + "/a/s.json"))
        let sources = try InputReader().discover(root)
        #expect(sources.count == 1)
    }
}
