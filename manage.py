#!/usr/bin/env python
import os
import sys

# Commands that only read code and write source files: they need no secret or encryption
# key, so on a developer's checkout they run with the laptop defaults instead of refusing.
OFFLINE_COMMANDS = {"makemigrations", "makemessages", "compilemessages"}

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    if len(sys.argv) > 1 and sys.argv[1] in OFFLINE_COMMANDS:
        os.environ.setdefault("DJANGO_DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
