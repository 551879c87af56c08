#!/usr/bin/env python3
"""A hostile Docker Engine API on a unix socket, for bench_docker_test.sh (stdlib only).

usage: hostile_engine.py SOCKET MODE
MODE types: fields of the wrong type (Privileged "yes", Mounts a string, Rootless "yes"), a
            container id that is a path, an image list that is not JSON, /version failing.
MODE huge:  /containers/json answers 20 MiB of JSON (over the client's bound).
Runs until killed.
"""
import http.server
import json
import os
import socketserver
import sys

SOCK, MODE = sys.argv[1], sys.argv[2]
CID = "a" * 64


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, code, body, ctype="application/json"):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(code)
        self.send_header("Server", "Docker/27.0.1 (linux)")
        self.send_header("Api-Version", "1.46")
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading (its bound): expected in mode huge

    def do_GET(self):
        p = self.path
        if p == "/_ping":
            return self.reply(200, "OK", "text/plain")
        if p == "/version":
            return self.reply(500, json.dumps({"message": "boom"}))
        if p == "/info":
            return self.reply(200, json.dumps({"DockerRootDir": 5, "Rootless": "yes",
                                               "SecurityOptions": "x", "Swarm": []}))
        if p.startswith("/containers/json"):
            if MODE == "huge":
                return self.reply(200, "[" + ",".join(['{"Id":"%s"}' % CID] * 300000) + "]")
            return self.reply(200, json.dumps([{"Id": CID}, {"Id": "../../etc/passwd"}, {"Id": 5}]))
        if p == "/containers/%s/json" % CID:
            return self.reply(200, json.dumps({"Id": CID, "Name": "/evil",
                                               "HostConfig": {"Privileged": "yes"},
                                               "Mounts": "not a list", "State": {"Pid": "1"}}))
        if p.startswith("/images/json"):
            return self.reply(200, "{not json")
        return self.reply(404, json.dumps({"message": "no such thing: " + p}))


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True

    def get_request(self):
        conn, _ = super().get_request()
        return conn, ("local", 0)


if os.path.exists(SOCK):
    os.unlink(SOCK)
Server(SOCK, Handler).serve_forever()
