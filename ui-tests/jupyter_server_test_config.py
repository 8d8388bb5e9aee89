"""Jupyter server configuration for the Galata UI tests.

Never use this configuration outside tests: it removes all security protections.
"""

import os

from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)  # noqa: F821

c.ServerApp.port = int(os.environ.get("STXM_UI_PORT", "8877"))  # noqa: F821
# CI machines and these sandboxes run as root.
c.ServerApp.allow_root = True  # noqa: F821
