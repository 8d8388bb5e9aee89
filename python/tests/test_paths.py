"""Local paths a careless user gives (issue 17): `~`, outside the server's root."""

from __future__ import annotations

import asyncio

import pytest
from stxm_phasemap import Lab

from .loopback import FakeExtension, hello
from .test_api import Workbenches


def test_a_home_path_outside_the_root_is_reported_as_outside_not_missing(tmp_path, monkeypatch):
    home, root = tmp_path / "home", tmp_path / "root"
    home.mkdir()
    root.mkdir()
    (home / ".bashrc").write_text("# not a stack\n")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(root)
    ext = FakeExtension(Workbenches(), hello_msg=hello(serverRoot=str(root)))

    async def main():
        lab = await Lab(ext)
        with pytest.raises(ValueError, match=r"~/\.bashrc is outside the Jupyter server's root"):
            lab.open("~/.bashrc")  # at once: the root is known
        fresh = Lab(FakeExtension(Workbenches(), hello_msg=hello(serverRoot=str(root))))
        with pytest.raises(ValueError, match="outside the Jupyter server's root"):
            await fresh.open("~/.bashrc")  # once the hello says where the root is
        with pytest.raises(FileNotFoundError, match=r"~/missing\.h5: no such file"):
            lab.open("~/missing.h5")

    asyncio.run(main())
    assert ext.requests == []  # nothing was sent
