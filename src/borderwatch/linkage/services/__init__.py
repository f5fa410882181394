"""Writes of the linkage app: proposing candidate pairs, deciding them, erasing a person's."""

from borderwatch.linkage.services.decisions import decide
from borderwatch.linkage.services.erasure import erase_person_data
from borderwatch.linkage.services.runs import recover_runs, request_run, run_duplicates

__all__ = ["decide", "erase_person_data", "recover_runs", "request_run", "run_duplicates"]
