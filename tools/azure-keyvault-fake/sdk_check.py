#!/usr/bin/env python3
"""Proves fake_key_vault.py faithful with Microsoft's own clients: azure-keyvault-secrets' SecretClient
(its challenge-based authentication included) and azure-identity-style client-credential sign-in
through the fake's token endpoint.

Usage: sdk_check.py <vault base url> <tenant> <client id> <client secret> [set|get|check] [name] [value]
  set NAME VALUE   writes a secret with SecretClient.set_secret
  get NAME         prints SecretClient.get_secret(NAME).value (exit 3 when it does not exist)
  check            round-trips a secret and checks the 401 challenge, the 404 and the name rules

Key Vault's SDK speaks https only: give it the fake's https listener (--tls). Its certificate is
self-signed, so certificate verification is the one thing turned off (connection_verify=False).
"""
import json
import sys
import time
import urllib.parse
import urllib.request

from azure.core.credentials import AccessToken
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from azure.keyvault.secrets import SecretClient


class ClientSecretAtFake:
    """A TokenCredential doing OAuth 2.0 client credentials against the fake's authority."""

    def __init__(self, authority, tenant, client_id, client_secret):
        self.url = f"{authority}/{tenant}/oauth2/v2.0/token"
        self.context = __import__("ssl")._create_unverified_context()
        self.form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": client_secret}
        self.calls = 0

    def get_token(self, *scopes, **kwargs):
        self.calls += 1
        body = urllib.parse.urlencode({**self.form, "scope": " ".join(scopes)}).encode()
        with urllib.request.urlopen(urllib.request.Request(self.url, body), context=self.context) as r:
            answer = json.load(r)
        return AccessToken(answer["access_token"], int(time.time()) + answer["expires_in"])


def main():
    base, tenant, client_id, secret, action = sys.argv[1:6]
    credential = ClientSecretAtFake(base, tenant, client_id, secret)
    client = SecretClient(vault_url=base, credential=credential, verify_challenge_resource=False, connection_verify=False)
    opts = {}
    if action == "set":
        client.set_secret(sys.argv[6], sys.argv[7], **opts)
        print("set")
    elif action == "get":
        try:
            print(client.get_secret(sys.argv[6], **opts).value)
        except ResourceNotFoundError:
            sys.exit(3)
    else:
        name = "sdk-check-1"
        stored = client.set_secret(name, '{"a": 1}', **opts)
        assert stored.name == name and stored.value == '{"a": 1}', stored
        assert stored.properties.version, "a version"
        got = client.get_secret(name, **opts)
        assert got.value == '{"a": 1}' and got.properties.version == stored.properties.version
        assert credential.calls >= 1, "the SDK signed in after the fake's 401 challenge"
        try:
            client.get_secret("no-such-secret", **opts)
            raise AssertionError("a missing secret must be 404")
        except ResourceNotFoundError:
            pass
        try:
            client.set_secret("bad_name", "x", **opts)
            raise AssertionError("an invalid name must be refused")
        except HttpResponseError as e:
            assert e.status_code == 400, e
        print("ok")


if __name__ == "__main__":
    main()
