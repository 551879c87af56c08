#!/usr/bin/env python3
"""A bearer-token front for a registry, for tests (stdlib only).

usage: token_proxy.py PORT UPSTREAM_PORT USER PASSWORD [--redirect-blobs]

Answers /v2/ requests without a valid token with 401 + `WWW-Authenticate: Bearer realm=...,
service=...,scope=repository:<name>:pull`; issues tokens at /token after checking Basic
credentials; forwards authorized GET/HEAD requests to the registry on 127.0.0.1:UPSTREAM_PORT.
With --redirect-blobs, blob GETs are answered with a 307 to a second listener on 127.0.0.2 (a
different host) that refuses requests carrying an Authorization header, to prove clients drop it.
"""
import base64
import http.client
import http.server
import json
import re
import secrets
import sys
import threading
import urllib.parse

PORT, UPSTREAM = int(sys.argv[1]), int(sys.argv[2])
USER, PASSWORD = sys.argv[3], sys.argv[4]
REDIRECT = "--redirect-blobs" in sys.argv[5:]
TOKENS = {}  # token -> repository name it grants pull on
LOCK = threading.Lock()
HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade"}


def forward(handler, path):
    conn = http.client.HTTPConnection("127.0.0.1", UPSTREAM, timeout=30)
    headers = {k: v for k, v in handler.headers.items()
               if k.lower() not in HOP and k.lower() not in ("authorization", "host")}
    conn.request(handler.command, path, headers=headers)
    resp = conn.getresponse()
    handler.send_response(resp.status)
    for k, v in resp.getheaders():
        if k.lower() not in HOP:
            handler.send_header(k, v)
    handler.end_headers()
    if handler.command != "HEAD":
        while True:
            chunk = resp.read(65536)
            if not chunk:
                break
            handler.wfile.write(chunk)
    conn.close()


class Proxy(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def token(self):
        auth = self.headers.get("Authorization", "")
        want = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        if auth != want:
            return self.reply(401, b'{"errors":[{"code":"UNAUTHORIZED"}]}',
                              [("WWW-Authenticate", 'Basic realm="token"')])
        query = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
        scope = query.get("scope", [""])[0]
        m = re.match(r"repository:([^:]+):", scope)
        tok = secrets.token_hex(16)
        with LOCK:
            TOKENS[tok] = m.group(1) if m else ""
        body = json.dumps({"token": tok, "expires_in": 300}).encode()
        self.reply(200, body, [("Content-Type", "application/json")])

    def do_GET(self):
        path = urllib.parse.urlparse(self.path).path
        if path == "/token":
            return self.token()
        if not path.startswith("/v2/"):
            return self.reply(404)
        m = re.match(r"/v2/(.+)/(manifests|blobs|tags)/", path)
        name = m.group(1) if m else ""
        auth = self.headers.get("Authorization", "")
        with LOCK:
            granted = auth.startswith("Bearer ") and auth[7:] in TOKENS and (
                name == "" or TOKENS[auth[7:]] == name)
        if not granted:
            scope = f',scope="repository:{name}:pull"' if name else ""
            challenge = f'Bearer realm="http://127.0.0.1:{PORT}/token",service="hivesec-test"'
            return self.reply(401, b'{"errors":[{"code":"UNAUTHORIZED"}]}',
                              [("WWW-Authenticate", challenge + scope),
                               ("Content-Type", "application/json")])
        if REDIRECT and m and m.group(2) == "blobs" and self.command == "GET":
            return self.reply(307, b"", [("Location", f"http://127.0.0.2:{PORT}/redirected{path}")])
        forward(self, self.path)

    do_HEAD = do_GET


class Redirected(Proxy):
    def do_GET(self):
        path = urllib.parse.urlparse(self.path).path
        if not path.startswith("/redirected/v2/"):
            return self.reply(404)
        if "Authorization" in self.headers:
            return self.reply(400, b"authorization header leaked to another host")
        forward(self, path[len("/redirected"):])

    do_HEAD = do_GET


def main():
    servers = [http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Proxy)]
    if REDIRECT:
        servers.append(http.server.ThreadingHTTPServer(("127.0.0.2", PORT), Redirected))
    for s in servers[1:]:
        threading.Thread(target=s.serve_forever, daemon=True).start()
    servers[0].serve_forever()


if __name__ == "__main__":
    main()
