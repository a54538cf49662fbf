"""moto_server with what the AWS seed estates need beyond moto's own backends; same arguments as moto_server.

The extensions live in local_api/ (one module per service, each with its reason and tests in tests/);
README.md in this folder lists them. Targets moto 5.2.1.

    python3 tools/moto-local/moto_local.py -H 127.0.0.1 -p 4566
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from local_api import install_all  # noqa: E402
from moto.server import main  # noqa: E402

install_all()

if __name__ == "__main__":
    main(sys.argv[1:])
