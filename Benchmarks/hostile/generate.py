#!/usr/bin/env python3
"""Generates the hostile-shape inputs of docs/performance.md ("Round four: hostile shapes", issue #21).

    generate.py big-string OUT.json [--mb 200] [--content base64|text] [--plant start,middle,end]
        A state export whose one resource holds one string output of about MB megabytes: base64 in 76-character lines
        joined by the JSON escape \n (a user-data blob; decoding is on the path), or words without any escape (a
        template). --plant puts a made-up GitHub-shaped token at those places of the string.
    generate.py bomb OUT.json.gz|OUT.json.zst [--inflated-mb 2048]
        A compressed state export that inflates to about INFLATED-MB megabytes: a valid export's opening, then one
        string of spaces. gzip through Python's zlib, zstd through the `zstd` command (streamed, never in memory).
    generate.py small OUT.json
        A small valid export with one plaintext password (a finding), to scan beside a bomb.

Everything is deterministic (fixed seed), so two runs write the same bytes.
"""
import argparse, base64, json, random, subprocess, sys, zlib

STACK_URN = "urn:pulumi:dev::hostile::pulumi:pulumi:Stack::hostile-dev"
# A made-up token of the documented GitHub shape ('ghp_' + 36 characters); not a real credential.
PLANTED = "ghp_R4mp4rtT3stT0k3nN0tR34lXq9Zb7Wd2Kf8H"


def opening(name="blob"):
    """An export up to the opening quote of the big string value."""
    head = {"version": 3, "deployment": {"manifest": {"time": "2026-01-01T00:00:00Z", "magic": "", "version": "v3.140.0"},
                                         "resources": [{"urn": STACK_URN, "custom": False, "type": "pulumi:pulumi:Stack"}]}}
    text = json.dumps(head)
    resource = ('{"urn": "urn:pulumi:dev::hostile::aws:ec2/launchTemplate:LaunchTemplate::big", "custom": true, '
                '"id": "lt-1", "type": "aws:ec2/launchTemplate:LaunchTemplate", "parent": "%s", "outputs": {"%s": "'
                % (STACK_URN, name))
    cut = text.rindex("]}}")
    return text[:cut] + ", " + resource, '"}}' + text[cut:]


def big_string(size, content, rng):
    if content == "base64":
        raw = rng.randbytes(size * 3 // 4)
        # base64 lines of 76 characters, joined by an escaped newline as a JSON string holds them.
        lines = base64.encodebytes(raw).decode().split("\n")
        return "\\n".join(lines)[:size]
    words = ["the", "server", "install", "package", "echo", "config", "systemctl", "enable", "service", "restart",
             "export", "path", "user", "group", "mkdir", "chmod", "curl", "https", "example", "org", "data", "run"]
    chunk = " ".join(rng.choice(words) for _ in range(200_000)) + " "
    return (chunk * (size // len(chunk) + 1))[:size]


def cmd_big_string(args):
    rng = random.Random(21)
    value = big_string(args.mb * 1_000_000, args.content, rng)
    if args.plant:
        cut = lambda at: {"start": 0, "middle": len(value) // 2, "end": len(value)}[at]
        places = sorted((cut(p) for p in args.plant.split(",")), reverse=True)
        for at in places:
            value = value[:at] + " " + PLANTED + " " + value[at:]
    head, tail = opening()
    with open(args.out, "w") as f:
        f.write(head)
        f.write(value)
        f.write(tail)


def cmd_bomb(args):
    head, tail = opening()
    total = args.inflated_mb * 1_000_000
    block = b" " * (1 << 20)
    def chunks():
        yield head.encode()
        left = total
        while left > 0:
            n = min(left, len(block))
            yield block[:n]
            left -= n
        yield tail.encode()
    if args.out.endswith(".gz"):
        z = zlib.compressobj(9, zlib.DEFLATED, 16 + 15)
        with open(args.out, "wb") as f:
            for c in chunks():
                f.write(z.compress(c))
            f.write(z.flush())
    elif args.out.endswith(".zst"):
        with open(args.out, "wb") as f:
            p = subprocess.Popen(["zstd", "-q", "-19", "-c"], stdin=subprocess.PIPE, stdout=f)
            for c in chunks():
                p.stdin.write(c)
            p.stdin.close()
            if p.wait() != 0:
                sys.exit("zstd failed")
    else:
        sys.exit("bomb: OUT must end in .gz or .zst")


def cmd_small(args):
    head = {"version": 3, "deployment": {"manifest": {"time": "2026-01-01T00:00:00Z", "magic": "", "version": "v3.140.0"},
                                         "resources": [
        {"urn": STACK_URN, "custom": False, "type": "pulumi:pulumi:Stack"},
        {"urn": "urn:pulumi:dev::hostile::aws:rds/instance:Instance::db", "custom": True, "id": "db-1",
         "type": "aws:rds/instance:Instance", "parent": STACK_URN,
         "outputs": {"engine": "postgres", "password": "Tr0ub4dor-and-3"}}]}}
    with open(args.out, "w") as f:
        json.dump(head, f)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("big-string"); p.add_argument("out"); p.add_argument("--mb", type=int, default=200)
    p.add_argument("--content", choices=["base64", "text"], default="base64"); p.add_argument("--plant")
    p.set_defaults(run=cmd_big_string)
    p = sub.add_parser("bomb"); p.add_argument("out"); p.add_argument("--inflated-mb", type=int, default=2048)
    p.set_defaults(run=cmd_bomb)
    p = sub.add_parser("small"); p.add_argument("out"); p.set_defaults(run=cmd_small)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
