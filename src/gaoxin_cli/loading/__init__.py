"""YAML → models, with every problem reported at file:line:col."""

import os


def free_cpus() -> int:
    """The cores this process may run on (a second process is worth forking on two)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1
