import Foundation
import RampartInputs
import RampartModel
import RampartYAML
import Testing

@Suite struct YAMLInputTests {
    func failure(_ text: String, budget: YAMLBudget = .standard) -> String? {
        let loader = YAMLLoader(budget: budget)
        do {
            guard let node = try loader.compose(bytes: Array(text.utf8), file: "Pulumi.dev.yaml") else { return nil }
            _ = try loader.convert(node, file: "Pulumi.dev.yaml")
            return nil
        } catch {
            return error.description
        }
    }

    @Test func rejectsTabIndentationWithPosition() {
        let message = failure("config:\n\taws:region: us-east-1\n")
        #expect(message?.hasPrefix("Pulumi.dev.yaml:2:1: ") == true)
        #expect(message?.contains("tab") == true)
    }

    @Test func rejectsDuplicateKeysWithPosition() {
        let message = failure("config:\n  aws:region: a\n  aws:region: b\n")
        #expect(message?.hasPrefix("Pulumi.dev.yaml:2:3: ") == true)
        #expect(message?.contains("duplicate key 'aws:region'") == true)
    }

    @Test func rejectsUnterminatedStringsNamingWhereTheyStarted() {
        let message = failure("config:\n  db:password: \"abc\n")
        #expect(message?.hasPrefix("Pulumi.dev.yaml:3:1: ") == true)
        #expect(message?.contains("started at 2:16") == true)
    }

    @Test func stopsAliasBombs() {
        var text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        var previous = "a"
        for name in ["b", "c", "d", "e", "f", "g", "h", "i"] {
            text += "\(name): &\(name) [*\(previous), *\(previous), *\(previous), *\(previous), *\(previous), *\(previous), *\(previous), *\(previous), *\(previous), *\(previous)]\n"
            previous = name
        }
        let message = failure(text)
        #expect(message?.contains("more than 100000 nodes") == true)
        #expect(message?.hasPrefix("Pulumi.dev.yaml:") == true)
    }

    @Test func rejectsDeepFlowNestingBeforeParsing() {
        let message = failure("a: " + String(repeating: "[", count: 5000))
        #expect(message?.contains("nesting deeper than") == true)
    }

    @Test func rejectsInvalidUTF8WithPosition() {
        let loader = YAMLLoader()
        do {
            _ = try loader.compose(bytes: Array("a: 1\nb: x".utf8) + [0xFF, 0x0A], file: "w.yml")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "w.yml:2:5: invalid UTF-8 byte sequence, expected UTF-8 text")
        }
    }

    @Test func rejectsOversizedFiles() {
        let message = failure("a: " + String(repeating: "x", count: 200), budget: YAMLBudget(maxBytes: 100))
        #expect(message == "Pulumi.dev.yaml: larger than the limit of 100 bytes")
    }

    @Test func resolvesScalarsLikePulumi() throws {
        let loader = YAMLLoader()
        let node = try #require(try loader.compose(bytes: Array("on: push\na: yes\nb: true\nc: 0755\nd: 1.5\ne: '2'\nf: ~\nm: &m {x: 1}\nn:\n  <<: *m\n  y: 2\n".utf8), file: "f"))
        let value = try loader.convert(node, file: "f").value
        #expect(value["on"]?.string == "push")
        #expect(value["a"]?.string == "yes")
        #expect(value["b"]?.bool == true)
        #expect(value["c"]?.string == "0755")
        #expect(value["d"]?.number == 1.5)
        #expect(value["e"]?.string == "2")
        #expect(value["f"]?.isNull == true)
        #expect(value["n"]?["x"]?.number == 1 && value["n"]?["y"]?.number == 2)
    }

    @Test func stackFileErrorsExitThroughInputError() throws {
        let root = try Fixture.temporaryDirectory()
        let path = root + "/Pulumi.dev.yaml"
        try Data("config: [1, 2]\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: InputError.yaml(file: path, line: 1, column: 9, message: "expected a mapping of config keys to values, found a list")) {
            try StackConfigReader().read(path, projectName: "shop")
        }
    }
}
