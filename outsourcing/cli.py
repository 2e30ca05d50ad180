"""The `outsourcing` command: Django's management commands with this project's settings.

`outsourcing serve`, `outsourcing migrate`, `outsourcing createuser NAME --role ROLE`, `outsourcing demo`,
and every other management command (`outsourcing check --deploy`, `outsourcing shell`, ...).
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "outsourcing.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
