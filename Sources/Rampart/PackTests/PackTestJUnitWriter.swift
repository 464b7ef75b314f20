import RampartReports

/// JUnit XML for `rampart test`: one `testsuite` per policy, one `testcase` per expectation; a mismatch is a
/// `failure`. Written with the reporters' `XMLWriter`, so it escapes text exactly as the scan JUnit report does.
public enum PackTestJUnitWriter {
    public static func xml(_ reports: [PackTestReport]) -> String {
        var xml = XMLWriter()
        let all = reports.flatMap(\.cases)
        xml.start("testsuites", [("name", "rampart test"), ("tests", "\(all.count)"), ("failures", "\(all.filter { !$0.passed }.count)")])
        for report in reports {
            for policy in Set(report.cases.map(\.policy)).sorted() {
                let cases = report.cases.filter { $0.policy == policy }
                let failures = cases.filter { !$0.passed }.count
                xml.start("testsuite", [("name", report.pack + "/" + policy), ("tests", "\(cases.count)"), ("failures", "\(failures)"),
                                        ("errors", "0"), ("skipped", "0")])
                for c in cases {
                    let attributes = [("name", "\(c.subject) is \(c.expected.rawValue) [\(c.input)]"), ("classname", report.pack + "." + policy)]
                    if c.passed {
                        xml.element("testcase", attributes)
                    } else {
                        let message = "expected \(c.expected.rawValue), got \(c.actual?.rawValue ?? "no such resource")"
                        xml.start("testcase", attributes)
                        xml.element("failure", [("message", message), ("type", "mismatch")], text: c.reason ?? message)
                        xml.end()
                    }
                }
                xml.end()
            }
        }
        xml.end()
        return String(decoding: xml.output, as: UTF8.self)
    }
}
