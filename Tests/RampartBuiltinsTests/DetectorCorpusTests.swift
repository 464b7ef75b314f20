import Foundation
import RampartBuiltins
import RampartInputs
import RampartModel
import RampartPolicy
import Testing

/// A labelled corpus of config values (real-looking secrets of each format and decoys that only look like them),
/// scored for precision and recall. Secrets are assembled from pieces (see `Fake`).
@Suite struct DetectorCorpusTests {
    struct Sample { let name: String; let value: String; let secret: Bool }
    static func s(_ name: String, _ value: String) -> Sample { Sample(name: name, value: value, secret: true) }
    static func d(_ name: String, _ value: String) -> Sample { Sample(name: name, value: value, secret: false) }

    static let corpus: [Sample] = [
        // Secrets: known formats under ordinary names.
        s("aws:accessKey", Fake.awsAccessKeyID), s("sessionKeyId", Fake.awsSessionKeyID), s("aws:secretKey", Fake.awsSecretKey),
        s("pulumiToken", Fake.pulumiToken), s("ciToken", Fake.githubPAT), s("appToken", Fake.githubApp),
        s("gh", Fake.githubFineGrained), s("gitlab", Fake.gitlabPAT), s("slackBot", Fake.slackBot), s("stripe", Fake.stripeLive),
        s("stripeRestricted", Fake.stripeRestricted), s("mapsKey", Fake.googleAPIKey), s("tlsKey", Fake.rsaPrivateKey),
        s("deployKey", Fake.opensshPrivateKey), s("session", Fake.jwt), s("storage", Fake.azureConnectionString),
        s("gcp:credentials", Fake.gcpServiceAccount), s("databaseUrl", Fake.databaseURL), s("mongo", Fake.mongoURL),
        s("notes", "deploy with " + Fake.githubPAT), s("userData", "#!/bin/sh\nexport AWS_ACCESS_KEY_ID=" + Fake.awsAccessKeyID),
        // Secrets: plaintext under secret names.
        s("dbPassword", "s3cret2"), s("password", "Tr0ub4dor-and-3"), s("DB_PASSWORD", "hunter2"), s("adminPasswd", "Winter2025!"),
        s("smtpPassword", "mail-pass-88"), s("apiKey", "a7f3c9e1b5d2"), s("api_key", "live-3c8e1f"), s("clientSecret", "Q8~xY.z_1abc"),
        s("client_secret", "7Hc2_kLm-9pQ"), s("connectionString", "Server=db;User Id=sa;Password=Passw0rd!;"),
        s("storageAccessKey", "minio-access-key"), s("recaptchaSecretKey", "6LeIxAcTAAAAAGG-vFI1TnRWxMZNFuojJ4WifJWe"),
        s("webhookSecret", "whsec_9fK2pL"), s("privateKey", "MIIEvQIBADANBgkqhkiG9w0B"), s("credentials", "user:pa55word"),
        s("NEXTAUTH_SECRET", "d1f8a0c4e7b2"), s("SENTRY_AUTH_TOKEN", "sntrys_eyJpYXQiOjE3"), s("signingKey", "k8Jq2Lm9Xv4Rt7Wp1Zs6Yb3N"),
        s("encryptionKey", "0f1e2d3c4b5a69788796a5b4c3d2e1f0"), s("licenseKey", "LIC-4F7A-99B2-CC01"),
        // Decoys: secret-looking names with non-secret values.
        d("dbPassword", ""), d("dbPassword", "changeme"), d("apiToken", "<your-token>"), d("password", "${DB_PASSWORD}"),
        d("password", "${{ secrets.DB_PASSWORD }}"), d("clientSecret", "$CLIENT_SECRET"), d("secret", "xxxxxxxx"),
        d("passwordLength", "16"), d("secretName", "db-credentials"), d("secretArn", "arn:aws:secretsmanager:us-east-1:123456789012:secret:db"),
        d("tokenUrl", "https://login.example.org/oauth2/token"), d("accessKeyId", "AKIA-placeholder"), d("kmsKey", "alias/pulumi"),
        d("sshPublicKey", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ci@shop"),
        d("recaptchaSiteKey", "6LeIxAcTAAAAAJcZVRqyHh71UMIEGNQ_MXjiZKhI"), d("NEXT_PUBLIC_POSTHOG_KEY", "phc_2tc3AQ798TowPA9FtW2uljz4dKzdiFwpa7EyhPUdKWg"),
        d("gcp:credentials", "./service-account.json"), d("kubeconfig", "~/.kube/config"), d("enableSecrets", "true"),
        d("secretsProvider", "awskms://alias/pulumi"), d("tokenTtl", "3600"), d("password", "example"),
        // Decoys: ordinary names with values that resemble credentials.
        d("aws:region", "us-east-1"), d("bucketName", "shop-assets-7f3a9c"), d("imageDigest", "sha256:4f9c1e0b7a3d2c5e8f6a1b0c9d8e7f6a"),
        d("commit", "9fceb02d0ae598e95dc970b74767f19372d61af8"), d("instanceId", "i-0abc123def4567890"),
        d("sentryDsn", "https://3443df79f39db55f5b60c6d9f41ae684@o4505642008641536.ingest.sentry.io/4505642011394048"),
        d("stripePublishable", "pk_" + "live_51Ns9YOGaaMFq8whtNw1y8d90lpYX7ZWSy37VD"), d("docsKey", "AK" + "IAIOSFODNN7EXAMPLE"),
        d("databaseUrl", "postgres://shop@db.internal:5432/shop"), d("redis", "redis://cache:6379/0"), d("uuid", "123e4567-e89b-12d3-a456-426614174000"),
        d("cert", "-----BEGIN " + "CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBa\n-----END CERTIFICATE-----"),
    ]

    @Test func corpusIsLargeEnough() {
        #expect(Self.corpus.count >= 60)
        #expect(Self.corpus.filter(\.secret).count >= 30 && Self.corpus.filter { !$0.secret }.count >= 30)
    }

    @Test func precisionAndRecallMeetTheBar() {
        let detector = SecretDetector()
        var tp = 0, fp = 0, fn = 0
        var misses: [String] = []
        for sample in Self.corpus {
            let found = detector.detect(sample.value, name: sample.name) != nil
            switch (sample.secret, found) {
            case (true, true): tp += 1
            case (false, true): fp += 1; misses.append("false positive: \(sample.name)")
            case (true, false): fn += 1; misses.append("missed: \(sample.name)")
            default: break
            }
        }
        let precision = Double(tp) / Double(max(1, tp + fp)), recall = Double(tp) / Double(max(1, tp + fn))
        #expect(recall >= 0.95, "recall \(recall): \(misses)")
        #expect(precision >= 0.90, "precision \(precision): \(misses)")
    }

    /// Ten workflows labelled with whether `static-cloud-keys-in-ci` must find something.
    static let workflows: [(name: String, text: String, finding: Bool)] = [
        ("gh-static.yml", "on: push\njobs:\n  d:\n    env:\n      AWS_ACCESS_KEY_ID: ${{ secrets.K }}\n      AWS_SECRET_ACCESS_KEY: ${{ secrets.S }}\n    steps: [{run: pulumi up}]\n", true),
        ("gh-oidc.yml", "on: push\npermissions: {id-token: write}\njobs:\n  d:\n    steps:\n      - uses: aws-actions/configure-aws-credentials@v4\n        with: {role-to-assume: arn:aws:iam::1:role/d, aws-region: us-east-1}\n", false),
        ("gh-oidc-no-permission.yml", "on: push\njobs:\n  d:\n    env: {AWS_ACCESS_KEY_ID: '${{ secrets.K }}'}\n    steps:\n      - uses: aws-actions/configure-aws-credentials@v4\n        with: {role-to-assume: arn:aws:iam::1:role/d}\n", true),
        ("gh-azure-secret.yml", "on: push\njobs:\n  d:\n    steps:\n      - uses: azure/login@v2\n        with: {creds: '${{ secrets.AZURE_CREDENTIALS }}'}\n", true),
        ("gh-azure-oidc.yml", "on: push\njobs:\n  d:\n    permissions: {id-token: write}\n    steps:\n      - uses: azure/login@v2\n        with: {client-id: x, tenant-id: y, subscription-id: z}\n", false),
        ("gh-gcp-key.yml", "on: push\njobs:\n  d:\n    env: {GOOGLE_CREDENTIALS: '${{ secrets.GCP }}'}\n    steps: [{run: pulumi up}]\n", true),
        ("gh-literal.yml", "on: push\njobs:\n  d:\n    steps:\n      - run: aws s3 ls\n        env: {AWS_ACCESS_KEY_ID: " + Fake.awsAccessKeyID + "}\n", true),
        ("gh-plain.yml", "on: push\njobs:\n  test:\n    steps: [{uses: actions/checkout@v4}, {run: swift test}]\n", false),
        (".gitlab-ci.yml", "deploy:\n  variables: {AWS_ACCESS_KEY_ID: $KEY, AWS_SECRET_ACCESS_KEY: $SECRET}\n  script: [pulumi up]\n", true),
        (".gitlab-ci.yaml", "deploy:\n  id_tokens: {T: {aud: sts.amazonaws.com}}\n  script: [pulumi up]\n", false),
    ]

    @Test func workflowCorpusIsClassifiedCorrectly() throws {
        for sample in Self.workflows {
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("rampart-ci-\(UUID().uuidString)").path
            let path = sample.name.hasPrefix(".gitlab") ? root + "/" + sample.name : root + "/.github/workflows/" + sample.name
            try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path, withIntermediateDirectories: true)
            try Data(sample.text.utf8).write(to: URL(fileURLWithPath: path))
            let evidence = Evidence(workflows: [try WorkflowReader().read(path)])
            let outcomes = try Fixture.evaluate(StaticCloudKeysInCIPolicy(), stack: Fixture.stack("prod"), evidence: evidence)
            #expect(outcomes.contains { $0.kind == .violation } == sample.finding, "\(sample.name)")
        }
    }
}
