"""A stand-in for Google's OAuth2 token endpoint, the metadata server and a read-only slice of the GCS JSON API,
for RampartRemoteTests. Written for these tests; stdlib only.

    python3 google_stub_server.py --root DIR [--bucket NAME] [--reject-tokens] [--settings JSON]

Binds 127.0.0.1 on a free port and prints `PORT <n>` on stdout. Objects are DIR's files (names relative to DIR),
listed two per page so that paging is exercised; every storage request must carry a token this server issued.
`--settings` is {"resource": {...bucket fields...}, "iam": {...policy...}, "deny": ["full", "iam"]} where `deny`
lists the parts answered with 403 (`full`: the bucket resource with projection=full).
GET /stats answers what was asked: token requests, the JWT assertions received, metadata requests.
"""
import argparse
import datetime
import json
import os
import signal
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE = 2
JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange"
OIDC_REQUEST_TOKEN = "RAMPART-FAKE-SECRET-request-token"


class State:
    def __init__(self, args):
        self.args = args
        self.settings = json.loads(args.settings) if args.settings else {}
        self.lock = threading.Lock()
        self.issued = set()
        self.token_requests = 0
        self.metadata_requests = 0
        self.assertions = []
        self.subject_tokens = []
        self.impersonations = 0

    def issue(self):
        with self.lock:
            token = "ya29.stub-token-%d" % (len(self.issued) + 1)
            self.issued.add(token)
            return token


class Handler(BaseHTTPRequestHandler):
    state = None

    def log_message(self, *args):
        pass

    def reply(self, status, body, content_type="application/json"):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def error(self, status, message):
        self.reply(status, {"error": {"code": status, "message": message}})

    def token_reply(self):
        self.reply(200, {"access_token": self.state.issue(), "expires_in": 3600, "token_type": "Bearer"})

    def do_POST(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/impersonate":
            authorization = self.headers.get("Authorization", "")
            if authorization[7:] not in self.state.issued:
                return self.error(401, "federated token required")
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            if body.get("scope") != ["https://www.googleapis.com/auth/devstorage.read_only"]:
                return self.error(400, "unexpected scope")
            with self.state.lock:
                self.state.impersonations += 1
            expiry = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
            return self.reply(200, {"accessToken": self.state.issue(), "expireTime": expiry.strftime("%Y-%m-%dT%H:%M:%SZ")})
        if url.path != "/token":
            return self.error(404, "no such endpoint")
        length = int(self.headers.get("Content-Length", "0"))
        form = urllib.parse.parse_qs(self.rfile.read(length).decode())
        grant = form.get("grant_type", [""])[0]
        with self.state.lock:
            self.state.token_requests += 1
        if grant == JWT_GRANT:
            with self.state.lock:
                self.state.assertions.append(form.get("assertion", [""])[0])
        elif grant == EXCHANGE_GRANT:
            if not all(form.get(k) for k in ("audience", "subject_token_type", "requested_token_type", "scope")):
                return self.reply(400, {"error": "invalid_request", "error_description": "missing field"})
            with self.state.lock:
                self.state.subject_tokens.append(form.get("subject_token", [""])[0])
        elif grant == "refresh_token":
            if not all(form.get(k) for k in ("client_id", "client_secret", "refresh_token")):
                return self.reply(400, {"error": "invalid_request", "error_description": "missing field"})
        else:
            return self.reply(400, {"error": "unsupported_grant_type", "error_description": "grant " + grant})
        if self.state.args.reject_tokens:
            return self.reply(400, {"error": "invalid_grant", "error_description": "Invalid JWT Signature."})
        self.token_reply()

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        if url.path == "/stats":
            with self.state.lock:
                return self.reply(200, {"tokenRequests": self.state.token_requests,
                                        "metadataRequests": self.state.metadata_requests,
                                        "assertions": self.state.assertions,
                                        "subjectTokens": self.state.subject_tokens,
                                        "impersonations": self.state.impersonations})
        if url.path == "/oidc":
            if self.headers.get("Authorization") != "Bearer " + OIDC_REQUEST_TOKEN:
                return self.error(401, "request token required")
            return self.reply(200, {"count": 1, "value": "oidc.subject.token"})
        if url.path == "/computeMetadata/v1/instance/service-accounts/default/token":
            if self.headers.get("Metadata-Flavor") != "Google":
                return self.error(403, "missing Metadata-Flavor header")
            with self.state.lock:
                self.state.metadata_requests += 1
            return self.token_reply()
        prefix = "/storage/v1/b/" + self.state.args.bucket
        if not url.path.startswith(prefix):
            return self.error(404, "no such bucket")
        authorization = self.headers.get("Authorization", "")
        if not authorization.startswith("Bearer ") or authorization[7:] not in self.state.issued:
            return self.error(401, "Anonymous caller does not have storage.objects.list access")
        rest = url.path[len(prefix):]
        deny = self.state.settings.get("deny", [])
        if rest == "":
            projection = query.get("projection", ["noAcl"])[0]
            if projection in deny:
                return self.error(403, "caller does not have storage.buckets.getIamPolicy access")
            resource = dict(self.state.settings.get("resource", {}))
            resource["name"] = self.state.args.bucket
            if projection != "full":
                resource.pop("acl", None)
                resource.pop("defaultObjectAcl", None)
            return self.reply(200, resource)
        if rest == "/iam":
            if "iam" in deny:
                return self.error(403, "caller does not have storage.buckets.getIamPolicy access")
            return self.reply(200, self.state.settings.get("iam", {"bindings": []}))
        if rest == "/o":
            return self.list_objects(query)
        if rest.startswith("/o/") and query.get("alt") == ["media"]:
            name = urllib.parse.unquote(rest[3:])
            path = os.path.join(self.state.args.root, name)
            if "/" in rest[3:] or not os.path.isfile(path):
                return self.error(404, "No such object: " + name)
            with open(path, "rb") as f:
                return self.reply(200, f.read(), "application/octet-stream")
        return self.error(404, "no such endpoint")

    def list_objects(self, query):
        root = self.state.args.root
        wanted = query.get("prefix", [""])[0]
        names = []
        for directory, _, files in os.walk(root):
            for file in files:
                name = os.path.relpath(os.path.join(directory, file), root)
                if name.startswith(wanted):
                    names.append(name)
        names.sort()
        start = int(query.get("pageToken", ["0"])[0])
        page = names[start:start + PAGE]
        items = []
        for name in page:
            modified = os.path.getmtime(os.path.join(root, name))
            stamp = datetime.datetime.fromtimestamp(modified, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            items.append({"kind": "storage#object", "name": name, "updated": stamp})
        body = {"kind": "storage#objects"}
        if items:
            body["items"] = items
        if start + PAGE < len(names):
            body["nextPageToken"] = str(start + PAGE)
        self.reply(200, body)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--bucket", default="state")
    parser.add_argument("--reject-tokens", action="store_true")
    parser.add_argument("--settings")
    args = parser.parse_args()
    # The test runner may start us with SIGTERM blocked; the tests stop us with it.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM])
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    Handler.state = State(args)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print("PORT %d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
