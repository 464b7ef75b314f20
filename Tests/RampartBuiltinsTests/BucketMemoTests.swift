import RampartBuiltins
import RampartInputs
import RampartModel
import RampartPolicy
import Testing

/// The AWS policies give the same outcomes through a worker's memo of the bucket it judges (the engine's path) as
/// without one: joined public access blocks, encryption configurations and bucket policies, unknown values, and a
/// worker moving from one bucket to another and back.
@Suite struct BucketMemoTests {
    static let resources: [(name: String, type: String, properties: String)] = [
        ("logs", "aws:s3/bucket:Bucket", #"{"bucket": "logs", "acl": "public-read", "policy": "{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::logs/*\"}]}"}"#),
        ("data", "aws:s3/bucketV2:BucketV2", #"{"bucket": "data", "arn": "arn:aws:s3:::data"}"#),
        ("data-pab", "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", #"{"bucket": "data", "blockPublicAcls": true, "blockPublicPolicy": true, "ignorePublicAcls": false, "restrictPublicBuckets": true}"#),
        ("data-sse", "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", #"{"bucket": "data", "rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms"}, "bucketKeyEnabled": true}]}"#),
        ("data-policy", "aws:s3/bucketPolicy:BucketPolicy", #"{"bucket": "data", "policy": "{\"Statement\": [{\"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"s3:*\", \"Resource\": \"*\", \"Condition\": {\"Bool\": {\"aws:SecureTransport\": \"false\"}}}]}"}"#),
        ("open", "aws:s3/bucketV2:BucketV2", #"{"bucket": "open"}"#),
        ("open-pab", "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", #"{"bucket": "04da6b54-80e4-46f7-96ec-b56ff0331ba9", "blockPublicAcls": true}"#),
        ("sealed", "aws:s3/bucket:Bucket", #"{"bucket": "sealed", "serverSideEncryptionConfiguration": {"rule": {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "04da6b54-80e4-46f7-96ec-b56ff0331ba9"}}}}"#),
    ]

    @Test func givesTheSameOutcomesAsUncached() throws {
        let stack = try MemoCheck.stack(Self.resources.map { ($0.type, $0.name, $0.properties) }, file: "buckets.json")
        let handle = try #require(DocumentHandle(stack: stack))
        let order = Array(stack.graph.resources.indices) + [0, 1, 0, 5, 7, 7, 1]
        let bare = MemoCheck.outcomes(AWSBaseline.pack, stack, order, handle: nil)
        #expect(bare.contains { $0.contains("violation") })
        #expect(MemoCheck.outcomes(AWSBaseline.pack, stack, order, handle: handle) == bare)
    }
}
