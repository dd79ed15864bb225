"""Analyse chunks on a Ray cluster (the only module that imports Ray; ``pip install .[ray]``).

Each chunk is a Ray task needing one CPU; Ray runs it on any node and, when the worker or node
running it dies, runs it again elsewhere (``max_retries``). Results come back to the index writer
as they finish. Every node must see the recordings at the same path (a shared or mounted folder)
and have footage installed in the Python that ``ray start`` runs.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterable
from typing import Any

from footage.errors import ConfigError
from footage.pipeline.executors import ChunkTask, Listener, run_task

__all__ = ["RayExecutor"]

log = logging.getLogger(__name__)


def _check_reachable(address: str, timeout_s: float = 5.0) -> None:
    """Fail fast on a ``host:port`` nobody answers on (Ray itself keeps retrying for minutes)."""
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():
        return  # "auto", or a form Ray resolves itself
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=timeout_s).close()
    except OSError as exc:
        raise ConfigError(f"cannot reach the Ray cluster at {address} ({exc.strerror or exc}); "
                          "is `ray start --head` running there?") from exc


def _ray() -> Any:
    try:
        import ray
    except ImportError:
        raise ConfigError("--ray needs Ray: pip install 'footage[ray]'") from None
    return ray


class RayExecutor:
    """Tasks on the Ray cluster at ``address`` (``auto``: the one this machine belongs to)."""

    local = False

    def __init__(self, address: str, retries: int = 3) -> None:
        self.address = address
        self.retries = retries
        self._resources = ""

    def describe(self) -> str:
        return f"the Ray cluster at {self.address}{self._resources}"

    def run(self, tasks: Iterable[ChunkTask], listener: Listener) -> None:
        done = listener.done
        ray = _ray()
        started_here = not ray.is_initialized()
        if started_here:
            _check_reachable(self.address)
            try:
                ray.init(address=self.address, log_to_driver=False, logging_level=logging.WARNING)
            except (ConnectionError, RuntimeError, ValueError) as exc:
                raise ConfigError(f"cannot reach the Ray cluster at {self.address}: {str(exc).splitlines()[0]}") from exc
        try:
            cpus = int(ray.cluster_resources().get("CPU", 0))
            nodes = sum(1 for node in ray.nodes() if node.get("Alive"))
            self._resources = f" ({nodes} node(s), {cpus} CPUs)"
            log.info("indexing on %s", self.describe())
            remote = ray.remote(num_cpus=1, max_retries=self.retries, retry_exceptions=False)(run_task)
            waiting = {remote.remote(task): task for task in tasks}
            while waiting:
                ready, _ = ray.wait(list(waiting), num_returns=1)
                for ref in ready:
                    task = waiting.pop(ref)
                    try:
                        result = ray.get(ref)
                    except Exception as exc:  # a task error, or its worker lost on every retry
                        done(task, getattr(exc, "cause", None) or exc)
                    else:
                        done(task, result)
        finally:
            if started_here:
                ray.shutdown()
