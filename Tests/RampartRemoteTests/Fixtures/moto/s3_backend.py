"""Builds self-managed Pulumi backends in moto's S3 for RampartRemoteTests (and the 1,000-stack figure).

  s3_backend.py backend ENDPOINT BUCKET PREFIX LOCAL_DIR [STACKS [STATE_RESOURCE]]
      Writes a backend directory under LOCAL_DIR (project and legacy layouts, .json and .json.gz, plus history,
      backups, locks and .bak files that are not stacks) and uploads it byte for byte to s3://BUCKET/PREFIX/.
      With STATE_RESOURCE, the first stack declares a bucket of that name (versioned, nothing else).
  s3_backend.py harden ENDPOINT BUCKET      SSE-KMS with a customer key, versioning, Block Public Access, logging.
  s3_backend.py bare ENDPOINT BUCKET        A bucket with nothing configured and a public-read ACL.

Credentials are moto's (any key is accepted); the tests pass their own fake ones to Rampart.
"""
import gzip
import json
import os
import sys

import boto3


def client(endpoint, service="s3"):
    return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="moto", aws_secret_access_key="moto")


def checkpoint(project, stack, index, state_bucket):
    """A checkpoint (docs/formats.md) with a few resources: a bucket per stack, and on the first stack the state
    bucket itself with its companion resources, so the state-bucket items can be decided from resources too."""
    def urn(type_, name):
        return f"urn:pulumi:{stack}::{project}::{type_}::{name}"

    resources = [
        {"urn": urn("pulumi:pulumi:Stack", f"{project}-{stack}"), "custom": False, "type": "pulumi:pulumi:Stack"},
        {"urn": urn("pulumi:providers:aws", "default"), "custom": True, "id": f"prov-{index}", "type": "pulumi:providers:aws",
         "inputs": {"region": "us-east-1"}, "outputs": {"region": "us-east-1"}},
        {"urn": urn("aws:s3/bucketV2:BucketV2", "data"), "custom": True, "id": f"data-{index}", "type": "aws:s3/bucketV2:BucketV2",
         "inputs": {"bucket": f"data-{index}"}, "outputs": {"bucket": f"data-{index}", "arn": f"arn:aws:s3:::data-{index}"},
         "provider": urn("pulumi:providers:aws", "default") + f"::prov-{index}"},
        {"urn": urn("aws:ec2/securityGroup:SecurityGroup", "web"), "custom": True, "id": f"sg-{index}",
         "type": "aws:ec2/securityGroup:SecurityGroup",
         "inputs": {"ingress": [{"cidrBlocks": ["0.0.0.0/0"], "fromPort": 22, "toPort": 22, "protocol": "tcp"}]},
         "outputs": {"ingress": [{"cidrBlocks": ["0.0.0.0/0"], "fromPort": 22, "toPort": 22, "protocol": "tcp"}]}},
    ]
    if index == 0 and state_bucket:
        resources.append({"urn": urn("aws:s3/bucketV2:BucketV2", "state"), "custom": True, "id": state_bucket,
                          "type": "aws:s3/bucketV2:BucketV2", "inputs": {"bucket": state_bucket},
                          "outputs": {"bucket": state_bucket, "arn": f"arn:aws:s3:::{state_bucket}"}})
        resources.append({"urn": urn("aws:s3/bucketVersioningV2:BucketVersioningV2", "state"), "custom": True, "id": state_bucket,
                          "type": "aws:s3/bucketVersioningV2:BucketVersioningV2",
                          "inputs": {"bucket": state_bucket, "versioningConfiguration": {"status": "Enabled"}},
                          "outputs": {"bucket": state_bucket, "versioningConfiguration": {"status": "Enabled"}}})
    return {"version": 3, "checkpoint": {"stack": f"organization/{project}/{stack}", "latest": {
        "manifest": {"time": "2026-01-01T00:00:00Z", "magic": "m", "version": "v3.100.0"},
        "secrets_providers": {"type": "passphrase", "state": {"salt": "v1:AAAA:BBBB"}},
        "resources": resources}}}


def write_backend(root, stacks, state_bucket):
    """Returns the relative paths written. Stack i: project layout (.json, every third .json.gz) except every fifth,
    which is legacy layout."""
    written = []

    def put(relative, data):
        path = os.path.join(root, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(data)
        # Fixed times: the newest-checkpoint choice must not depend on when the files were written.
        os.utime(path, (1_767_225_600, 1_767_225_600))
        written.append(relative)

    put(".pulumi/meta.yaml", b"version: 1\n")
    for i in range(stacks):
        project, stack = f"app{i % 7}", f"s{i:04d}"
        body = json.dumps(checkpoint(project, stack, i, state_bucket), indent=2).encode()
        if i % 5 == 4:
            put(f".pulumi/stacks/{stack}.json", body)
        elif i % 3 == 2:
            put(f".pulumi/stacks/{project}/{stack}.json.gz", gzip.compress(body, mtime=0))
        else:
            put(f".pulumi/stacks/{project}/{stack}.json", body)
            put(f".pulumi/stacks/{project}/{stack}.json.bak", b"{}")
        if i < 3:
            put(f".pulumi/history/{project}/{stack}/{stack}-1.checkpoint.json", b"{}")
            put(f".pulumi/history/{project}/{stack}/{stack}-1.history.json", b"{}")
            put(f".pulumi/backups/{project}/{stack}/{stack}.1.json", b"{}")
            put(f".pulumi/locks/{project}/{stack}/lock.json", b"{}")
    return written


def backend(endpoint, bucket, prefix, local, stacks, state_resource):
    s3 = client(endpoint)
    if bucket not in [b["Name"] for b in s3.list_buckets()["Buckets"]]:
        s3.create_bucket(Bucket=bucket)
    written = write_backend(local, stacks, state_resource)
    for relative in written:
        with open(os.path.join(local, relative), "rb") as handle:
            key = f"{prefix}/{relative}" if prefix else relative
            s3.put_object(Bucket=bucket, Key=key, Body=handle.read())
    print(len(written))


def harden(endpoint, bucket):
    s3 = client(endpoint)
    s3.create_bucket(Bucket=bucket)
    s3.create_bucket(Bucket=bucket + "-logs")
    key = client(endpoint, "kms").create_key(Description="state")["KeyMetadata"]["Arn"]
    s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={"Rules": [
        {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key}}]})
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
    s3.put_bucket_acl(Bucket=bucket + "-logs", ACL="log-delivery-write")
    s3.put_bucket_logging(Bucket=bucket, BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": bucket + "-logs", "TargetPrefix": "state/"}})
    print(key)


def bare(endpoint, bucket):
    s3 = client(endpoint)
    s3.create_bucket(Bucket=bucket, ACL="public-read")


if __name__ == "__main__":
    command, endpoint, bucket = sys.argv[1], sys.argv[2], sys.argv[3]
    if command == "backend":
        backend(endpoint, bucket, sys.argv[4].strip("/"), sys.argv[5], int(sys.argv[6]) if len(sys.argv) > 6 else 10,
                sys.argv[7] if len(sys.argv) > 7 else None)
    elif command == "harden":
        harden(endpoint, bucket)
    elif command == "bare":
        bare(endpoint, bucket)
    else:
        sys.exit(f"unknown command {command}")
