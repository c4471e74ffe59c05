"""gunicorn's settings for the Procfile's `gunicorn bot.wsgi:app`: the same as `python -m bot web`.

gunicorn reads this file from the directory it starts in. The checks run here, in the master
process before it binds the port, so a bad setting ends in one line and exit status 2.
"""

import os
import sys

from bot.config import SettingsError
from bot.server import gunicorn_options
from bot.startup import StartupError, startup

try:
    _settings = startup(os.environ)
except (SettingsError, StartupError) as _problem:
    print(f"Cannot start: {_problem}", file=sys.stderr)
    sys.exit(2)

globals().update(gunicorn_options(_settings))
