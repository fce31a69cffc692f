"""The accessibility check itself: it must fail on a page that breaks a rule, naming rule and element."""

import pytest

from .support import assert_accessible

BROKEN_PAGE = """<!doctype html>
<html lang="en-GB"><head><title>Broken</title></head>
<body><main><h1>Broken</h1><img src="/nothing.png"><button id="unnamed"></button></main></body></html>"""

SOUND_PAGE = """<!doctype html>
<html lang="en-GB"><head><title>Sound</title></head>
<body><main><h1>Sound</h1><img src="/nothing.png" alt="A blank square"><button>Save</button></main></body></html>"""


def test_assert_accessible_lists_rules_and_elements(browser_page):
    browser_page.set_content(BROKEN_PAGE)

    with pytest.raises(AssertionError) as failure:
        assert_accessible(browser_page)

    message = str(failure.value)
    assert "image-alt" in message
    assert "button-name" in message
    assert "#unnamed" in message


def test_assert_accessible_passes_sound_page(browser_page):
    browser_page.set_content(SOUND_PAGE)

    assert_accessible(browser_page)
