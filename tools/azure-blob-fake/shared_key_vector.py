#!/usr/bin/env python3
"""Prints Shared Key Authorization values computed by Microsoft's own signer (azure-storage-blob's
SharedKeyCredentialPolicy), the vectors of the Swift test "azurerm read_state" (AzureReadStateTests).

A GET with only x-ms-date and x-ms-version, key base64("kit-test-account-key-0123456789abcdef").
"""
import base64

from azure.core.pipeline import PipelineContext, PipelineRequest
from azure.core.pipeline.transport import HttpRequest
from azure.storage.blob import __version__
from azure.storage.blob._shared.authentication import SharedKeyCredentialPolicy

KEY = base64.b64encode(b"kit-test-account-key-0123456789abcdef").decode()
CASES = [
    ("acct", "https://acct.blob.core.windows.net/tfstate/slow/terraform.tfstateenv%3Aprod"),
    ("devacct", "http://127.0.0.1:10000/devacct/tfstate/k.tfstate"),
]

print(f"azure-storage-blob {__version__}, key {KEY}")
for account, url in CASES:
    request = HttpRequest("GET", url, headers={"x-ms-date": "Mon, 30 Nov 2026 02:52:24 GMT", "x-ms-version": "2021-12-02"})
    SharedKeyCredentialPolicy(account, KEY).on_request(PipelineRequest(request, PipelineContext(None)))
    print(account, url, request.headers["Authorization"])
