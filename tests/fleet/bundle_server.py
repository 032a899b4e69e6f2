"""A static bundle server: one `bundle.tar.gz` at `/bundles/charter.tar.gz`, with a strong ETag
(its SHA-256) and `If-None-Match` answered by 304, as a plain file server or CDN serves bundles
to OPA (OPA's HTTP downloader sends the ETag of the bundle it has)."""

from __future__ import annotations

import hashlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PATH = "/bundles/charter.tar.gz"


class BundleServer:
    def __init__(self):
        self.body = b""
        self.etag = ""
        self.lock = threading.Lock()
        self.served = 0
        self.not_modified = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                if self.path.split("?", 1)[0] != PATH:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                with server.lock:
                    body, etag = server.body, server.etag
                if not body:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if self.headers.get("If-None-Match") == etag:
                    with server.lock:
                        server.not_modified += 1
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                with server.lock:
                    server.served += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/gzip")
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def publish(self, archive: bytes):
        with self.lock:
            self.body = archive
            self.etag = '"' + hashlib.sha256(archive).hexdigest() + '"'

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
