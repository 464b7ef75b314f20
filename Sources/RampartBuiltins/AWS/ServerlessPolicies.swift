import RampartPolicy

extension AWSBaseline {
    static var serverlessPolicies: [any Policy] {
        [lambdaTracing, lambdaURLAuth, lambdaPermission, lambdaDLQ, lambdaRuntime, lambdaEnvironmentKMS, lambdaDescription, snsEncrypted, sqsEncrypted,
         secretRotation, secretCustomerKey, secretDescription, apiStageLogging, apiDomainTLS]
    }

    static let lambda = "aws:lambda/function:Function"
    static let nativeLambda = "aws-native:lambda:Function"

    static let lambdaTracing = SwiftResourcePolicy(
        baseline("lambda-tracing-active", "Lambda functions have active X-Ray tracing.", severity: .low,
                 rationale: "Traces show which calls a function made and where it failed or slowed; without them incidents are reconstructed from logs alone.",
                 remediation: "Set `tracingConfig: { mode: \"Active\" }`.",
                 examples: [
                     example(lambda, #"{"tracingConfig": {"mode": "Active"}}"#, .pass),
                     example(lambda, #"{"tracingConfig": {"mode": "PassThrough"}}"#, .violation),
                     example(nativeLambda, #"{}"#, .violation),
                 ],
                 equivalents: compliance("aws-lambda-function-configure-tracing-config", "aws-lambda-function-enable-tracing-config", "awsnative-lambda-function-configure-tracing-config", "awsnative-lambda-function-enable-tracing-config")),
        types: [lambda, nativeLambda]
    ) { function, _ in
        .check(try function.string("tracingConfig.mode") == "Active", "Lambda function \(function.name) does not trace actively.")
    }

    static let lambdaURLAuth = SwiftResourcePolicy(
        baseline("lambda-function-url-requires-auth", "Lambda function URLs require IAM authentication.", severity: .high,
                 frameworks: [nist("AC-3")],
                 rationale: "A function URL with authorization NONE is a public HTTPS endpoint anyone can invoke.",
                 remediation: "Set `authorizationType: \"AWS_IAM\"`, or put the function behind API Gateway with an authorizer.",
                 examples: [
                     example("aws:lambda/functionUrl:FunctionUrl", #"{"authorizationType": "AWS_IAM"}"#, .pass),
                     example("aws:lambda/functionUrl:FunctionUrl", #"{"authorizationType": "NONE"}"#, .violation),
                     example("aws-native:lambda:Url", #"{"authType": "NONE"}"#, .violation),
                 ]),
        types: ["aws:lambda/functionUrl:FunctionUrl", "aws-native:lambda:Url"]
    ) { url, _ in
        let type = try url.string(url.type == "aws-native:lambda:Url" ? "authType" : "authorizationType")
        return .check(type != "NONE", "Lambda function URL \(url.name) can be invoked by anyone (authorization NONE).")
    }

    static let lambdaPermission = SwiftResourcePolicy(
        baseline("lambda-permission-restricted", "Lambda permissions for a service or anyone name the source.", severity: .critical,
                 frameworks: frameworks("hitrust", "iso27001", "pcidss") + [nist("AC-6")],
                 rationale: """
                 A permission for principal "*", or for a service principal without `sourceArn`/`sourceAccount`, lets resources in \
                 any account invoke the function (confused deputy). By default a permission for an account principal, or one \
                 scoped by `sourceAccount` or `principalOrgId`, passes; with `requireSourceArn: true` every permission must name the \
                 invoking resource's ARN (the reading of Pulumi's compliance-ready policy), except function-URL permissions with \
                 `functionUrlAuthType: AWS_IAM`, which have no source.
                 """,
                 remediation: "Set `sourceArn` (and `sourceAccount` for S3) on the permission, or grant a specific account.",
                 schema: ConfigSchema(properties: [
                     "requireSourceArn": ConfigProperty(type: .boolean, description: "Require `sourceArn` on every permission, whatever the principal.", default: .bool(false)),
                 ]),
                 examples: [
                     example("aws:lambda/permission:Permission", #"{"principal": "s3.amazonaws.com", "sourceArn": "arn:aws:s3:::b"}"#, .pass),
                     example("aws:lambda/permission:Permission", #"{"principal": "123456789012"}"#, .pass, "an account"),
                     example("aws:lambda/permission:Permission", #"{"principal": "*"}"#, .violation),
                     example("aws:lambda/permission:Permission", #"{"principal": "sns.amazonaws.com"}"#, .violation),
                     example("aws:lambda/permission:Permission", #"{"principal": "sns.amazonaws.com", "sourceArn": ""}"#, .violation, "empty source ARN"),
                     example("aws:lambda/permission:Permission", #"{"principal": "*", "functionUrlAuthType": "AWS_IAM"}"#, .pass),
                     example("aws:lambda/permission:Permission", #"{"principal": "123456789012"}"#, .violation, "strict mode", config: ["requireSourceArn": .bool(true)]),
                     example("aws-native:lambda:Permission", #"{"principal": "events.amazonaws.com", "sourceAccount": "123456789012"}"#, .violation,
                             "strict mode: an account is not a source ARN", config: ["requireSourceArn": .bool(true)]),
                 ],
                 equivalents: compliance("aws-lambda-permission-configure-source-arn")),
        types: ["aws:lambda/permission:Permission", "aws-native:lambda:Permission"]
    ) { permission, config in
        let principal = try permission.string("principal") ?? ""
        if try permission.string("functionUrlAuthType") == "AWS_IAM" { return .pass }
        if try permission.truthy("sourceArn") { return .pass }
        if config.bool("requireSourceArn") == true {
            return .violation("Lambda permission \(permission.name) for \(principal.isEmpty ? "its principal" : principal) names no source ARN.")
        }
        guard principal == "*" || principal.hasSuffix(".amazonaws.com") else { return .pass }
        if try permission.truthy("sourceAccount") { return .pass }
        if try permission.truthy("principalOrgId") { return .pass }
        return .violation("Lambda permission \(permission.name) lets \(principal) invoke the function from any source.")
    }

    static let lambdaDLQ = SwiftResourcePolicy(
        baseline("lambda-dead-letter-queue", "Lambda functions have a dead-letter target for failed asynchronous events.", severity: .low, level: .disabled,
                 rationale: "Without a dead-letter queue (or an on-failure destination), events that exhaust their retries are dropped silently. Opt-in: only asynchronous invocations need it.",
                 remediation: "Set `deadLetterConfig: { targetArn }` to an SQS queue or SNS topic.",
                 examples: [
                     example(lambda, #"{"deadLetterConfig": {"targetArn": "arn:aws:sqs:us-east-1:1:dlq"}}"#, .pass),
                     example(lambda, #"{}"#, .violation),
                 ]),
        types: [lambda, nativeLambda]
    ) { function, _ in
        .check(try function.truthy("deadLetterConfig.targetArn"), "Lambda function \(function.name) has no dead-letter target.")
    }

    /// Runtimes AWS has deprecated (no security patches), as of 2025.
    static let deprecatedRuntimes: [ConfigValue] = [
        "nodejs", "nodejs4.3", "nodejs4.3-edge", "nodejs6.10", "nodejs8.10", "nodejs10.x", "nodejs12.x", "nodejs14.x", "nodejs16.x",
        "python2.7", "python3.6", "python3.7", "python3.8", "ruby2.5", "ruby2.7", "java8", "go1.x", "dotnetcore1.0", "dotnetcore2.0",
        "dotnetcore2.1", "dotnetcore3.1", "dotnet5.0", "dotnet6", "dotnet7", "provided",
    ].map { .string($0) }

    static let lambdaRuntime = SwiftResourcePolicy(
        baseline("lambda-runtime-supported", "Lambda functions do not use a deprecated runtime.", severity: .medium,
                 frameworks: [nist("SI-2")],
                 rationale: "Deprecated runtimes get no security patches, and AWS eventually blocks creating and updating functions that use them.",
                 remediation: "Move the function to a supported runtime (e.g. nodejs20.x, python3.12, java21, provided.al2023).",
                 schema: ConfigSchema(properties: ["deprecatedRuntimes": ConfigProperty(type: .array(items: .string), description: "Runtime identifiers to flag.", default: .array(deprecatedRuntimes))]),
                 examples: [
                     example(lambda, #"{"runtime": "nodejs20.x"}"#, .pass),
                     example(lambda, #"{"runtime": "nodejs8.10"}"#, .violation),
                     example(nativeLambda, #"{"runtime": "python3.7"}"#, .violation),
                     example(lambda, #"{"packageType": "Image"}"#, .notApplicable),
                 ]),
        types: [lambda, nativeLambda]
    ) { function, config in
        guard let runtime = try function.string("runtime"), !runtime.isEmpty else { return .notApplicable("container image function") }
        let deprecated = config.strings("deprecatedRuntimes") ?? []
        return .check(!deprecated.contains(runtime), "Lambda function \(function.name) uses deprecated runtime \(runtime).")
    }

    static let lambdaEnvironmentKMS = SwiftResourcePolicy(
        baseline("lambda-environment-kms", "Lambda functions with environment variables encrypt them with a KMS key.", severity: .low, frameworks: [nist("SC-28")], level: .disabled,
                 rationale: "Environment variables often carry configuration secrets; a customer-managed key restricts who can read them. Opt-in.",
                 remediation: "Set `kmsKeyArn`, and keep secrets in Secrets Manager or SSM rather than in variables.",
                 examples: [
                     example(lambda, #"{"environment": {"variables": {"A": "1"}}, "kmsKeyArn": "arn:aws:kms:us-east-1:1:key/k"}"#, .pass),
                     example(lambda, #"{"environment": {"variables": {"A": "1"}}}"#, .violation),
                     example(lambda, #"{}"#, .notApplicable),
                 ]),
        types: [lambda, nativeLambda]
    ) { function, _ in
        guard try function.value("environment.variables").count ?? 0 > 0 else { return .notApplicable("no environment variables") }
        return .check(try function.truthy("kmsKeyArn"), "Lambda function \(function.name) has environment variables without a KMS key.")
    }

    static let snsEncrypted = SwiftResourcePolicy(
        baseline("sns-topic-encrypted", "SNS topics are encrypted at rest.", severity: .medium,
                 frameworks: [nist("SC-28")],
                 rationale: "Messages are stored until delivered; server-side encryption keeps them from being readable on AWS storage.",
                 remediation: "Set `kmsMasterKeyId` (e.g. `alias/aws/sns` or a customer-managed key).",
                 examples: [
                     example("aws:sns/topic:Topic", #"{"kmsMasterKeyId": "alias/aws/sns"}"#, .pass),
                     example("aws:sns/topic:Topic", #"{}"#, .violation),
                     example("aws-native:sns:Topic", #"{"kmsMasterKeyId": "alias/k"}"#, .pass),
                 ]),
        types: ["aws:sns/topic:Topic", "aws-native:sns:Topic"]
    ) { topic, _ in
        .check(try topic.truthy("kmsMasterKeyId"), "SNS topic \(topic.name) is not encrypted.")
    }

    static let sqsEncrypted = SwiftResourcePolicy(
        baseline("sqs-queue-encrypted", "SQS queues are encrypted at rest.", severity: .medium,
                 frameworks: [nist("SC-28")],
                 rationale: "Queued messages sit on AWS storage until consumed. SQS-managed encryption is on by default for new queues; turning it off without a KMS key leaves them in clear.",
                 remediation: "Keep `sqsManagedSseEnabled: true` or set `kmsMasterKeyId`.",
                 examples: [
                     example("aws:sqs/queue:Queue", #"{"sqsManagedSseEnabled": true}"#, .pass),
                     example("aws:sqs/queue:Queue", #"{}"#, .pass, "SSE-SQS is the default"),
                     example("aws:sqs/queue:Queue", #"{"sqsManagedSseEnabled": false}"#, .violation),
                     example("aws-native:sqs:Queue", #"{"sqsManagedSseEnabled": false, "kmsMasterKeyId": "alias/k"}"#, .pass),
                 ]),
        types: ["aws:sqs/queue:Queue", "aws-native:sqs:Queue"]
    ) { queue, _ in
        if try queue.truthy("kmsMasterKeyId") { return .pass }
        return .check(try queue.bool("sqsManagedSseEnabled") ?? true, "SQS queue \(queue.name) is not encrypted.")
    }

    static let lambdaDescription = SwiftResourcePolicy(
        baseline("lambda-function-description", "Lambda functions say what they do in a description.", severity: .low,
                 rationale: "The description is what the console, inventories and incident responders see next to a generated function name. Placeholders shorter than `minimumLength` (6 by default) do not count; Pulumi's compliance-ready policy only asks for a non-empty one.",
                 remediation: "Set `description` to what the function does and what triggers it.",
                 schema: ResourceDescription.schema,
                 examples: [
                     example(lambda, #"{"description": "Resizes uploaded images", "runtime": "nodejs20.x"}"#, .pass),
                     example(lambda, #"{"description": ""}"#, .violation),
                     example(nativeLambda, #"{"description": "  "}"#, .violation, "blank"),
                     example(nativeLambda, #"{"description": "Resizes uploaded images"}"#, .pass),
                 ],
                 equivalents: compliance("aws-lambda-function-missing-description", "awsnative-lambda-function-missing-description")),
        types: [lambda, nativeLambda]
    ) { function, config in
        try ResourceDescription.outcome(function, config: config, what: "Lambda function")
    }
}
