import RampartPolicy
import RampartReports
import Testing

@Suite struct JSONReporterTests {
    @Test func matchesSnapshot() throws {
        try Snapshot.assertMatches(JSONReporter().render(SampleReport.make()), named: "json-default.json")
    }

    @Test(.enabled(if: JSONSchemaValidator.enabled, JSONSchemaValidator.skipReason)) func matchesDocumentedSchema() throws {
        let errors = try JSONSchemaValidator.errors(JSONReporter().render(SampleReport.make()), schema: Paths.reportSchema)
        #expect(errors == nil, "json report does not match docs/report.schema.json:\n\(errors ?? "")")
    }

    @Test(.enabled(if: JSONSchemaValidator.enabled, JSONSchemaValidator.skipReason)) func emptyAndLargeReportsMatchSchema() throws {
        let empty = ScanReport(tool: ToolInfo(version: "1"), inputs: [], stacks: [], packs: [], findings: [], evaluations: [],
                               exemptions: [], verdict: Verdict(failed: false, failOn: .none), timestamp: "2026-11-26T10:30:00Z")
        #expect(try JSONSchemaValidator.errors(JSONReporter().render(empty), schema: Paths.reportSchema) == nil)
        #expect(try JSONSchemaValidator.errors(JSONReporter().render(LargeReport.make(resources: 500)), schema: Paths.reportSchema) == nil)
    }

@Test(.enabled(if: JSONSchemaValidator.enabled, JSONSchemaValidator.skipReason)) func schemaRejectsAnUndocumentedField() throws {
        // The schema is closed, so a field added to the report without documenting it fails the test above.
        var text = JSONReporter().render(SampleReport.make()).text
        text = text.replacingOccurrences(of: "\"schemaVersion\" : 1,", with: "\"schemaVersion\" : 1, \"extra\": true,")
            .replacingOccurrences(of: "\"schemaVersion\": 1,", with: "\"schemaVersion\": 1, \"extra\": true,")
        #expect(text.contains("\"extra\""))
        #expect(try JSONSchemaValidator.errors(Array(text.utf8), schema: Paths.reportSchema) != nil)
    }
}
