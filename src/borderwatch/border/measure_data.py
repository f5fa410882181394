"""Border measures of the demo scenario (shared/SCENARIO.md, dated facts from public reporting).

Loaded through `border.services.declare_scenario_measures`, so they reach the picture as every
other measure does: through border's selectors and the picture's annotation providers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

SCENARIO_MEASURES: list[dict[str, Any]] = [
    {
        "member_state": "LT",
        "kind": "turn_back_order",
        "title": "Lithuania turns people back at the border instead of detaining them",
        "starts": dt.date(2021, 8, 3),
        "ends": None,
        "source": "Press reports of 3 August 2021: order of the Minister of the Interior "
        "(prevented entries from 3 August).",
    },
    {
        "member_state": "LV",
        "kind": "state_of_emergency",
        "title": "Latvia: state of emergency on the border with Belarus (Ludza, Kraslava, "
        "Augsdaugava, Daugavpils)",
        "starts": dt.date(2021, 8, 11),
        "ends": dt.date(2021, 11, 10),
        "source": "Cabinet of Ministers decision of 10 August 2021, in force 11 August to "
        "10 November 2021 (press reports).",
    },
]
