"""Lazy access to pyfing and its Keras backend.

pyfing imports Keras at import time, and Keras imports its backend (here PyTorch's CPU build):
several seconds and hundreds of MB. Nothing in the engine imports this at module level, so
`import borderwatch.engines.fingerprint` stays fast and the matcher and gallery never pay it.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import threading
from collections.abc import Iterator
from types import ModuleType
from typing import Any

_lock = threading.Lock()
_algorithms: dict[str, Any] = {}


def pyfing() -> ModuleType:
    """Import pyfing with Keras on PyTorch unless the deployment chose another backend."""
    os.environ.setdefault("KERAS_BACKEND", "torch")
    return importlib.import_module("pyfing")


def algorithm(name: str, **parameters: float) -> Any:
    """One instance per method (and parameter values) per process: learned ones load their
    weights once. `parameters` override fields of the method's pyfing parameter object."""
    key = name + "".join(f";{k}={v!r}" for k, v in sorted(parameters.items()))
    with _lock:
        if key not in _algorithms:
            pf = pyfing()
            classes = {
                "GMFS": pf.Gmfs,
                "SUFS": pf.Sufs,
                "GBFOE": pf.Gbfoe,
                "SNFOE": pf.Snfoe,
                "XSFFE": pf.Xsffe,
                "SNFFE": pf.Snffe,
                "GBFEN": pf.Gbfen,
                "SNFEN": pf.Snfen,
                "SBMEX": pf.Sbmex,
                "LEADER": pf.Leader,
            }
            alg = classes[name]()
            for field, value in parameters.items():
                if not hasattr(alg.parameters, field):
                    raise ValueError(f"{name} has no parameter {field!r}")
                setattr(alg.parameters, field, value)
            _algorithms[key] = alg
        return _algorithms[key]


@contextlib.contextmanager
def inference() -> Iterator[None]:
    """No autograd while predicting: pyfing calls .numpy() on outputs, which torch refuses
    on tensors that track gradients."""
    pyfing()  # picks the Keras backend before Keras is first imported
    import keras

    if keras.backend.backend() == "torch":
        import torch

        with torch.no_grad():
            yield
    else:
        yield
