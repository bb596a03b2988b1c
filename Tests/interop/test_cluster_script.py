"""`Scripts/cluster up`, `status`, `down`: PostgreSQL, three real iopd nodes and
HAProxy come up on loopback, a facilitator joins a room through HAProxy (TLS)
with a token the printed command line issues, `status` names the five parts,
and `down` stops them all (status then says not running). Bounded: each
command has a timeout; the whole test takes a few seconds."""

from __future__ import annotations

import asyncio
import os
import re
import ssl
import subprocess
import tempfile

import pytest
import websockets

from roomkit import ROOT, binary, run


def cluster(command: str, folder: str, timeout: float = 180) -> subprocess.CompletedProcess:
    environment = {**os.environ, "IOP_CLUSTER_DIR": folder, "IOPD_BIN": binary("iopd"),
                   "IOPCTL_BIN": binary("iopctl")}
    return subprocess.run([str(ROOT / "Scripts" / "cluster"), command], capture_output=True, text=True,
                          timeout=timeout, env=environment, cwd="/")


def test_cluster_up_status_down():
    if not os.environ.get("IOP_TEST_POSTGRES_URL") and not os.environ.get("CI"):
        pytest.skip("PostgreSQL is not installed for the tests (Scripts/test): the cluster test did NOT run")
    folder = tempfile.mkdtemp(prefix="iop-cluster-test.", dir="/tmp")
    try:
        started = cluster("up", folder)
        assert started.returncode == 0, started.stderr
        url = re.search(r"wss://127\.0\.0\.1:(\d+)", started.stdout)
        assert url, started.stdout
        assert f"{folder}/node1.log" in started.stdout and f"{folder}/certs/ca.pem" in started.stdout

        status = cluster("status", folder, timeout=30)
        assert status.returncode == 0, status.stdout
        for part in ("node1", "node2", "node3", "haproxy", "postgresql"):
            assert f"{part}: running" in status.stdout, status.stdout

        # The printed command line issues a token every node accepts; a member joins through HAProxy.
        issue = re.search(r"^  (IOPD_AUTH_SECRET=.*token issue .*?) >", started.stdout, re.MULTILINE)
        assert issue, started.stdout
        token = subprocess.run(["bash", "-c", issue.group(1)], capture_output=True, text=True, timeout=30,
                               check=True).stdout.strip()
        context = ssl.create_default_context(cafile=f"{folder}/certs/ca.pem")

        async def join() -> str:
            async with websockets.connect(
                    f"wss://127.0.0.1:{url.group(1)}/v1/rooms/evening-process", ssl=context, open_timeout=10,
                    additional_headers={"Authorization": f"Bearer {token}"}) as socket:
                return await asyncio.wait_for(socket.recv(), 10)

        welcome = run(join())
        assert '"welcome"' in welcome, welcome

        # The operator's printed command reaches a node's admin API from this host (only HAProxy's
        # address is trusted for PROXY headers).
        operator = re.search(r"^  (IOPCTL_TOKEN=.*) \\\n +(.*iopctl top --server \S+)", started.stdout, re.MULTILINE)
        assert operator, started.stdout
        rooms = subprocess.run(["bash", "-c", operator.group(1) + " " + operator.group(2).replace(" top ", " rooms ")],
                               capture_output=True, text=True, timeout=30)
        assert rooms.returncode == 0 and "evening-process" in rooms.stdout, rooms.stdout + rooms.stderr
    finally:
        stopped = cluster("down", folder)
    assert stopped.returncode == 0, stopped.stderr
    after = cluster("status", folder, timeout=30)
    assert after.returncode != 0 and "not running" in after.stdout, after.stdout
