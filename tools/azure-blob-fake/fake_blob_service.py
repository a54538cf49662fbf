#!/usr/bin/env python3
"""A small Azure Blob service on loopback, for kit's tests (no Azurite here: npm is unreachable).

Path-style addressing, as the storage emulators use it: http://127.0.0.1:<port>/<account>/<container>/<blob>.
One account (--account, --key). Every request must be authorized, and the checks follow Microsoft's
specifications, written from the documents, not from any client's code:

  Shared Key ("Authorize with Shared Key", service version 2015-02-21 and later)
    StringToSign = VERB\n Content-Encoding\n Content-Language\n Content-Length (empty when 0)\n
                   Content-MD5\n Content-Type\n Date\n If-Modified-Since\n If-Match\n If-None-Match\n
                   If-Unmodified-Since\n Range\n CanonicalizedHeaders CanonicalizedResource
    CanonicalizedHeaders: x-ms-* headers, lowercased, sorted, values trimmed, "name:value\n".
    CanonicalizedResource: "/" + account + the request's encoded path, then per query parameter
    (lowercased, sorted) "\nname:value1,value2" with decoded values.
    The signature is Base64(HMAC-SHA256(Base64Decode(key), StringToSign)), compared in constant time.
    x-ms-date (or Date) must be within 15 minutes of now, and x-ms-version must be present.

  Shared access signature (query `sig`)
    Required: sv, se (in the future), sp (r for reads; c or w for writes), sig. An account SAS (`ss`,
    `srt`) is verified against the account SAS string to sign of version 2020-12-06 and later
    (account, sp, ss, srt, st, se, sip, spr, sv, ses, each followed by "\n"); `ss` must include b.
    A service SAS (`sr`) is checked for those fields only (its signature is not verified).

Operations: Create Container (PUT ?restype=container), Put Blob (PUT, x-ms-blob-type: BlockBlob),
Get Blob (GET, with x-ms-range or Range: 206 and Content-Range), Get Blob Properties (HEAD). Errors are Azure-style: the status, the x-ms-error-code
header and an XML body <Error><Code>..</Code><Message>..</Message></Error>.

Prints "listening on http://127.0.0.1:<port>" on stdout once it accepts connections (with --port 0,
the port the kernel chose), then one line per request on stderr: method, path (never the query: a
SAS token lives there), status and error code.
"""
import argparse
import base64
import datetime
import email.utils
import hashlib
import hmac
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STANDARD_HEADERS = ["content-encoding", "content-language", "content-length", "content-md5", "content-type", "date",
                    "if-modified-since", "if-match", "if-none-match", "if-unmodified-since", "range"]


class Store:
    def __init__(self):
        self.lock = threading.Lock()
        self.containers = {}  # name -> {blob name -> (bytes, content type)}


class BlobService(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, account, key):
        super().__init__(address, Handler)
        self.account = account
        self.key = base64.b64decode(key)
        self.store = Store()


def sign(key, text):
    return base64.b64encode(hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()).decode()


