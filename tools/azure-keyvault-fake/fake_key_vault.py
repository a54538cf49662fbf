#!/usr/bin/env python3
"""A small Azure Key Vault (secrets) and Azure AD token endpoint on loopback, for kit's tests.

Written from Microsoft's REST documentation ("Key Vault REST API: Get Secret / Set Secret", "Key Vault
authentication", "Microsoft identity platform: OAuth 2.0 client credentials flow"), not from any
client's code, and proven against Microsoft's own Python SDK (azure-keyvault-secrets) by
`tools/azure-keyvault-fake/sdk_check.py`.

  Token endpoint   POST /<tenant>/oauth2/v2.0/token, form body grant_type=client_credentials,
                   client_id, client_secret, scope (must be https://vault.azure.net/.default).
                   A known client (--client id:secret) gets {"token_type": "Bearer", "expires_in": 3599,
                   "access_token": "<opaque>"}; anything else 400/401 {"error": …, "error_description": …}.
  Challenge        A secrets request without "Authorization: Bearer <token issued here>" (or the
                   emulator token with --allow-local-token) gets 401 and
                   WWW-Authenticate: Bearer authorization="<authority>/<tenant>", resource="https://vault.azure.net"
                   as Key Vault answers; clients then sign in and retry.
  Secrets          PUT /secrets/<name>?api-version=7.x  body {"value": "…"} → 200 SecretBundle
                   GET /secrets/<name>[/<version>]?api-version=7.x → 200 SecretBundle, or 404
                   {"error": {"code": "SecretNotFound", "message": …}}
                   Names must match ^[0-9a-zA-Z-]{1,127}$ (else 400 BadParameter); api-version is required.

Prints "listening on http://127.0.0.1:<port>" once it accepts connections, then one line per request on
stderr: method, path (never a body or query), status. With --tls, a second listener serves the same vault
over https with a self-signed certificate made by the openssl CLI at start (Microsoft's SDK speaks to Key
Vault over https only), announced as "listening on https://127.0.0.1:<port>".
"""
import argparse
import json
import os
import ssl
import subprocess
import tempfile
import re
import secrets as pysecrets
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

NAME = re.compile(r"^[0-9a-zA-Z-]{1,127}$")


