#!/usr/bin/env python3
"""A local stand-in for the Pulumi Cloud REST API, for Rampart's remote-input tests and figures.

Serves the stacks of a self-managed backend directory (ROOT/.pulumi/stacks/<project>/<stack>.json, each a
`pulumi stack export` document) as the stacks of one organisation, and an organisation snapshot file
(docs/org-snapshot.md's shape) through the API endpoints it is assembled from. Shapes follow the public API:

  GET /api/user/stacks?organization=ORG[&project=P][&continuationToken=T]  -> {stacks: [{orgName, projectName, stackName}], continuationToken?}
  GET /api/stacks/ORG/PROJECT/STACK/export                                  -> the export document
  GET /api/orgs/ORG/members, /teams, /teams/T, /tokens, /teams/T/tokens, /policygroups, /policygroups/G,
      /auditlogs, /auditlogs/export/config, /auth/saml;  GET /api/user/tokens

Every request needs `Authorization: token TOKEN` (else 401) and `Accept: application/vnd.pulumi+8` (else 406).
Faults, each a glob over the request path (repeatable): --throttle (first request: 429 with Retry-After: 1),
--fail-once (first request: 500), --slow-once GLOB=SECONDS (first request answers late), --forbid (403 always),
--broken (500 always). Binds 127.0.0.1 on a free port and prints `PORT <n>` once it accepts connections.
"""

import argparse
import fnmatch
import json
import os
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", required=True, help="backend directory holding .pulumi/stacks/<project>/<stack>.json")
    parser.add_argument("--org", required=True, help="the organisation's name")
    parser.add_argument("--token", required=True, help="the only access token accepted")
    parser.add_argument("--snapshot", help="organisation snapshot JSON whose parts the org endpoints serve")
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--throttle", action="append", default=[])
    parser.add_argument("--fail-once", action="append", default=[])
    parser.add_argument("--slow-once", action="append", default=[], help="GLOB=SECONDS")
    parser.add_argument("--forbid", action="append", default=[])
    parser.add_argument("--broken", action="append", default=[])
    parser.add_argument("--log", help="append one line per request: METHOD PATH?QUERY STATUS (`slow` when a slow answer starts)")
    return parser.parse_args()


ARGS = parse_args()
LOCK = threading.Lock()
SEEN = {}  # (fault, path) -> requests so far


def first_time(fault, path):
    with LOCK:
        count = SEEN.get((fault, path), 0)
        SEEN[(fault, path)] = count + 1
        return count == 0


def matches(globs, path):
    return any(fnmatch.fnmatchcase(path, g) for g in globs)


def stacks():
    """[(project, stack)] of the backend directory, sorted."""
    base = os.path.join(ARGS.root, ".pulumi", "stacks")
    found = []
    for project in sorted(os.listdir(base)) if os.path.isdir(base) else []:
        folder = os.path.join(base, project)
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            if name.endswith(".json"):
                found.append((project, name[: -len(".json")]))
    return found


def snapshot():
    if not ARGS.snapshot:
        return {}
    with open(ARGS.snapshot, encoding="utf-8") as handle:
        return json.load(handle)


def without_scope(token):
    return {k: v for k, v in token.items() if k != "scope"}


