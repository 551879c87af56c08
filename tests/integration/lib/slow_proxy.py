#!/usr/bin/env python3
"""A unix-socket proxy in front of a real Engine API socket that delays the answers to
container inspects (GET /containers/<id>/json) by DELAY seconds: a slow engine, on demand.

usage: slow_proxy.py LISTEN_SOCKET UPSTREAM_SOCKET DELAY
Everything else is forwarded at once, byte for byte, in both directions.
"""
import os
import re
import select
import socket
import socketserver
import sys
import time

LISTEN, UPSTREAM, DELAY = sys.argv[1], sys.argv[2], float(sys.argv[3])
INSPECT = re.compile(rb"^GET [^ ]*/containers/[^/ ]+/json[ ?]")


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        client = self.request
        head = b""
        while b"\r\n\r\n" not in head and len(head) < 65536:
            chunk = client.recv(4096)
            if not chunk:
                return
            head += chunk
        if INSPECT.match(head):
            time.sleep(DELAY)
        up = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        up.connect(UPSTREAM)
        up.sendall(head)
        socks = [client, up]
        while True:
            readable, _, _ = select.select(socks, [], [], 30)
            if not readable:
                return
            for s in readable:
                data = s.recv(65536)
                if not data:
                    up.close()
                    return
                (up if s is client else client).sendall(data)


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


if os.path.exists(LISTEN):
    os.unlink(LISTEN)
Server(LISTEN, Handler).serve_forever()
