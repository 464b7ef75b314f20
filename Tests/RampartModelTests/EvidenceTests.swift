import RampartModel
import Testing

/// `Evidence` shares its parts between copies and copies them on the first write: a copy changed never changes
/// the value it was copied from.
@Suite struct EvidenceTests {
    @Test func changingACopyLeavesTheOriginalAlone() throws {
        var original = Evidence(project: ProjectFile(path: "Pulumi.yaml", name: "web"), searchedRoot: "infra")
        original.today = "2026-12-06"
        var copy = original
        copy.project = nil
        copy.today = "2027-01-01"
        copy.workflows.append(WorkflowFile(path: "ci.yml", kind: .githubActions, document: try PropertyValue.parse(json: "{}")))
        copy.stateBuckets = []
        #expect(original.project?.name == "web")
        #expect(original.today == "2026-12-06")
        #expect(original.workflows.isEmpty)
        #expect(original.searchedRoot == "infra")
        #expect(copy.project == nil && copy.today == "2027-01-01" && copy.workflows.count == 1 && copy.searchedRoot == "infra")
    }

    @Test func aSecondHandleHoldsTheSamePartsAndChangesAlone() throws {
        var original = Evidence(project: ProjectFile(path: "Pulumi.yaml", name: "web"), searchedRoot: "infra")
        original.today = "2026-12-07"
        original.organizationSubject = "acme/web/prod"
        var handle = original.sharingValues()
        #expect(handle.project?.name == "web" && handle.searchedRoot == "infra")
        #expect(handle.today == "2026-12-07" && handle.organizationSubject == "acme/web/prod")
        handle.today = "2027-01-01"
        original.searchedRoot = "elsewhere"
        #expect(original.today == "2026-12-07" && handle.today == "2027-01-01")
        #expect(handle.searchedRoot == "infra" && original.searchedRoot == "elsewhere")
    }

    @Test func everyPartIsKeptThroughCopies() {
        var evidence = Evidence(stackFiles: [StackConfigFile(path: "Pulumi.prod.yaml", stackName: "prod")])
        evidence.organizationSubject = "acme/web/prod"
        evidence.projectFilesOwner = "acme/web/dev"
        let copy = evidence
        evidence.organizationSubject = nil
        #expect(copy.stackFiles.map(\.stackName) == ["prod"])
        #expect(copy.organizationSubject == "acme/web/prod")
        #expect(copy.projectFilesOwner == "acme/web/dev")
        #expect(evidence.organizationSubject == nil && evidence.projectFilesOwner == "acme/web/dev")
    }
}
