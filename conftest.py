import os

# Tests need no production configuration; they run with Django's debug settings off.
os.environ.setdefault("ROLLBOOK_SECRET_KEY", "tests-only-secret-key")
os.environ.setdefault("ROLLBOOK_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
