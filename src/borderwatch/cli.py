"""The `borderwatch` command: Django management commands plus the framework-free engines.

`borderwatch scenario load belarus-2021 --seed 7` is `manage.py scenario load ...`;
`borderwatch fingerprint ...` runs the fingerprint engine without Django.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and args[1] == "fingerprint":
        from borderwatch.engines.fingerprint import cli_main as fingerprint_main

        raise SystemExit(fingerprint_main(args[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "borderwatch.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