class Vault(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, tenant, clients, allow_local_token, shared=None, scheme="http"):
        super().__init__(address, Handler)
        self.tenant = tenant
        self.clients = clients
        self.allow_local_token = allow_local_token
        self.scheme = scheme
        # Two listeners (http, https) share one vault: tokens, secrets and the lock.
        self.shared = shared if shared is not None else {"lock": threading.Lock(), "tokens": set(), "secrets": {}}

    @property
    def lock(self):
        return self.shared["lock"]

    @property
    def tokens(self):
        return self.shared["tokens"]

    @property
    def secrets(self):
        return self.shared["secrets"]

    @property
    def base(self):
        return f"{self.scheme}://{self.server_address[0]}:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body=None, headers=None):
        data = json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if body is not None:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        print(f"{self.command} {self.path.partition('?')[0]} {status}", file=sys.stderr, flush=True)

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def authorized(self):
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Bearer "):
            token = auth[7:]
            with self.server.lock:
                if token in self.server.tokens:
                    return True
            if self.server.allow_local_token and token == "floci-local-token":
                return True
        challenge = (f'Bearer authorization="{self.server.base}/{self.server.tenant}", '
                     f'resource="https://vault.azure.net"')
        self.reply(401, {"error": {"code": "Unauthorized", "message": "AKV10000: Request is missing a Bearer or PoP token."}},
                   {"WWW-Authenticate": challenge})
        return False

    def token(self):
        form = urllib.parse.parse_qs(self.body().decode(), keep_blank_values=True)
        field = lambda k: (form.get(k) or [""])[0]
        tenant = self.path.split("/")[1]
        if tenant != self.server.tenant:
            return self.reply(400, {"error": "invalid_request", "error_description": f"AADSTS90002: Tenant '{tenant}' not found."})
        if field("grant_type") != "client_credentials":
            return self.reply(400, {"error": "unsupported_grant_type", "error_description": "AADSTS70003: grant_type must be client_credentials"})
        if field("scope") != "https://vault.azure.net/.default":
            return self.reply(400, {"error": "invalid_scope", "error_description": "AADSTS70011: the scope is not valid"})
        if self.server.clients.get(field("client_id")) != field("client_secret"):
            return self.reply(401, {"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret provided."})
        token = pysecrets.token_urlsafe(24)
        with self.server.lock:
            self.server.tokens.add(token)
        self.reply(200, {"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": token})

    def parse(self):
        path, _, query = self.path.partition("?")
        params = urllib.parse.parse_qs(query)
        parts = [p for p in path.split("/") if p]
        return parts, params

    def bundle(self, name, version, value):
        now = int(time.time())
        return {"value": value, "id": f"{self.server.base}/secrets/{name}/{version}",
                "attributes": {"enabled": True, "created": now, "updated": now, "recoveryLevel": "Recoverable+Purgeable"}}

    def do_POST(self):
        if self.path.endswith("/oauth2/v2.0/token"):
            return self.token()
        self.reply(405, {"error": {"code": "MethodNotAllowed", "message": "POST is not supported here"}})

    def do_PUT(self):
        parts, params = self.parse()
        if len(parts) != 2 or parts[0] != "secrets":
            return self.reply(404, {"error": {"code": "NotFound", "message": "no such operation"}})
        if not params.get("api-version"):
            return self.reply(400, {"error": {"code": "MissingApiVersionParameter", "message": "The api-version query parameter is required."}})
        body = self.body()
        if not self.authorized():
            return
        name = parts[1]
        if not NAME.match(name):
            return self.reply(400, {"error": {"code": "BadParameter", "message": "The request URI contains an invalid name: " + name}})
        try:
            value = json.loads(body)["value"]
            assert isinstance(value, str)
        except Exception:
            return self.reply(400, {"error": {"code": "BadParameter", "message": "The body must be {\"value\": \"<string>\"}"}})
        version = pysecrets.token_hex(16)
        with self.server.lock:
            self.server.secrets.setdefault(name, []).append((version, value))
        self.reply(200, self.bundle(name, version, value))

    def do_GET(self):
        parts, params = self.parse()
        if len(parts) not in (2, 3) or parts[0] != "secrets":
            return self.reply(404, {"error": {"code": "NotFound", "message": "no such operation"}})
        if not params.get("api-version"):
            return self.reply(400, {"error": {"code": "MissingApiVersionParameter", "message": "The api-version query parameter is required."}})
        if not self.authorized():
            return
        name = parts[1]
        with self.server.lock:
            versions = list(self.server.secrets.get(name, []))
        wanted = parts[2] if len(parts) == 3 and parts[2] else None
        found = [v for v in versions if wanted is None or v[0] == wanted]
        if not found:
            return self.reply(404, {"error": {"code": "SecretNotFound", "message": f"A secret with (name/id) {name} was not found in this key vault."}})
        version, value = found[-1]
        self.reply(200, self.bundle(name, version, value))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--tenant", default="00000000-0000-0000-0000-000000000001")
    parser.add_argument("--client", action="append", default=[], help="id:secret of a service principal (repeatable)")
    parser.add_argument("--allow-local-token", action="store_true", help="accept the emulator token 'floci-local-token'")
    parser.add_argument("--tls", action="store_true", help="also serve https (self-signed) on another port")
    args = parser.parse_args()
    clients = dict(c.split(":", 1) for c in args.client)
    server = Vault((args.host, args.port), args.tenant, clients, args.allow_local_token)
    if args.tls:
        folder = tempfile.mkdtemp(prefix="kv-tls-")
        key, cert = os.path.join(folder, "key.pem"), os.path.join(folder, "cert.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                        "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        secure = Vault((args.host, 0), args.tenant, clients, args.allow_local_token, shared=server.shared, scheme="https")
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        secure.socket = context.wrap_socket(secure.socket, server_side=True)
        threading.Thread(target=secure.serve_forever, daemon=True).start()
        print(f"listening on https://{args.host}:{secure.server_address[1]}", flush=True)
    print(f"listening on http://{args.host}:{server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
