#!/usr/bin/env python3
"""A loopback OSV bucket mirror for the `hivesec db update` tests, with fault modes.

Serves ROOT/<Ecosystem>/all.zip at /<Ecosystem>/all.zip with an ETag (sha256 of the file) and a
Last-Modified (its mtime), and answers conditional requests (If-None-Match, else
If-Modified-Since) with 304. Standard library only.

    osv_mirror.py --root DIR --port-file FILE --log FILE [--slow-interval SECONDS]

The port is written to FILE once the server listens (127.0.0.1 only). Every request except the
control ones is logged to the log as one JSON object per line: path, if_none_match,
if_modified_since, status, mode, bytes (body bytes sent).

Control (GET): /_control/mode/MODE sets the mode of every ecosystem, /_control/mode/MODE/ECO that
of one ecosystem; answers 200 "ok". Modes:
    normal         as above
    500            HTTP 500 with a short body
    truncate       Content-Length of the whole file, half the body, then the connection closes
    wrong-length   Content-Length of half the file, then the whole body (a client that trusts
                   the header gets half a zip)
    garbage        200 with random bytes of the file's length (valid ETag and Last-Modified)
    hang           accepts the request and never answers
    slow           headers at once, then 1 KiB per --slow-interval (default 0.5 s)
    redirect-loop  302 to the same URL, forever
    no-validators  200 without ETag and Last-Modified
    always-304     304 whatever the request (a hostile answer to an unconditional request)
"""

import argparse
import email.utils
import hashlib
import http.server
import json
import os
import sys
import threading
import time
from urllib.parse import unquote

MODES = {"normal", "500", "truncate", "wrong-length", "garbage", "hang", "slow",
         "redirect-loop", "no-validators", "always-304"}


class State:
    def __init__(self, root, log_path, slow_interval):
        self.root = root
        self.log_path = log_path
        self.slow_interval = slow_interval
        self.lock = threading.Lock()
        self.default_mode = "normal"
        self.modes = {}

    def mode_for(self, eco):
        with self.lock:
            return self.modes.get(eco, self.default_mode)

    def set_mode(self, mode, eco=None):
        with self.lock:
            if eco is None:
                self.default_mode = mode
                self.modes.clear()
            else:
                self.modes[eco] = mode

    def log(self, entry):
        with self.lock, open(self.log_path, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry, sort_keys=True) + "\n")


def make_handler(state):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "osv-mirror-test"

        def log_message(self, fmt, *args):  # quiet: the JSON log is the record
            pass

        def plain(self, status, body, extra=()):
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Connection", "close")
            for k, v in extra:
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)
            return len(data)

        def do_GET(self):
            parts = [p for p in self.path.split("?")[0].split("/") if p]
            if parts[:2] == ["_control", "mode"] and len(parts) in (3, 4) and parts[2] in MODES:
                state.set_mode(parts[2], parts[3] if len(parts) == 4 else None)
                self.plain(200, "ok\n")
                return
            entry = {
                "path": self.path,
                "if_none_match": self.headers.get("If-None-Match"),
                "if_modified_since": self.headers.get("If-Modified-Since"),
            }
            eco = unquote(parts[0]) if len(parts) == 2 and parts[1] == "all.zip" else None
            entry["mode"] = mode = state.mode_for(eco) if eco else "normal"
            try:
                entry["status"], entry["bytes"] = self.serve(eco, mode)
            except (BrokenPipeError, ConnectionResetError):
                entry["status"], entry["bytes"] = "client-gone", None
            state.log(entry)

        def serve(self, eco, mode):
            path = os.path.join(state.root, eco, "all.zip") if eco else None
            if path is None or "/" in eco or eco.startswith(".") or not os.path.isfile(path):
                return 404, self.plain(404, "not found\n")
            if mode == "hang":
                time.sleep(3600)
                return "hang", 0
            if mode == "500":
                return 500, self.plain(500, "internal error\n")
            if mode == "redirect-loop":
                return 302, self.plain(302, "again\n", [("Location", self.path)])
            with open(path, "rb") as f:
                body = f.read()
            etag = '"%s"' % hashlib.sha256(body).hexdigest()[:32]
            mtime = int(os.stat(path).st_mtime)
            last_modified = email.utils.formatdate(mtime, usegmt=True)
            if mode == "always-304" or self.not_modified(etag, mtime):
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", last_modified)
                self.send_header("Connection", "close")
                self.end_headers()
                return 304, 0
            if mode == "garbage":
                body = os.urandom(len(body))
            length = len(body) // 2 if mode == "wrong-length" else len(body)
            self.send_response(200)
            self.send_header("Content-Type", "application/zip")
            self.send_header("Content-Length", str(length))
            if mode != "no-validators":
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", last_modified)
            self.send_header("Connection", "close")
            self.end_headers()
            if mode == "truncate":
                body = body[: len(body) // 2]
            if mode == "slow":
                sent = 0
                for i in range(0, len(body), 1024):
                    self.wfile.write(body[i:i + 1024])
                    self.wfile.flush()
                    sent += len(body[i:i + 1024])
                    time.sleep(state.slow_interval)
                return 200, sent
            self.wfile.write(body)
            self.wfile.flush()
            if mode in ("truncate", "wrong-length"):
                self.close_connection = True
            return 200, len(body)

        def not_modified(self, etag, mtime):
            inm = self.headers.get("If-None-Match")
            if inm is not None:
                tags = [t.strip().removeprefix("W/") for t in inm.split(",")]
                return "*" in tags or etag in tags
            ims = self.headers.get("If-Modified-Since")
            if ims:
                try:
                    when = email.utils.parsedate_to_datetime(ims).timestamp()
                except (TypeError, ValueError):
                    return False
                return mtime <= when
            return False

    return Handler


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--slow-interval", type=float, default=0.5)
    args = ap.parse_args()
    state = State(os.path.abspath(args.root), args.log, args.slow_interval)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), make_handler(state))
    server.daemon_threads = True
    tmp = args.port_file + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("%d\n" % server.server_address[1])
    os.replace(tmp, args.port_file)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
