#!/usr/bin/env python3
"""Regenerates the hostile-input corpus (docs/robustness.md). Each file is written here; `manifest.tsv` (kept by hand)
says how the `rampart` CLI must treat it. Run from anywhere: python3 generate.py"""
import gzip, json, os, pathlib

here = pathlib.Path(__file__).resolve().parent
os.chdir(here)
for sub in ("state", "preview", "rules", "packs"):
    (here / sub).mkdir(exist_ok=True)

def w(name, data):
    (here / name).parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    (here / name).write_bytes(data)

STACK = {"urn": "urn:pulumi:dev::hostile::pulumi:pulumi:Stack::hostile-dev", "custom": False, "type": "pulumi:pulumi:Stack"}
BUCKET = {"urn": "urn:pulumi:dev::hostile::aws:s3/bucket:Bucket::logs", "custom": True, "id": "logs-1",
          "type": "aws:s3/bucket:Bucket", "inputs": {"acl": "private"},
          "outputs": {"acl": "private", "bucket": "logs-1", "tags": {"env": "dev"}, "versioning": {"enabled": True}},
          "parent": STACK["urn"]}

def export(resources=None, **deployment):
    d = {"manifest": {"time": "2026-01-01T00:00:00Z", "magic": "", "version": "v3.140.0"},
         "resources": resources if resources is not None else [STACK, BUCKET]}
    d.update(deployment)
    return {"version": 3, "deployment": d}

def dump(value):
    return json.dumps(value, indent=1)

valid = dump(export())
checkpoint = dump({"version": 3, "checkpoint": {"stack": "dev", "latest": export()["deployment"]}})
preview = dump({"steps": [{"op": "create", "urn": BUCKET["urn"], "newState": {
    "urn": BUCKET["urn"], "type": BUCKET["type"], "custom": True, "inputs": {"acl": "private"}}}],
    "changeSummary": {"create": 1}})

