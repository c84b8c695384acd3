import os
import subprocess

import pytest

from netlab import Lab, VPGD


@pytest.fixture
def lab():
    assert os.path.exists(VPGD), "build vpgd first (make SAN=1)"
    lab = Lab()
    try:
        yield lab
    finally:
        lab.close()
        left = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
        assert lab.tag not in left, "namespaces left behind: " + left
