"""A CNCF distribution registry (Debian's `docker-registry`) on 127.0.0.1, with its storage in a
temporary folder: open, behind htpasswd (Basic), or behind a token service (Bearer) that this
module runs too (a JWT signed by a certificate the registry trusts, as the Docker token spec
describes).
"""

from __future__ import annotations

import base64
import datetime
import json
import secrets
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import bcrypt
import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from conftest import free_port, http_json, wait_for

SERVICE = "charter-fleet-registry"
ISSUER = "charter-fleet-tokens"


class Registry:
    def __init__(self, servers, binary, folder, auth: str | None = None, users=None, read_only=False):
        """`auth`: None, "htpasswd" or "token"; `users`: {name: password} for both."""
        self.folder = folder
        self.port = free_port()
        self.host = f"127.0.0.1:{self.port}"
        self.url = f"http://{self.host}"
        self.token_service = None
        storage = folder / "storage"
        storage.mkdir()
        lines = [
            "version: 0.1",
            "log:",
            "  level: warn",
            "  accesslog:",
            "    disabled: true",
            "storage:",
            "  filesystem:",
            f"    rootdirectory: {storage}",
            "  delete:",
            "    enabled: true",
            "  maintenance:",
            "    readonly:",
            f"      enabled: {'true' if read_only else 'false'}",
            "http:",
            f"  addr: 127.0.0.1:{self.port}",
            f"  secret: {secrets.token_hex(16)}",
            "health:",
            "  storagedriver:",
            "    enabled: false",
        ]
        if auth == "htpasswd":
            htpasswd = folder / "htpasswd"
            htpasswd.write_text(
                "".join(
                    f"{user}:{bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=5)).decode()}\n"
                    for user, password in (users or {}).items()
                )
            )
            lines += ["auth:", "  htpasswd:", "    realm: charter-fleet", f"    path: {htpasswd}"]
        elif auth == "token":
            self.token_service = TokenService(folder, users or {})
            lines += [
                "auth:",
                "  token:",
                f"    realm: {self.token_service.url}/token",
                f"    service: {SERVICE}",
                f"    issuer: {ISSUER}",
                f"    rootcertbundle: {self.token_service.certificate}",
            ]
        config = folder / "registry.yml"
        config.write_text("\n".join(lines) + "\n")
        self.server = servers.start("registry", [str(binary), "serve", str(config)], folder)
        wait_for(
            "the registry to answer /v2/",
            lambda: http_json(self.url + "/v2/")[0] in (200, 401),
            server=self.server,
        )

    def reference(self, repository="charter/summit", tag="rev") -> str:
        return f"{self.host}/{repository}:{tag}"

    def manifest(self, repository, tag) -> tuple[int, dict | None]:
        return http_json(
            f"{self.url}/v2/{repository}/manifests/{tag}",
            headers={"Accept": "application/vnd.oci.image.manifest.v1+json"},
        )

    def stop(self):
        if self.token_service:
            self.token_service.stop()


class TokenService:
    """The token endpoint of the Docker token authentication spec: Basic credentials in,
    `{"token": JWT}` out, the JWT granting `pull,push` on the requested repository to a known
    user; anonymous requests get a token with no access."""

    def __init__(self, folder, users: dict[str, str]):
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, ISSUER)])
        now = datetime.datetime.now(datetime.timezone.utc)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .sign(key, hashes.SHA256())
        )
        self.certificate = folder / "token-ca.pem"
        self.certificate.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        x5c = base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()
        self.requests: list[dict] = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                query = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
                user = None
                header = self.headers.get("Authorization", "")
                if header.startswith("Basic "):
                    name, _, password = base64.b64decode(header[6:]).decode().partition(":")
                    if users.get(name) != password:
                        service.requests.append({"user": name, "refused": True})
                        self.send_response(401)
                        self.end_headers()
                        return
                    user = name
                access = []
                for scope in query.get("scope", []):
                    kind, _, rest = scope.partition(":")
                    repository, _, actions = rest.rpartition(":")
                    if kind == "repository" and user:
                        access.append(
                            {"type": "repository", "name": repository,
                             "actions": actions.split(",")}
                        )
                service.requests.append({"user": user, "query": query})
                issued = int(time.time())
                token = jwt.encode(
                    {
                        "iss": ISSUER, "sub": user or "", "aud": query.get("service", [""])[0],
                        "exp": issued + 300, "nbf": issued - 10, "iat": issued,
                        "jti": secrets.token_hex(8), "access": access,
                    },
                    key,
                    algorithm="RS256",
                    headers={"x5c": [x5c]},
                )
                body = json.dumps({"token": token}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