# -- truncated
w("state/truncated-export.json", valid[: len(valid) // 2])
w("state/truncated-checkpoint.json", checkpoint[: len(checkpoint) * 2 // 3])
w("preview/truncated-preview.json", preview[:-3])
w("state/truncated-inside-string.json", valid[: valid.index('"logs-1"') + 4])
w("state/truncated.json.gz", gzip.compress(valid.encode(), mtime=0)[:-20])

# -- empty / not a document
w("state/empty.json", "")
w("state/whitespace-only.json", " \n\t\r\n")
w("state/root-array.json", "[]")
w("state/root-string.json", '"version"')
w("state/root-number.json", "3")
w("state/root-null.json", "null")
w("state/unknown-object.json", '{"hello": "world"}')

# -- wrong types at every level of an export
def mutate(path_value):
    doc = export()
    return doc

def with_deployment(**changes):
    doc = export()
    doc["deployment"].update(changes)
    return dump(doc)

def with_resource(index, **changes):
    doc = export()
    r = dict(doc["deployment"]["resources"][index])
    r.update(changes)
    doc["deployment"]["resources"][index] = r
    return dump(doc)

w("state/version-string.json", dump({"version": "3", "deployment": export()["deployment"]}))
w("state/deployment-array.json", dump({"version": 3, "deployment": []}))
w("state/deployment-null.json", dump({"version": 3, "deployment": None}))
w("state/resources-object.json", with_deployment(resources={"a": 1}))
w("state/resources-string.json", with_deployment(resources="none"))
w("state/resource-string.json", dump(export(resources=[STACK, "urn:pulumi:dev::hostile::x:y:Z::r"])))
w("state/resource-null.json", dump(export(resources=[STACK, None])))
w("state/urn-number.json", with_resource(1, urn=42))
w("state/urn-invalid.json", with_resource(1, urn="not-a-urn"))
w("state/type-array.json", with_resource(1, type=["aws:s3/bucket:Bucket"]))
w("state/custom-string.json", with_resource(1, custom="yes"))
w("state/outputs-array.json", with_resource(1, outputs=[1, 2, 3]))
w("state/inputs-string.json", with_resource(1, inputs="acl=private"))
w("state/dependencies-object.json", with_resource(1, dependencies={"a": STACK["urn"]}))
w("state/dependencies-number-item.json", with_resource(1, dependencies=[7]))
w("state/parent-number.json", with_resource(1, parent=1))
w("state/property-dependencies-array.json", with_resource(1, propertyDependencies=["acl"]))
w("state/manifest-string.json", with_deployment(manifest="v3"))
w("state/secrets-providers-array.json", with_deployment(secrets_providers=["passphrase"]))
w("state/pending-operations-object.json", with_deployment(pending_operations={"op": "creating"}))
w("state/pending-operation-resource-string.json", with_deployment(pending_operations=[{"type": "creating", "resource": "x"}]))
w("state/secret-ciphertext-number.json", with_resource(1, outputs={"password": {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": 12}}))
w("state/checkpoint-array.json", dump({"version": 3, "checkpoint": []}))
w("state/checkpoint-latest-string.json", dump({"version": 3, "checkpoint": {"stack": "dev", "latest": "none"}}))

# -- preview shapes
w("preview/steps-object.json", dump({"steps": {"op": "create"}}))
w("preview/step-number.json", dump({"steps": [1]}))
w("preview/step-op-number.json", dump({"steps": [{"op": 3, "urn": BUCKET["urn"]}]}))
w("preview/step-newstate-array.json", dump({"steps": [{"op": "create", "urn": BUCKET["urn"], "newState": []}]}))
w("preview/step-urn-invalid.json", dump({"steps": [{"op": "create", "urn": "bucket", "newState": {"urn": "bucket", "type": "t"}}]}))
w("preview/events-bad-line.jsonl", '{"sequence":1,"timestamp":1,"preludeEvent":{"config":{}}}\n{"sequence":2,"timestamp":2,\n')

# -- encodings and bytes
w("state/invalid-utf8-in-string.json", valid.replace('"logs-1"', '"logs-\x00X"', 1).encode().replace(b"\x00X", b"\xc3\x28"))
w("state/invalid-utf8-in-key.json", valid.encode().replace(b'"acl"', b'"a\xffcl"', 1))
w("state/overlong-utf8.json", valid.encode().replace(b'"logs-1"', b'"\xc0\xafetc"', 1))
w("state/bom-utf8.json", b"\xef\xbb\xbf" + valid.encode())
w("state/utf16le-bom.json", b"\xff\xfe" + valid.encode("utf-16-le"))
w("state/utf16be.json", valid.encode("utf-16-be"))
w("state/nul-byte-between-tokens.json", valid.encode().replace(b'"version"', b'\x00"version"', 1))
w("state/nul-byte-in-string.json", valid.encode().replace(b'"logs-1"', b'"logs\x00-1"', 1))
w("state/escaped-nul-in-string.json", valid.replace('"logs-1"', '"logs\\u0000-1"', 1))
w("state/lone-surrogate-escape.json", valid.replace('"logs-1"', '"\\ud800"', 1))
w("state/control-char-in-string.json", valid.encode().replace(b'"logs-1"', b'"logs\x07-1"', 1))
w("state/crlf-valid.json", valid.replace("\n", "\r\n"))
w("state/crlf-error-line-4.json", valid.replace("\n", "\r\n").replace('"magic": ""', '"magic": ', 1))
w("state/mixed-utf8-latin1.json", valid.encode().replace(b'"dev"', b'"d\xe9v"', 1))

# -- syntax that other JSON readers tolerate
w("state/nan-literal.json", valid.replace('"version": 3', '"version": NaN', 1))
w("state/infinity-literal.json", valid.replace('"version": 3', '"version": Infinity', 1))
w("state/trailing-comma.json", valid.replace('"private"\n  }', '"private",\n  }', 1).rstrip()[:-1] + ",}")
w("state/comment.json", "// exported\n" + valid)
w("state/single-quotes.json", valid.replace('"acl"', "'acl'", 1))
w("state/trailing-garbage.json", valid + "\n}")
w("state/leading-zero-number.json", valid.replace('"version": 3', '"version": 03', 1))

# -- numbers
w("state/number-overflow.json", with_resource(1, outputs={"size": 0}).replace('"size": 0', '"size": 1e400'))
w("state/number-huge-integer.json", with_resource(1, outputs={"size": 0}).replace('"size": 0', '"size": ' + "9" * 400))
w("state/number-tiny.json", with_resource(1, outputs={"size": 0}).replace('"size": 0', '"size": 1e-400'))
w("state/number-long-mantissa.json", with_resource(1, outputs={"size": 0}).replace('"size": 0', '"size": 0.' + "1" * 5000))
w("state/version-overflow.json", valid.replace('"version": 3', '"version": 1e999', 1))

# -- duplicates, depth, size
w("state/duplicate-key-deployment.json", valid[:-1] + ', "deployment": {"resources": []}}')
w("state/duplicate-key-in-outputs.json", valid.replace('"acl": "private",', '"acl": "private", "acl": "public-read",', 1))
w("state/deep-nesting-root.json", "[" * 100_000)
w("state/deep-nesting-in-outputs.json", with_resource(1, outputs={"deep": 0}).replace('"deep": 0', '"deep": ' + "[" * 600 + "]" * 600))
w("state/deep-objects-in-outputs.json", with_resource(1, outputs={"deep": 0}).replace('"deep": 0', '"deep": ' + '{"a":' * 600 + "1" + "}" * 600))
w("state/enormous-string.json", with_resource(1, outputs={"blob": "x" * (1 << 18)}))
w("state/long-xy-string.json", with_resource(1, outputs={"acl": "private", "blob": "xy" * 30000}))
w("state/enormous-key.json", with_resource(1, outputs={"k" * (1 << 16): 1}))
w("state/many-resources.json", dump(export(resources=[STACK] + [
    {"urn": f"urn:pulumi:dev::hostile::aws:s3/bucket:Bucket::b{i}", "type": "aws:s3/bucket:Bucket", "custom": True, "id": f"b{i}",
     "outputs": {"acl": "private"}} for i in range(1500)])))
w("state/duplicate-urns.json", dump(export(resources=[STACK, BUCKET, BUCKET])))
w("state/dependency-cycle.json", dump(export(resources=[STACK,
    dict(BUCKET, urn=BUCKET["urn"] + "a", parent=BUCKET["urn"] + "b"), dict(BUCKET, urn=BUCKET["urn"] + "b", parent=BUCKET["urn"] + "a")])))
w("state/zstd-garbage.json.zst", b"\x28\xb5\x2f\xfd" + b"\x00garbage" * 8)
w("state/gzip-of-garbage.json.gz", gzip.compress(b"\xff\xfe\x00not json" * 10, mtime=0))

# -- YAML rule files (used with --pack over a small valid state)
RULE = """name: hostile-rules
version: 1.0.0
policies:
  - name: bucket-private
    description: Buckets are private.
    severity: high
    resources: { types: ["aws:s3/bucket:Bucket"] }
    validate:
      path: acl
      equals: private
    message: "bucket {{ name }} is not private"
"""
w("rules/valid.yaml", RULE)
w("rules/valid-crlf.yaml", RULE.replace("\n", "\r\n"))
w("rules/valid-bom.yaml", b"\xef\xbb\xbf" + RULE.encode())
w("rules/utf16le.yaml", b"\xff\xfe" + RULE.encode("utf-16-le"))
w("rules/invalid-utf8.yaml", RULE.encode().replace(b"Buckets", b"Buck\xffets", 1))
w("rules/nul-byte.yaml", RULE.encode().replace(b"severity", b"sev\x00erity", 1))
laughs = ["name: lol\nversion: 1.0.0\nx0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
for i in range(1, 10):
    laughs.append(f"x{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
w("rules/billion-laughs.yaml", "\n".join(laughs) + "\npolicies: *a9\n")
w("rules/alias-bomb-in-policy.yaml", RULE.replace('    message: "bucket {{ name }} is not private"\n', "") +
  "  - &p0\n    name: p\n    description: d\n    resources: { types: [x] }\n    validate: {path: acl, equals: private}\n" +
  "".join(f"  - &p{i} {{name: q{i}, description: [*p{i-1}, *p{i-1}, *p{i-1}, *p{i-1}, *p{i-1}, *p{i-1}, *p{i-1}, *p{i-1}]}}\n" for i in range(1, 9)))
w("rules/deep-flow-nesting.yaml", "name: deep\nversion: 1.0.0\npolicies: " + "[" * 50_000 + "]" * 50_000 + "\n")
w("rules/deep-indentation.yaml", "name: deep\nversion: 1.0.0\npolicies:\n" + "".join(" " * (2 * i) + f"- k{i}:\n" for i in range(300)))
w("rules/tabs-indentation.yaml", RULE.replace("    description", "\tdescription", 1))
w("rules/duplicate-keys.yaml", RULE.replace("    severity: high\n", "    severity: high\n    severity: low\n", 1))
w("rules/policies-mapping.yaml", "name: x\nversion: 1.0.0\npolicies:\n  a: 1\n")
w("rules/policy-number.yaml", "name: x\nversion: 1.0.0\npolicies: [3]\n")
w("rules/assert-list.yaml", RULE.replace("    validate:\n      path: acl\n      equals: private\n", "    validate: [acl]\n", 1))
w("rules/catastrophic-regex.yaml", RULE.replace("      equals: private", "      matches: \"^(a+)+$\"", 1))
w("rules/nested-star-regex.yaml", RULE.replace("      equals: private", "      matches: \"(x*y?)*z\"", 1))
w("rules/invalid-regex.yaml", RULE.replace("      equals: private", "      matches: \"([a-z\"", 1))
w("rules/enormous-scalar.yaml", RULE.replace("Buckets are private.", "B" * (1 << 18), 1))
w("rules/empty.yaml", "")
w("rules/truncated.yaml", RULE[:RULE.index("validate") + 10] + "{path: [")
w("rules/huge-number.yaml", RULE.replace("path: acl\n      equals: private", "path: size\n      greaterThan: 1e999999", 1))
w("rules/wrong-type-severity.yaml", RULE.replace("severity: high", "severity: [high]", 1))
w("rules/wrong-type-resources.yaml", RULE.replace('resources: { types: ["aws:s3/bucket:Bucket"] }', "resources: 12", 1))
w("rules/unknown-operator.yaml", RULE.replace("equals: private", "equalz: private", 1))
w("rules/long-regex-value-polynomial.yaml", RULE.replace("path: acl\n      equals: private", "path: blob\n      matches: \"x.*y.*z\"", 1))

# -- pack directories
w("packs/include-escape/pack.yaml", "name: escape\nversion: 1.0.0\ninclude: ['../../rules/valid.yaml']\n")
w("packs/include-absolute/pack.yaml", "name: escape\nversion: 1.0.0\ninclude: ['/etc/*']\n")
w("packs/include-matches-nothing/pack.yaml", "name: nothing\nversion: 1.0.0\ninclude: ['policies/*.yaml']\n")
w("packs/include-star-star-bomb/pack.yaml", "name: stars\nversion: 1.0.0\ninclude: ['" + "/".join(["**"] * 40) + "/x.yaml']\n")

# -- Pulumi.<stack>.yaml (used with `rampart lint DIR`: each case is a project directory)
PROJECT = "name: hostile\nruntime: nodejs\n"
STACKCFG = "config:\n  aws:region: eu-west-1\n  hostile:dbPassword:\n    secure: v1:c2FsdA==:AAAAAAAAAAAAAAAAAAAAAAAAAAAA\n"
def project(case, stack_bytes):
    w(f"lint/{case}/Pulumi.yaml", PROJECT)
    w(f"lint/{case}/Pulumi.dev.yaml", stack_bytes)
project("valid", STACKCFG)
project("valid-crlf", STACKCFG.replace("\n", "\r\n"))
project("valid-bom", b"\xef\xbb\xbf" + STACKCFG.encode())
project("utf16", b"\xff\xfe" + STACKCFG.encode("utf-16-le"))
project("invalid-utf8", STACKCFG.encode().replace(b"eu-west-1", b"eu-\xffwest-1"))
project("nul-byte", STACKCFG.encode().replace(b"region", b"reg\x00ion"))
project("config-list", "config: [1, 2]\n")
project("config-scalar", "config: 3\n")
project("secure-not-string", "config:\n  hostile:x:\n    secure: [1]\n")
project("duplicate-keys", STACKCFG + "  aws:region: us-east-1\n")
project("truncated", STACKCFG[:40] + "\n  - [")
project("deep-nesting", "config:\n  hostile:x: " + "[" * 20000 + "]" * 20000 + "\n")
project("billion-laughs", "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" +
        "".join(f"a{i}: &a{i} [" + ", ".join([f"*a{i-1}"] * 9) + "]\n" for i in range(1, 10)) + "config:\n  hostile:bomb: *a9\n")
project("tabs", "config:\n\thostile:x: 1\n")
