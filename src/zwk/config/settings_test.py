"""Settings for the test suite: the real settings with a throwaway data folder and key."""

import os
import tempfile

os.environ.setdefault("ZWK_SECRET_KEY", "test-only-not-a-secret")
os.environ.setdefault("ZWK_DATA_DIR", tempfile.mkdtemp(prefix="zwk-test-"))

from zwk.config.settings import *  # noqa: E402,F403

# Fast hashing: tests create many users; production keeps Django's default.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Tests run the profile in process only unless a test configures the shared level itself.
CACHES.pop("profile", None)  # noqa: F405

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405  (WhiteNoise warns without it)
