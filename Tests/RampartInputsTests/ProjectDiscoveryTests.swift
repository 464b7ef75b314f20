import Foundation
import RampartInputs
import RampartModel
import Testing

@Suite struct ProjectDiscoveryTests {
    func write(_ files: [String: String]) throws -> String {
        let root = try Fixture.temporaryDirectory()
        for (path, text) in files {
            let url = URL(fileURLWithPath: root + "/" + path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return root
    }

    @Test func honoursTheLegacyConfigDirectory() throws {
        let evidence = try ProjectDiscoverer().discover(Fixture.sample("config/dynamic-provider-secrets"))
        #expect(evidence.project?.name == "dynamic-provider-secret")
        #expect(evidence.stackFiles.map(\.stackName) == ["dev"])
        #expect(evidence.stackFiles.first?.path.hasSuffix("/.config/Pulumi.dev.yaml") == true)
        #expect(evidence.stackFiles.first?.config.first?.key == "dynamic-provider-secret:password")
    }

    @Test func honoursStackConfigDirAndFindsWorkflows() throws {
        let root = try write([
            "Pulumi.yaml": "name: shop\nruntime: go\nstackConfigDir: stacks\n",
            "stacks/Pulumi.dev.yaml": "config:\n  region: x\n",
            "stacks/Pulumi.prod.yml": "config: {}\n",
            "Pulumi.ignored.yaml": "config: {}\n",
            ".github/workflows/ci.yml": "on: push\njobs: {}\n",
            ".github/workflows/notes.txt": "not a workflow",
            ".gitlab-ci.yml": "deploy:\n  script: [make]\n",
        ])
        let evidence = try ProjectDiscoverer().discover(root)
        #expect(evidence.stackFiles.map(\.stackName) == ["dev", "prod"])
        #expect(evidence.stackFiles.first?.config.first?.key == "shop:region")
        #expect(evidence.workflows.map(\.kind) == [.githubActions, .gitlabCI])
        #expect(evidence.searchedRoot == root)
    }

    @Test func restrictsToOneStack() throws {
        let root = try write(["Pulumi.yaml": "name: shop\n", "Pulumi.dev.yaml": "", "Pulumi.prod.yaml": ""])
        #expect(try ProjectDiscoverer().discover(root, stack: "prod").stackFiles.map(\.stackName) == ["prod"])
        #expect(throws: InputError.self) { try ProjectDiscoverer().discover(root, stack: "qa") }
    }

    @Test func findsWorkflowsAtTheRepositoryRoot() throws {
        let root = try write([".git/HEAD": "ref: main\n", ".github/workflows/ci.yaml": "on: push\n", "infra/Pulumi.yaml": "name: shop\n"])
        let evidence = try ProjectDiscoverer().discover(root + "/infra")
        #expect(evidence.workflows.count == 1)
    }

    @Test func rejectsTwoProjectFiles() throws {
        let root = try write(["Pulumi.yaml": "name: a\n", "Pulumi.yml": "name: b\n"])
        #expect(throws: InputError.self) { try ProjectDiscoverer().discover(root) }
    }

    @Test func readsWorkflowPositions() throws {
        let root = try write([".github/workflows/ci.yml": "on: push\njobs:\n  deploy:\n    env:\n      AWS_ACCESS_KEY_ID: x\n"])
        let workflow = try #require(try ProjectDiscoverer().discover(root).workflows.first)
        let p = try #require(workflow.positions["jobs.deploy.env.AWS_ACCESS_KEY_ID"])
        #expect(p.line == 5 && p.column == 26)
    }
}
