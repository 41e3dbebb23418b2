"""Test settings: the real settings, with jobs run inline and fast password hashing."""

import os

os.environ.setdefault("SEOUL_DIGITAL_TESTING", "1")

from seoul_digital.config.settings import *  # noqa: E402,F401,F403

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