class AzureError(Exception):
    def __init__(self, status, code, message, detail=None):
        super().__init__(message)
        self.status, self.code, self.message, self.detail = status, code, message, detail


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "kit-fake-blob/1"

    def log_message(self, *args):
        pass

    # Request parts ------------------------------------------------------------------------------------

    def parts(self):
        raw_path, _, raw_query = self.path.partition("?")
        query = urllib.parse.parse_qsl(raw_query, keep_blank_values=True)
        segments = [urllib.parse.unquote(s) for s in raw_path.lstrip("/").split("/", 2)]
        account = segments[0] if segments else ""
        container = segments[1] if len(segments) > 1 else ""
        blob = segments[2] if len(segments) > 2 else ""
        return raw_path, query, account, container, blob

    def header(self, name):
        value = self.headers.get(name)
        return "" if value is None else value

    def string_to_sign(self, raw_path, query):
        lines = [self.command]
        for name in STANDARD_HEADERS:
            value = self.header(name)
            if name == "content-length" and value == "0":
                value = ""
            lines.append(value)
        out = "\n".join(lines) + "\n"
        ms = {}
        for name, value in self.headers.items():
            lower = name.lower()
            if lower.startswith("x-ms-"):
                ms[lower] = " ".join(value.strip().split())
        for name in sorted(ms):
            out += f"{name}:{ms[name]}\n"
        out += "/" + self.server.account + raw_path
        grouped = {}
        for name, value in query:
            grouped.setdefault(name.lower(), []).append(value)
        for name in sorted(grouped):
            out += "\n" + name + ":" + ",".join(sorted(grouped[name]))
        return out

    # Authorization ------------------------------------------------------------------------------------

    def authorize(self, raw_path, query, write):
        auth = self.header("authorization")
        params = dict(query)
        if auth.startswith("SharedKey "):
            return self.check_shared_key(auth, raw_path, query)
        if "sig" in params:
            return self.check_sas(params, write)
        raise AzureError(401, "NoAuthenticationInformation",
                         "Server failed to authenticate the request. Please refer to the information in the www-authenticate header.")

    def check_shared_key(self, auth, raw_path, query):
        account, _, signature = auth[len("SharedKey "):].partition(":")
        if account != self.server.account:
            raise AzureError(403, "AuthenticationFailed", "Server failed to authenticate the request.",
                             f"The account '{account}' in the Authorization header is not this account.")
        if not self.header("x-ms-version"):
            raise AzureError(400, "MissingRequiredHeader", "An HTTP header that's mandatory for this request is not specified.",
                             "x-ms-version")
        stamp = self.header("x-ms-date") or self.header("date")
        try:
            when = email.utils.parsedate_to_datetime(stamp)
        except (TypeError, ValueError):
            raise AzureError(403, "AuthenticationFailed", "Server failed to authenticate the request.",
                             "The x-ms-date header is missing or not an RFC 1123 date.")
        now = datetime.datetime.now(datetime.timezone.utc)
        if abs((now - when).total_seconds()) > 15 * 60:
            raise AzureError(403, "AuthenticationFailed", "Server failed to authenticate the request.",
                             "Request date header too old or in the future.")
        expected = sign(self.server.key, self.string_to_sign(raw_path, query))
        if not hmac.compare_digest(expected, signature):
            raise AzureError(403, "AuthenticationFailed",
                             "Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.",
                             "The MAC signature found in the HTTP request is not the same as any computed signature.")

    def check_sas(self, params, write):
        for required in ("sv", "se", "sp", "sig"):
            if not params.get(required):
                raise AzureError(403, "AuthenticationFailed", "Server failed to authenticate the request.",
                                 f"Missing the SAS field '{required}'.")
        try:
            expiry = datetime.datetime.fromisoformat(params["se"].replace("Z", "+00:00"))
        except ValueError:
            raise AzureError(403, "AuthenticationFailed", "Server failed to authenticate the request.", "Invalid 'se'.")
        if expiry.tzinfo is None:
            expiry = expiry.replace(tzinfo=datetime.timezone.utc)
        if expiry <= datetime.datetime.now(datetime.timezone.utc):
            raise AzureError(403, "AuthenticationFailed", "Server failed to authenticate the request.", "Signed expiry time has passed.")
        needed = "cw" if write else "r"
        if not any(p in params["sp"] for p in needed):
            raise AzureError(403, "AuthorizationPermissionMismatch",
                             "This request is not authorized to perform this operation using this permission.")
        if "ss" in params:
            if "b" not in params["ss"]:
                raise AzureError(403, "AuthorizationServiceMismatch",
                                 "This request is not authorized to perform this operation using this service.")
            fields = ["sp", "ss", "srt", "st", "se", "sip", "spr", "sv", "ses"]
            text = self.server.account + "\n" + "".join(params.get(f, "") + "\n" for f in fields)
            if not hmac.compare_digest(sign(self.server.key, text), params["sig"]):
                raise AzureError(403, "AuthenticationFailed",
                                 "Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.",
                                 "Signature did not match.")
        elif "sr" not in params:
            raise AzureError(403, "AuthenticationFailed", "Server failed to authenticate the request.",
                             "A SAS needs 'ss' (account SAS) or 'sr' (service SAS).")

    # Responses ----------------------------------------------------------------------------------------

    def send(self, status, body=b"", headers=None, code=None):
        self.send_response(status)
        self.send_header("x-ms-request-id", "00000000-0000-0000-0000-000000000000")
        self.send_header("x-ms-version", self.header("x-ms-version") or "2021-12-02")
        self.send_header("Date", email.utils.formatdate(usegmt=True))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if code:
            self.send_header("x-ms-error-code", code)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        print(f"{self.command} {self.path.partition('?')[0]} {status}{' ' + code if code else ''}", file=sys.stderr, flush=True)

    def send_error_xml(self, error):
        detail = f"<AuthenticationErrorDetail>{error.detail}</AuthenticationErrorDetail>" if error.detail else ""
        body = (f'<?xml version="1.0" encoding="utf-8"?><Error><Code>{error.code}</Code>'
                f"<Message>{error.message}\nRequestId:00000000-0000-0000-0000-000000000000\nTime:"
                f"{datetime.datetime.now(datetime.timezone.utc).isoformat()}</Message>{detail}</Error>").encode()
        self.send(error.status, body, {"Content-Type": "application/xml"}, code=error.code)

    def handle_request(self, write):
        raw_path, query, account, container, blob = self.parts()
        body = b""
        length = int(self.header("content-length") or "0")
        if length:
            body = self.rfile.read(length)
        try:
            if account != self.server.account:
                raise AzureError(400, "InvalidUri", "The requested URI does not represent any resource on the server.")
            self.authorize(raw_path, query, write)
            store = self.server.store
            params = dict(query)
            with store.lock:
                if self.command == "PUT" and params.get("restype") == "container" and not blob:
                    if container in store.containers:
                        raise AzureError(409, "ContainerAlreadyExists", "The specified container already exists.")
                    store.containers[container] = {}
                    self.send(201, headers={"ETag": '"0x1"', "Last-Modified": email.utils.formatdate(usegmt=True)})
                    return
                blobs = store.containers.get(container)
                if blobs is None:
                    raise AzureError(404, "ContainerNotFound", "The specified container does not exist.")
                if not blob:
                    raise AzureError(400, "InvalidUri", "The requested URI does not represent any resource on the server.")
                if self.command == "PUT":
                    if self.header("x-ms-blob-type") != "BlockBlob":
                        raise AzureError(400, "MissingRequiredHeader", "An HTTP header that's mandatory for this request is not specified.",
                                         "x-ms-blob-type")
                    blobs[blob] = (body, self.header("x-ms-blob-content-type") or self.header("content-type") or "application/octet-stream")
                    md5 = base64.b64encode(hashlib.md5(body).digest()).decode()
                    self.send(201, headers={"ETag": f'"0x{len(blobs):X}"', "Content-MD5": md5,
                                            "Last-Modified": email.utils.formatdate(usegmt=True), "x-ms-request-server-encrypted": "true"})
                    return
                if blob not in blobs:
                    raise AzureError(404, "BlobNotFound", "The specified blob does not exist.")
                data, content_type = blobs[blob]
            headers = {"Content-Type": content_type, "ETag": '"0x1"', "x-ms-blob-type": "BlockBlob",
                       "Last-Modified": email.utils.formatdate(usegmt=True), "Accept-Ranges": "bytes"}
            requested = self.header("x-ms-range") or self.header("range")
            if requested.startswith("bytes=") and data:
                first, _, last = requested[len("bytes="):].partition("-")
                start, end = int(first or 0), min(int(last) if last else len(data) - 1, len(data) - 1)
                headers["Content-Range"] = f"bytes {start}-{end}/{len(data)}"
                self.send(206, data[start:end + 1], headers)
                return
            self.send(200, data, headers)
        except AzureError as error:
            self.send_error_xml(error)

    def do_GET(self):
        self.handle_request(write=False)

    def do_HEAD(self):
        self.handle_request(write=False)

    def do_PUT(self):
        self.handle_request(write=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--account", required=True)
    parser.add_argument("--key", required=True, help="the account key, base64")
    args = parser.parse_args()
    server = BlobService((args.host, args.port), args.account, args.key)
    print(f"listening on http://{args.host}:{server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
