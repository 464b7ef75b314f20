#!/usr/bin/env python3
"""Convert a Pulumi state export into a Terraform plan JSON, for benchmarking only.

This is a benchmark aid for issue #9: it lets Checkov (`--framework terraform_plan`)
scan the "same" infrastructure that Rampart scans from a Pulumi state export, so
the two tools can be timed side by side on the same machine.

The mapping is APPROXIMATE. It covers only the resource types that
`rampart-bench` generates, renames properties camelCase -> snake_case, wraps
nested objects in single-element lists the way Terraform represents nested
blocks, and replaces Pulumi secrets with a placeholder string. It does not
reproduce every attribute a real provider would report (computed attributes,
`tags_all`, defaults), so Checkov's verdicts on the result are not meant to
match Rampart's; only the size and shape of the input are meant to be comparable.

Usage: pulumi_to_tfplan.py STATE.json PLAN.json
"""
import json
import re
import sys

TYPES = {
    "aws:s3/bucket:Bucket": ("aws_s3_bucket", "aws"),
    "aws:s3/bucketV2:BucketV2": ("aws_s3_bucket", "aws"),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": ("aws_s3_bucket_public_access_block", "aws"),
    "aws:ec2/instance:Instance": ("aws_instance", "aws"),
    "aws:ec2/securityGroup:SecurityGroup": ("aws_security_group", "aws"),
    "aws:iam/role:Role": ("aws_iam_role", "aws"),
    "aws:rds/instance:Instance": ("aws_db_instance", "aws"),
    "aws:lambda/function:Function": ("aws_lambda_function", "aws"),
    "aws:ebs/volume:Volume": ("aws_ebs_volume", "aws"),
    "aws:dynamodb/table:Table": ("aws_dynamodb_table", "aws"),
    "aws:kms/key:Key": ("aws_kms_key", "aws"),
    "kubernetes:apps/v1:Deployment": ("kubernetes_deployment", "kubernetes"),
    "kubernetes:core/v1:Service": ("kubernetes_service", "kubernetes"),
    "random:index/randomPassword:RandomPassword": ("random_password", "random"),
}

SECRET_SIG = "4dabf18193072939515e22adb298388d"
SENSITIVE = "(sensitive value)"
# Objects that are Terraform maps (string -> value), not nested blocks.
MAPS = {"tags", "variables", "labels", "annotations", "match_labels"}
# Pulumi pluralises some repeated blocks; Terraform uses the singular block name.
RENAMES = {"loggings": "logging", "attributes": "attribute", "containers": "container", "ports": "port"}


def snake(name):
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def convert(value, key=None):
    """Pulumi property value -> Terraform attribute value."""
    if isinstance(value, dict):
        if SECRET_SIG in value:
            return SENSITIVE
        if key in MAPS:
            return {k: convert(v) for k, v in value.items()}
        return [block(value)]  # a nested block is a single-element list
    if isinstance(value, list):  # a list of objects is a repeated block
        return [block(v) if isinstance(v, dict) and SECRET_SIG not in v else convert(v) for v in value]
    return value


def block(obj):
    out = {}
    for k, v in obj.items():
        name = RENAMES.get(k, snake(k))
        out[name] = convert(v, name)
    return out


def expressions(values):
    """A `configuration` expressions block as Terraform writes it for literal arguments."""
    exprs = {}
    for k, v in values.items():
        if isinstance(v, list) and v and all(isinstance(b, dict) for b in v) and k not in MAPS:
            exprs[k] = [expressions(b) for b in v]
        else:
            exprs[k] = {"constant_value": v}
    return exprs


def main(src, dst):
    with open(src) as f:
        state = json.load(f)
    planned, changes, config = [], [], []
    seen = set()
    for res in state["deployment"]["resources"]:
        mapped = TYPES.get(res["type"])
        if mapped is None:  # pulumi:* and anything unknown
            continue
        tf_type, provider = mapped
        name = res["urn"].rsplit("::", 1)[-1]
        address = f"{tf_type}.{name}"
        if address in seen:
            continue
        seen.add(address)
        values = block(res.get("outputs") or res.get("inputs") or {})
        provider_name = f"registry.terraform.io/hashicorp/{provider}"
        planned.append({"address": address, "mode": "managed", "type": tf_type, "name": name,
                        "provider_name": provider_name, "schema_version": 0,
                        "values": values, "sensitive_values": {}})
        changes.append({"address": address, "mode": "managed", "type": tf_type, "name": name,
                        "provider_name": provider_name,
                        "change": {"actions": ["create"], "before": None, "after": values,
                                   "after_unknown": {}, "before_sensitive": False,
                                   "after_sensitive": {}}})
        config.append({"address": address, "mode": "managed", "type": tf_type, "name": name,
                       "provider_config_key": provider, "expressions": expressions(values),
                       "schema_version": 0})
    plan = {
        "format_version": "1.2",
        "terraform_version": "1.9.8",
        "planned_values": {"root_module": {"resources": planned}},
        "resource_changes": changes,
        "configuration": {
            "provider_config": {p: {"name": p, "full_name": f"registry.terraform.io/hashicorp/{p}"}
                                for p in ("aws", "kubernetes", "random")},
            "root_module": {"resources": config},
        },
    }
    with open(dst, "w") as f:
        json.dump(plan, f)
    print(f"{src}: {len(planned)} resources -> {dst}", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