def page(items, key, query):
    start = int(query.get("continuationToken", ["0"])[0] or 0)
    end = start + ARGS.page_size
    body = {key: items[start:end]}
    if end < len(items):
        body["continuationToken"] = str(end)
    return body


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # quiet: the test reads --log instead
        pass

    def send(self, status, body=None, headers=None):
        data = b"" if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)
        self.note(f"{self.command} {self.path} {status}")

    def note(self, line):
        if ARGS.log:
            with LOCK, open(ARGS.log, "a", encoding="utf-8") as log:
                log.write(line + "\n")

    def error(self, status, message):
        self.send(status, {"code": status, "message": message})

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        path = urllib.parse.unquote(url.path)
        query = urllib.parse.parse_qs(url.query)
        if self.headers.get("Authorization") != f"token {ARGS.token}":
            return self.error(401, "Unauthorized: No credentials provided or are invalid.")
        if self.headers.get("Accept") != "application/vnd.pulumi+8":
            return self.error(406, "expected Accept: application/vnd.pulumi+8")
        for spec in ARGS.slow_once:
            glob, seconds = spec.rsplit("=", 1)
            if fnmatch.fnmatchcase(path, glob) and first_time("slow", path):
                self.note(f"{self.command} {self.path} slow")
                time.sleep(float(seconds))
        if matches(ARGS.forbid, path):
            return self.error(403, "Forbidden")
        if matches(ARGS.broken, path):
            return self.error(500, "Internal Server Error")
        if matches(ARGS.throttle, path) and first_time("throttle", path):
            return self.send(429, {"code": 429, "message": "Too Many Requests"}, {"Retry-After": "1"})
        if matches(ARGS.fail_once, path) and first_time("fail", path):
            return self.error(500, "Internal Server Error")
        try:
            status, body = self.route(path.strip("/").split("/"), query)
        except (OSError, ValueError) as problem:
            return self.error(500, type(problem).__name__)
        if status != 200:
            return self.error(status, "Not Found")
        self.send(200, body)

    def route(self, parts, query):
        org = ARGS.org
        if parts == ["api", "user", "stacks"]:
            if query.get("organization", [""])[0] != org:
                return 200, {"stacks": []}
            project = query.get("project", [None])[0]
            rows = [{"orgName": org, "projectName": p, "stackName": s, "lastUpdate": 0, "resourceCount": 0}
                    for p, s in stacks() if project in (None, p)]
            return 200, page(rows, "stacks", query)
        if len(parts) == 6 and parts[:2] == ["api", "stacks"] and parts[5] == "export" and parts[2] == org:
            file = os.path.join(ARGS.root, ".pulumi", "stacks", parts[3], parts[4] + ".json")
            if "/" in parts[3] + parts[4] or not os.path.isfile(file):
                return 404, None
            with open(file, "rb") as handle:
                return 200, handle.read()
        snap = snapshot()
        if parts == ["api", "user", "tokens"]:
            return 200, {"tokens": [without_scope(t) for t in snap.get("tokens", []) if t.get("scope") == "personal"]}
        if parts[:3] != ["api", "orgs", org]:
            return 404, None
        rest = parts[3:]
        teams = snap.get("teams", [])
        if rest == ["members"]:
            return 200, page(snap.get("members", []), "members", query)
        if rest == ["teams"]:
            return 200, {"teams": [{k: t.get(k) for k in ("kind", "name", "displayName", "description")} for t in teams]}
        if len(rest) in (2, 3) and rest[0] == "teams":
            team = next((t for t in teams if t.get("name") == rest[1]), None)
            if team is None:
                return 404, None
            if len(rest) == 2:
                return 200, team
            if rest[2] != "tokens":
                return 404, None
            # Every team-scoped token of the snapshot belongs to its first team.
            owned = [without_scope(t) for t in snap.get("tokens", []) if t.get("scope") == "team"] if team is teams[0] else []
            return 200, {"tokens": owned}
        if rest == ["tokens"]:
            return 200, {"tokens": [without_scope(t) for t in snap.get("tokens", []) if t.get("scope") == "organization"]}
        groups = snap.get("policyGroups", [])
        if rest == ["policygroups"]:
            return 200, {"policyGroups": [{"name": g["name"], "isOrgDefault": False, "numStacks": len(g.get("stacks", [])),
                                           "numEnabledPolicyPacks": len(g.get("appliedPolicyPacks", []))} for g in groups]}
        if len(rest) == 2 and rest[0] == "policygroups":
            group = next((g for g in groups if g.get("name") == rest[1]), None)
            return (200, group) if group is not None else (404, None)
        audit = snap.get("auditLogs")
        if rest == ["auditlogs"] and audit is not None:
            return 200, page(audit.get("auditLogEvents", []), "auditLogEvents", query)
        if rest == ["auditlogs", "export", "config"] and audit is not None and audit.get("exportConfigured"):
            return 200, {"destination": "s3"}
        if rest == ["auth", "saml"] and (snap.get("sso") or {}).get("provider") == "saml":
            return 200, {"organization": {"name": org}, "idpSsoDescriptor": "<md:IDPSSODescriptor/>", "ssoUrl": "https://idp.invalid/sso"}
        return 404, None


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(f"PORT {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
