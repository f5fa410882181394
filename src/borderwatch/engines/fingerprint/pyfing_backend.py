"""Lazy access to pyfing and its Keras backend.

pyfing imports Keras at import time, and Keras imports its backend (here PyTorch's CPU build):
several seconds and hundreds of MB. Nothing in the engine imports this at module level, so
`import borderwatch.engines.fingerprint` stays fast and the matcher and gallery never pay it.

SBMEX is used through a subclass that keeps at most MAX_CANDIDATES minutiae per skeleton (ridges,
valleys) before its quadratic steps: pairing ridge with valley minutiae (a Python double loop and
a Hungarian assignment, cubic) and the cluster penalty (a dense n x n distance matrix). Unbounded,
a 5000 x 5000 noise image gave ~25,000 candidates and died of a MemoryError at 4.6 GB.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import threading
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import numpy as np

from borderwatch.engines.fingerprint import gabor

# Per skeleton. FVC2002 fingers give under 100 (docs/decisions/fingerprint-upload-limits.md), a
# rolled print a few hundred at most; 500 bounds the pairing at 250,000 pairs (~0.3 s) and the
# distance matrix at 1000 x 1000 (8 MB).
MAX_CANDIDATES = 500

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
                "GBFEN": _contextual_gbfen(pf),
                "SNFEN": pf.Snfen,
                "SBMEX": _bounded_sbmex(pf),
                "LEADER": pf.Leader,
            }
            alg = classes[name]()
            for field, value in parameters.items():
                if not hasattr(alg.parameters, field):
                    raise ValueError(f"{name} has no parameter {field!r}")
                setattr(alg.parameters, field, value)
            _algorithms[key] = alg
        return _algorithms[key]


def strongest_candidates(
    found: list[Any], mask_distance: Any, limit: int | None = None
) -> list[Any]:
    """At most `limit` of SBMEX's candidates (x, y, direction, type, quality), in their order:
    the best by quality (the length of ridge followed from them), then the farthest inside the
    print (distance to the mask's border), then by position, so the choice is deterministic."""
    limit = MAX_CANDIDATES if limit is None else limit
    if len(found) <= limit:
        return found
    ranked = sorted(
        range(len(found)),
        key=lambda i: (-found[i][4], -float(mask_distance[found[i][1], found[i][0]]), i),
    )
    keep = sorted(ranked[:limit])
    return [found[i] for i in keep]


def _bounded_sbmex(pf: ModuleType) -> type:
    """pyfing's Sbmex with its candidates bounded before the quadratic steps (module docstring)."""

    class BoundedSbmex(pf.Sbmex):  # type: ignore[misc,name-defined]
        def _process_binarized_image(
            self, binarized_image: Any, mask_distance: Any, *args: Any, **kwargs: Any
        ) -> list[Any]:
            found = super()._process_binarized_image(
                binarized_image, mask_distance, *args, **kwargs
            )
            return strongest_candidates(found, mask_distance)

    return BoundedSbmex


def _contextual_gbfen(pf: ModuleType) -> type:
    """pyfing's Gbfen computing only the response each pixel keeps (gabor.py), and only inside
    the mask: SBMEX, the one reader of the enhanced image, binarises it and then ANDs it with
    the mask, so pixels outside are 0 here instead of a filter response nobody reads. Inside
    the mask the result is pyfing's, but for a pixel or two per image one grey level away
    (sums added in another order; tested)."""

    class ContextualGbfen(pf.Gbfen):  # type: ignore[misc,name-defined]
        def run(
            self,
            image: Any,
            mask: Any,
            orientation_field: Any,
            ridge_periods: Any,
            dpi: int = 500,
            intermediate_results: Any = None,
        ) -> Any:
            if dpi != 500 or intermediate_results is not None:
                return super().run(
                    image, mask, orientation_field, ridge_periods, dpi, intermediate_results
                )
            p = self.parameters
            index = self._gabor_bank_indices(
                orientation_field, ridge_periods, p.orientations_count, p.period_min,
                p.period_max, p.periods_count,
            )  # fmt: skip
            if mask is not None:
                index = np.where(np.asarray(mask) != 0, index, -1)
            ridges_white = 255 - np.asarray(image, dtype=np.uint8)
            return gabor.contextual_filter(ridges_white, self._gabor_bank, index)

    return ContextualGbfen


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
