"""Keep one child process running: start it again when it dies, with a growing pause.

`borderwatch worker --supervise` (what `make run` starts) runs the task worker under this. The
child gets its own session, so a Ctrl+C in the terminal reaches only the supervisor, which asks
the child once to stop (SIGTERM: it finishes its task), and kills it after `stop_grace` seconds;
work it held is recovered by the next worker. The child learns the supervisor's pid from
SUPERVISOR_PID_ENV and stops itself if the supervisor dies (core.workers: the worker command).
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from types import FrameType

log = logging.getLogger(__name__)

SUPERVISOR_PID_ENV = "BORDERWATCH_SUPERVISOR_PID"


def next_pause(last: float, ran_for: float, *, first: float, most: float, healthy: float) -> float:
    """The pause before starting the child again: `first` after its first exit or after a run
    of at least `healthy` seconds, else twice the last pause, at most `most`."""
    if last <= 0 or ran_for >= healthy:
        return first
    return min(last * 2, most)


class Supervisor:
    """Run `command` until stopped; restart it whenever it exits (whatever its exit code)."""

    def __init__(
        self,
        command: Sequence[str],
        *,
        env: Mapping[str, str] | None = None,
        first_delay: float = 1.0,
        max_delay: float = 60.0,
        healthy_after: float = 60.0,
        stop_grace: float = 30.0,
    ) -> None:
        self.command = list(command)
        self.env = {**(os.environ if env is None else env), SUPERVISOR_PID_ENV: str(os.getpid())}
        self.first_delay, self.max_delay = first_delay, max_delay
        self.healthy_after, self.stop_grace = healthy_after, stop_grace
        self.stopping = threading.Event()
        self.child: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self._asked_at: float | None = None

    def stop(self, signum: int = signal.SIGTERM, frame: FrameType | None = None) -> None:
        """Ask the child to finish its task and stop; repeated requests change nothing."""
        if self.stopping.is_set():
            return
        log.warning("stopping the task worker (it finishes its task first, at most %.0f s)",
                    self.stop_grace)  # fmt: skip
        self.stopping.set()
        self._asked_at = time.monotonic()
        child = self.child
        if child is not None and child.poll() is None:
            child.send_signal(signal.SIGTERM)

    def run(self) -> int:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        pause = 0.0
        while not self.stopping.is_set():
            started = time.monotonic()
            self.child = subprocess.Popen(self.command, env=self.env, start_new_session=True)  # noqa: S603 (our own command line)
            self.starts += 1
            log.info("task worker started (pid %s)", self.child.pid)
            if self.stopping.is_set():  # a stop that came while it was starting
                self.child.send_signal(signal.SIGTERM)
            code = self._wait()
            if self.stopping.is_set():
                break
            ran_for = time.monotonic() - started
            pause = next_pause(
                pause, ran_for, first=self.first_delay, most=self.max_delay,
                healthy=self.healthy_after,
            )  # fmt: skip
            log.warning("task worker (pid %s) exited with %s after %.0f s; starting another in "
                        "%.0f s", self.child.pid, code, ran_for, pause)  # fmt: skip
            self.stopping.wait(pause)
        return 0

    def _wait(self) -> int:
        """The child's exit code; kills it once it overstays a stop request."""
        assert self.child is not None
        while True:
            try:
                return self.child.wait(timeout=0.5)
            except subprocess.TimeoutExpired:
                asked = self._asked_at
                if asked is not None and time.monotonic() - asked > self.stop_grace:
                    log.warning("task worker (pid %s) did not stop in time: killed",
                                self.child.pid)  # fmt: skip
                    self.child.kill()
