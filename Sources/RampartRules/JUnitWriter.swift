/// A minimal JUnit XML writer for pack tests: one `testsuite` per policy, one `testcase` per expectation; a
/// mismatch is a `failure`. Text is escaped for XML (and characters XML 1.0 cannot hold are dropped).
public enum PackTestJUnitWriter {
    public static func xml(_ reports: [PackTestReport]) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        let all = reports.flatMap(\.cases)
        out += "<testsuites name=\"rampart test\" tests=\"\(all.count)\" failures=\"\(all.filter { !$0.passed }.count)\">\n"
        for report in reports {
            let policies = Array(Set(report.cases.map(\.policy))).sorted()
            for policy in policies {
                let cases = report.cases.filter { $0.policy == policy }
                let failures = cases.filter { !$0.passed }.count
                out += "  <testsuite name=\"\(escape(report.pack + "/" + policy))\" tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"0\">\n"
                for c in cases {
                    let name = "\(c.subject) is \(c.expected.rawValue) [\(c.input)]"
                    out += "    <testcase name=\"\(escape(name))\" classname=\"\(escape(report.pack + "." + policy))\""
                    if c.passed {
                        out += "/>\n"
                    } else {
                        let message = "expected \(c.expected.rawValue), got \(c.actual?.rawValue ?? "no such resource")"
                        out += ">\n      <failure message=\"\(escape(message))\" type=\"mismatch\">\(escape(c.reason ?? message))</failure>\n    </testcase>\n"
                    }
                }
                out += "  </testsuite>\n"
            }
        }
        out += "</testsuites>\n"
        return out
    }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let v = scalar.value
                let allowed = (v >= 0x20 && v <= 0xD7FF) || (v >= 0xE000 && v <= 0xFFFD) || v >= 0x10000
                if allowed { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}
