import RampartPolicy

/// Checks one policy entry and compiles it into a `RuleResourcePolicy` or `RuleStackPolicy`.
struct PolicyChecker {
    let doc: DocumentChecker

    static let policyKeys = ["name", "description", "severity", "enforcementLevel", "frameworks", "remediation",
                             "config", "resources", "stack", "validate", "message"]

    /// A compiled policy with where its name was written (for duplicate-name errors).
    struct Checked {
        var policy: any Policy
        var name: String
        var nameNode: YAMLNode
    }

    func policy(_ node: YAMLNode) throws(RulesError) -> Checked {
        let m = try doc.mapping(node, "a policy")
        let nameNode = try doc.require(m, "name", in: "a policy", expected: "a kebab-case policy name")
        let name = try doc.string(nameNode, "'name' of a policy")
        guard PolicyPack.isValidName(name) else {
            throw doc.fail(nameNode, "invalid policy name '\(name)': expected 1–100 characters from a-z, A-Z, 0-9, '-', '_', '.'")
        }
        let what = "policy '\(name)'"
        try doc.checkKeys(m, allowed: Self.policyKeys, in: what)
        let description = try doc.string(try doc.require(m, "description", in: what, expected: "a one-line description"), "'description' of \(what)")
        let severity = try m["severity"].map { (n) throws(RulesError) in try doc.oneOf(n, "'severity' of \(what)", Severity.self) } ?? .medium
        let level = try m["enforcementLevel"].map { (n) throws(RulesError) in try doc.oneOf(n, "'enforcementLevel' of \(what)", EnforcementLevel.self) }
        let remediation = try m["remediation"].map { (n) throws(RulesError) in try doc.string(n, "'remediation' of \(what)") }
        let frameworks = try m["frameworks"].map { (n) throws(RulesError) in try self.frameworks(n, what) } ?? []
        let schema = try m["config"].map { (n) throws(RulesError) in try ConfigSchemaChecker(doc: doc).schema(n) } ?? ConfigSchema()
        let descriptor = PolicyDescriptor(name: name, description: description, severity: severity, enforcementLevel: level,
                                          remediation: remediation, frameworks: frameworks, configSchema: schema)
        let conditions = ConditionChecker(doc: doc, config: schema)
        let evaluator = Evaluator(policy: name, defaults: schema.defaults)

        switch (m.entry("resources"), m.entry("stack")) {
        case (nil, nil):
            throw doc.fail(m.node, "\(what) has neither 'resources' nor 'stack'; expected one of them (a resource or a stack policy)")
        case (.some, .some(let stack)):
            throw doc.fail(stack.keyNode, "\(what) has both 'resources' and 'stack'; expected one of them")
        case (.some(let resources), nil):
            let r = try doc.mapping(resources.value, "'resources' of \(what)")
            try doc.checkKeys(r, allowed: ["types", "where"], in: "'resources' of \(what)")
            let types = try doc.typeSelector(try doc.require(r, "types", in: "'resources' of \(what)", expected: "a list of type tokens or globs"),
                                             "'types' of \(what)")
            let applicability = try r["where"].map { (n) throws(RulesError) in try conditions.condition(n, "'where' of \(what)") }
            let validateNode = try doc.require(m, "validate", in: what, expected: "the condition every applicable resource must satisfy")
            let validation = try conditions.condition(validateNode, "'validate' of \(what)")
            let message = try m["message"].map { (n) throws(RulesError) in
                try TemplateParser(doc: doc, conditions: conditions, forStack: false).template(n)
            } ?? .literal(description)
            let policy = RuleResourcePolicy(descriptor: descriptor, types: types, applicability: applicability,
                                            validation: validation, message: message, evaluator: evaluator)
            return Checked(policy: policy, name: name, nameNode: nameNode)
        case (nil, .some(let stack)):
            if let validate = m.entry("validate") {
                throw doc.fail(validate.keyNode, "\(what) is a stack policy; found 'validate', expected 'require' inside 'stack'")
            }
            let s = try doc.mapping(stack.value, "'stack' of \(what)")
            try doc.checkKeys(s, allowed: ["where", "require"], in: "'stack' of \(what)")
            var pattern: String?
            if let whereNode = s["where"] {
                let w = try doc.mapping(whereNode, "'where' of a stack policy")
                try doc.checkKeys(w, allowed: ["stack"], in: "'where' of a stack policy")
                pattern = try doc.string(try doc.require(w, "stack", in: "'where' of a stack policy", expected: "a stack glob such as '*/*/prod'"),
                                         "'stack' of 'where'")
            }
            let requireNode = try doc.require(s, "require", in: "'stack' of \(what)", expected: "one requirement or a list of them")
            var requirements: [StackRequirement] = []
            for item in requireNode.sequence ?? [requireNode] {
                requirements.append(try requirement(item, conditions))
            }
            guard !requirements.isEmpty else { throw doc.fail(requireNode, "'require': found an empty list, expected at least one requirement") }
            let message = try m["message"].map { (n) throws(RulesError) in
                try TemplateParser(doc: doc, conditions: conditions, forStack: true).template(n)
            } ?? .literal(description)
            let policy = RuleStackPolicy(descriptor: descriptor, stackPattern: pattern, requirements: requirements,
                                         message: message, evaluator: evaluator)
            return Checked(policy: policy, name: name, nameNode: nameNode)
        }
    }

    private func requirement(_ node: YAMLNode, _ conditions: ConditionChecker) throws(RulesError) -> StackRequirement {
        let m = try doc.mapping(node, "a 'require' entry")
        try doc.checkKeys(m, allowed: ["types", "where", "count"], in: "a 'require' entry")
        let types = try doc.typeSelector(try doc.require(m, "types", in: "a 'require' entry", expected: "a list of type tokens or globs"),
                                         "'types' of 'require'")
        let condition = try m["where"].map { (n) throws(RulesError) in try conditions.condition(n, "'where' of 'require'") }
        let count = try m["count"].map { (n) throws(RulesError) in try conditions.count(n, "'count'") } ?? .atLeastOne
        return StackRequirement(types: types, condition: condition, count: count)
    }

    private func frameworks(_ node: YAMLNode, _ what: String) throws(RulesError) -> [FrameworkReference] {
        guard let items = node.sequence else { throw doc.wrongType(node, "'frameworks' of \(what)", expected: "a list of {name, version, control}") }
        var out: [FrameworkReference] = []
        for item in items {
            let m = try doc.mapping(item, "a framework reference")
            try doc.checkKeys(m, allowed: ["name", "version", "control"], in: "a framework reference")
            let name = try doc.string(try doc.require(m, "name", in: "a framework reference", expected: "the framework's name"), "'name'")
            let control = try doc.scalarText(try doc.require(m, "control", in: "a framework reference", expected: "the control id"), "'control'")
            let version = try m["version"].map { (n) throws(RulesError) in try doc.scalarText(n, "'version'") }
            out.append(FrameworkReference(name: name, version: version, control: control))
        }
        return out
    }
}
