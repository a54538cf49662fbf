"""Starts tools/moto-local/moto_local.py on a free loopback port for the tests; boto3 clients for it."""
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import boto3

HERE = os.path.dirname(os.path.abspath(__file__))
MOTO_LOCAL = os.path.join(os.path.dirname(HERE), "moto_local.py")


class LocalAPI:
    """One moto_local server (stopped by `stop()`), with boto3 clients against it."""

    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.endpoint = f"http://127.0.0.1:{port}"
        env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_DEFAULT_REGION="us-east-1")
        self.process = subprocess.Popen([sys.executable, MOTO_LOCAL, "-H", "127.0.0.1", "-p", str(port)], env=env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"moto_local.py exited ({self.process.returncode}): {self.process.stderr.read().decode()}")
            try:
                urllib.request.urlopen(self.endpoint + "/moto-api/", timeout=2).close()
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"moto_local.py did not answer on {self.endpoint} within 60 s")
                time.sleep(0.1)

    def client(self, service: str):  # type: ignore[no-untyped-def]
        return boto3.client(service, endpoint_url=self.endpoint, region_name="us-east-1",
                            aws_access_key_id="test", aws_secret_access_key="test")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stderr:
            self.process.stderr.close()


SERVER: LocalAPI | None = None


def api() -> LocalAPI:
    """The server shared by every test of this run (started on first use, stopped at exit)."""
    global SERVER
    if SERVER is None:
        SERVER = LocalAPI()
        import atexit
        atexit.register(SERVER.stop)
    return SERVER
