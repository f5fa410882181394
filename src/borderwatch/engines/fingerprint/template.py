"""The template every stage agrees on: a finger's minutiae plus what the matcher needs.

Conventions (shared by extraction, ISO/IEC 19794-2 import/export, matcher and gallery):
- coordinates in pixels of the image *resampled to 500 ppi*, origin top-left, y down;
- angle in radians in [0, 2*pi), measured counter-clockwise from the x axis (ISO 19794-2
  direction convention: the direction in which the ridge runs away from the minutia);
- kind: 1 ridge ending, 2 bifurcation, 0 other/unknown (ISO's "other");
- quality per minutia 0..100 (0 = unknown), finger quality 0..100 (higher is better);
- finger position per ISO/ANSI: 0 unknown, 1 right thumb ... 5 right little, 6 left thumb ... 10.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

RESOLUTION_PPI = 500
# A template keeps at most this many minutiae (the best by minutia quality): extraction cuts there
# and the matcher encodes no more, so its quadratic steps stay bounded. A rolled print has ~100-150
# true ones, the 320 FVC2002 B images give 13..111; ISO/IEC 19794-2 stores at most 255.
MAX_MINUTIAE = 200

ENDING = 1
BIFURCATION = 2
OTHER = 0


@dataclass(frozen=True)
class Template:
    x: npt.NDArray[np.float32]
    y: npt.NDArray[np.float32]
    angle: npt.NDArray[np.float32]
    kind: npt.NDArray[np.int8]
    minutia_quality: npt.NDArray[np.uint8]
    width: int
    height: int
    quality: int = 0
    finger_position: int = 0
    extra: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        n = len(self.x)
        if not (len(self.y) == len(self.angle) == len(self.kind) == len(self.minutia_quality) == n):
            raise ValueError("minutia arrays differ in length")
        if not 0 <= self.finger_position <= 10:
            raise ValueError(f"finger position {self.finger_position} is not 0..10")
        if self.width <= 0 or self.height <= 0:
            raise ValueError("template needs a positive image size")

    def __len__(self) -> int:
        return len(self.x)

    @classmethod
    def from_arrays(
        cls,
        minutiae: npt.ArrayLike,
        *,
        width: int,
        height: int,
        quality: int = 0,
        finger_position: int = 0,
    ) -> Template:
        """Build from an (n, 3..5) array of x, y, angle[, kind[, minutia quality]]."""
        m = np.asarray(minutiae, dtype=np.float64).reshape(
            -1, np.shape(minutiae)[-1] if len(np.shape(minutiae)) == 2 else 3
        )
        n = m.shape[0]
        kind = m[:, 3] if m.shape[1] > 3 else np.zeros(n)
        mq = m[:, 4] if m.shape[1] > 4 else np.zeros(n)
        return cls(
            x=m[:, 0].astype(np.float32),
            y=m[:, 1].astype(np.float32),
            angle=np.mod(m[:, 2], 2 * np.pi).astype(np.float32),
            kind=kind.astype(np.int8),
            minutia_quality=np.clip(mq, 0, 100).astype(np.uint8),
            width=width,
            height=height,
            quality=quality,
            finger_position=finger_position,
        )

    def strongest(self, limit: int) -> Template:
        """This template with at most `limit` minutiae: the highest minutia quality first
        (earlier rows win ties), kept in their original order. Bounds what the matcher's
        quadratic steps (cylinders, pairing) ever see."""
        if len(self) <= limit:
            return self
        keep = np.sort(np.argsort(-self.minutia_quality.astype(np.int16), kind="stable")[:limit])
        return Template(
            x=self.x[keep],
            y=self.y[keep],
            angle=self.angle[keep],
            kind=self.kind[keep],
            minutia_quality=self.minutia_quality[keep],
            width=self.width,
            height=self.height,
            quality=self.quality,
            finger_position=self.finger_position,
            extra=dict(self.extra),
        )

    def as_array(self) -> npt.NDArray[np.float32]:
        """(n, 5) float32: x, y, angle, kind, minutia quality."""
        return np.stack(
            [
                self.x,
                self.y,
                self.angle,
                self.kind.astype(np.float32),
                self.minutia_quality.astype(np.float32),
            ],
            axis=1,
        ).astype(np.float32)
