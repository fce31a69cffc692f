"""The page tests' schools and personas (Larkspur and Otterburn), shared with rollbook.web's tests."""

from rollbook.web.tests.conftest import *  # noqa: F401,F403
