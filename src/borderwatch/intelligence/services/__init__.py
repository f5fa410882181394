"""The intelligence app's writes: flight imports, forecast runs, the scenario's flights."""

from borderwatch.intelligence.services.flights import (
    import_flights,
    recover_imports,
    run_import,
    submit_import,
)
from borderwatch.intelligence.services.forecasts import (
    comparison,
    crossings,
    recover_forecasts,
    regressors,
    request_forecast,
    request_what_if,
    run_forecast,
)
from borderwatch.intelligence.services.scenario import (
    load_scenario_flights,
    remove_synthetic_flights,
)

__all__ = [
    "comparison",
    "crossings",
    "import_flights",
    "load_scenario_flights",
    "recover_forecasts",
    "recover_imports",
    "regressors",
    "remove_synthetic_flights",
    "request_forecast",
    "request_what_if",
    "run_forecast",
    "run_import",
    "submit_import",
]
