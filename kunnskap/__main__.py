"""The `kunnskap` command: Django's management commands, with a few friendlier names.

    kunnskap migrate | serve | worker | demo | token create EMAIL | user create EMAIL ...

Hyphenated names map to the underscore names Django uses (`load-organisations`).
"""

import os
import sys

ALIASES: dict[str, str] = {}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kunnskap.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    argv[0] = "kunnskap"
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = ALIASES.get(argv[1], argv[1].replace("-", "_"))
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
