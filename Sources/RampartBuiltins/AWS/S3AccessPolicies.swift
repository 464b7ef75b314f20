import RampartPolicy

extension AWSBaseline {
    static let tlsOnlyPolicy = #"{\"Statement\": [{\"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"s3:*\", \"Resource\": \"*\", \"Condition\": {\"Bool\": {\"aws:SecureTransport\": \"false\"}}}]}"#
    static let publicReadPolicy = #"{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"*\"}, \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b-1/*\"}]}"#

    static let s3NoPublicACL = SwiftResourcePolicy(
        baseline("s3-bucket-no-public-acl", "S3 buckets do not grant access to everyone through an ACL.", severity: .critical,
                 frameworks: [cis("2.1.5")] + frameworks("hitrust", "iso27001", "pcidss") + [nist("SC-7")],
                 rationale: "A public-read or authenticated-read ACL lets anyone (or any AWS account) list or read the objects, unless Block Public Access ignores public ACLs.",
                 remediation: "Use the `private` ACL (or none, with object ownership `BucketOwnerEnforced`), or set `ignorePublicAcls` in the bucket's public access block.",
                 examples: [
                     example(S3.legacyBucket, #"{"acl": "private"}"#, .pass),
                     example(S3.legacyBucket, #"{"acl": "public-read"}"#, .violation),
                     example(S3.nativeBucket, #"{"accessControl": "PublicReadWrite"}"#, .violation),
                     joined(.violation, "separate ACL resource", bucketV2(), sideOf(S3.acls[0], #"{"bucket": "b-1", "acl": "authenticated-read"}"#)),
                     joined(.pass, "neutralised by ignorePublicAcls", ExampleResource("b", type: S3.legacyBucket, properties: #"{"bucket": "b-1", "acl": "public-read"}"#),
                            sideOf(S3.publicAccessBlock, allBlocked)),
                     joined(.pass, "grant to a named account is not public", bucketV2(),
                            sideOf(S3.acls[1], #"{"bucket": "b-1", "accessControlPolicy": {"grants": [{"grantee": {"type": "CanonicalUser", "id": "abc"}, "permission": "READ"}]}}"#)),
                     joined(.indeterminate, "preview: ACL cannot be joined yet", preview: true, bucketV2(#"{}"#),
                            sideOf(S3.acls[1], #"{"bucket": "\#(unknown)", "acl": "public-read"}"#, dependency: false)),
                 ],
                 equivalents: compliance("aws-s3-bucket-disallow-public-read", "awsnative-s3-bucket-disallow-public-read")),
        types: S3.buckets
    ) { bucket, _ in
        let (flags, _, _) = try S3.blockedFlags(bucket)
        if flags.contains("ignorePublicAcls") { return .pass }
        var grants: [String] = []
        let own = try bucket.string(bucket.type == S3.nativeBucket ? "accessControl" : "acl")
        if let own, S3.publicACLs.contains(own.lowercased()) { grants.append("ACL \(own)") }
        let side = S3.side(bucket, S3.aclSide)
        for acl in side.matches {
            if let canned = try acl.string("acl"), S3.publicACLs.contains(canned.lowercased()) { grants.append("ACL \(canned) (\(acl.name))") }
            for grant in try acl.value("accessControlPolicy.grants").requireElements("accessControlPolicy.grants") {
                let uri = grant["grantee"]["uri"].string ?? ""
                if uri.hasSuffix("/global/AllUsers") || uri.hasSuffix("/global/AuthenticatedUsers") {
                    grants.append("grant of \(grant["permission"].string ?? "access") to \(uri.split(separator: "/").last ?? "") (\(acl.name))")
                }
            }
        }
        if grants.isEmpty, let reason = side.undecided { return .indeterminate(reason) }
        return .check(grants.isEmpty, "S3 bucket \(bucket.name) is public through \(grants.joined(separator: "; ")).")
    }

    static let s3TLSOnly = SwiftResourcePolicy(
        baseline("s3-bucket-tls-only", "S3 bucket policies deny requests not made over TLS.", severity: .medium,
                 frameworks: [cis("2.1.2"), nist("SC-8")],
                 rationale: "S3 accepts plain HTTP unless the bucket policy denies it; requests and credentials can then be read on the wire.",
                 remediation: "Add a bucket policy statement `Effect: Deny, Principal: \"*\", Action: \"s3:*\"` with `Condition: { Bool: { \"aws:SecureTransport\": \"false\" } }`.",
                 examples: [
                     joined(.pass, nil, bucketV2(), sideOf(S3.policies[0], #"{"bucket": "b-1", "policy": "\#(tlsOnlyPolicy)"}"#)),
                     example(S3.legacyBucket, #"{"policy": "\#(tlsOnlyPolicy)"}"#, .pass, "legacy inline policy"),
                     joined(.pass, "aws-native policy document object", ExampleResource("b", type: S3.nativeBucket, properties: #"{"bucketName": "b-1"}"#),
                            sideOf(S3.policies[1], #"{"bucket": "b-1", "policyDocument": {"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Condition": {"Bool": {"aws:SecureTransport": false}}}]}}"#)),
                     example(S3.bucketV2, #"{"bucket": "b-1"}"#, .violation, "no policy"),
                     joined(.violation, "policy without the TLS statement", bucketV2(), sideOf(S3.policies[0], #"{"bucket": "b-1", "policy": "\#(publicReadPolicy)"}"#)),
                     joined(.indeterminate, "preview: policy text unknown", preview: true, bucketV2(#"{}"#),
                            sideOf(S3.policies[0], #"{"bucket": "\#(unknown)", "policy": "\#(unknown)"}"#)),
                 ]),
        types: S3.buckets
    ) { bucket, _ in
        let (statements, _, side) = try S3.policyStatements(bucket)
        return joinedOutcome(found: statements.contains(where: \.deniesInsecureTransport), side,
                             "S3 bucket \(bucket.name) has no bucket policy statement denying requests without TLS (aws:SecureTransport false).")
    }

    static let s3PolicyNotPublic = SwiftResourcePolicy(
        baseline("s3-bucket-policy-not-public", "S3 bucket policies do not allow anyone without a condition.", severity: .critical,
                 frameworks: [nist("SC-7")],
                 rationale: "An Allow statement for Principal \"*\" with no condition opens the bucket to the internet, unless Block Public Access restricts public buckets.",
                 remediation: "Name the principals that need access, or add a condition (source VPC endpoint, organization id); keep `restrictPublicBuckets` on.",
                 examples: [
                     joined(.pass, nil, bucketV2(), sideOf(S3.policies[0], #"{"bucket": "b-1", "policy": "\#(tlsOnlyPolicy)"}"#)),
                     example(S3.bucketV2, #"{}"#, .pass, "no policy"),
                     joined(.violation, nil, bucketV2(), sideOf(S3.policies[0], #"{"bucket": "b-1", "policy": "\#(publicReadPolicy)"}"#)),
                     example(S3.legacyBucket, #"{"policy": "\#(publicReadPolicy)"}"#, .violation),
                     joined(.pass, "restrictPublicBuckets neutralises it", bucketV2(), sideOf(S3.policies[0], #"{"bucket": "b-1", "policy": "\#(publicReadPolicy)"}"#),
                            sideOf(S3.publicAccessBlock, allBlocked, name: "pab")),
                     joined(.indeterminate, "preview: policy text unknown", preview: true, bucketV2(#"{}"#),
                            sideOf(S3.policies[0], #"{"bucket": "\#(unknown)", "policy": "\#(unknown)"}"#)),
                 ]),
        types: S3.buckets
    ) { bucket, _ in
        let (flags, _, _) = try S3.blockedFlags(bucket)
        if flags.contains("restrictPublicBuckets") { return .pass }
        let (statements, _, side) = try S3.policyStatements(bucket)
        let open = statements.filter { $0.allow && $0.anyPrincipal && !$0.hasCondition }
        if open.isEmpty, let reason = side.undecided { return .indeterminate(reason) }
        return .check(open.isEmpty, "S3 bucket \(bucket.name)'s policy allows \(open.flatMap(\.actions).joined(separator: ", ")) to anyone without a condition.")
    }
}
