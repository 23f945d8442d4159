"""A papermill engine that keeps one kernel warm and resets it between notebooks.

Papermill's default engine starts a kernel for every notebook (about a second each). Registered under the
entry point ``papermill.engine`` as ``netcourse``, this engine runs each notebook through papermill's own
client on a kernel started once per worker process, then clears the kernel's namespace and widgets so no
participant's data can reach the next notebook.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from typing import Any

from jupyter_client.manager import KernelManager
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import Engine
from papermill.utils import remove_args

RESET_CODE = """\
get_ipython().run_line_magic('reset', '-f')
import gc as _gc, ipywidgets as _w
_w.Widget.close_all()
_gc.collect()
del _gc, _w
"""


class WarmKernel:
    """One kernel and client, started once, reset between notebooks."""

    def __init__(self, kernel_name: str = "python3", startup_timeout: float = 60) -> None:
        self.kernel_name = kernel_name
        self._sockets: str | None = None
        if os.name == "posix":  # Unix sockets in a private folder: no TCP port race, nothing on the network
            self._sockets = tempfile.mkdtemp(prefix="netcourse-kernel-")
            self.km = KernelManager(kernel_name=kernel_name, transport="ipc",
                                    connection_file=os.path.join(self._sockets, "kernel.json"))
        else:
            self.km = KernelManager(kernel_name=kernel_name)
        self.km.start_kernel()
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=startup_timeout)
        atexit.register(self.shutdown)

    def reset(self, timeout: float = 60) -> None:
        msg_id = self.kc.execute(RESET_CODE, silent=True, store_history=False)
        while True:
            reply = self.kc.get_shell_msg(timeout=timeout)
            if reply["parent_header"].get("msg_id") == msg_id:
                if reply["content"].get("status") != "ok":
                    raise RuntimeError("kernel reset failed")
                return

    def shutdown(self) -> None:
        try:
            self.kc.stop_channels()
            self.km.shutdown_kernel(now=True)
        except BaseException:  # noqa: BLE001 - best effort at exit (also a stale Ctrl-C)
            pass
        if self._sockets:
            shutil.rmtree(self._sockets, ignore_errors=True)


_warm: dict[str, WarmKernel] = {}


def warm_kernel(kernel_name: str = "python3") -> WarmKernel:
    """This process's warm kernel for ``kernel_name``, started on first use (restarted if it died)."""
    kernel = _warm.get(kernel_name)
    if kernel is None or not kernel.km.is_alive():
        kernel = _warm[kernel_name] = WarmKernel(kernel_name)
    return kernel


class WarmKernelEngine(Engine):
    """Papermill engine: execute on this process's warm kernel, reset it afterwards."""

    @classmethod
    def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, log_output: bool = False,
                                 stdout_file: Any = None, stderr_file: Any = None, start_timeout: int = 60,
                                 execution_timeout: int | None = None, **kwargs: Any) -> Any:
        kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
        kernel = warm_kernel(kernel_name or "python3")
        client = PapermillNotebookClient(
            nb_man, km=kernel.km, timeout=execution_timeout, startup_timeout=start_timeout,
            kernel_name=kernel.kernel_name, log_output=log_output, stdout_file=stdout_file,
            stderr_file=stderr_file, **kwargs,
        )
        client.kc = kernel.kc
        try:
            return client.execute()
        finally:
            kernel.reset()
