"""Helpers for the browser tests: launching Debian's Chromium, signing in and the axe-core check.

The tests drive the system's Chromium (``/usr/bin/chromium``, Debian's ``chromium`` package)
through Playwright for Python, because Playwright's own browser download is not available on
the machines that run the tests. ``.ci/run`` installs the package when it is missing.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Locator, Page

CHROMIUM = Path("/usr/bin/chromium")

# Headless, and quiet on the network: without the background-networking, component-update and
# sync switches Chromium contacts outside hosts on its own, which the test machines refuse.
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

AXE_SCRIPT = Path(__file__).resolve().parent / "vendor" / "axe.min.js"

# axe-core's tags for the WCAG 2.0, 2.1 and 2.2 success criteria at levels A and AA. axe 4.14
# has no "wcag22a" tag: the level A criteria new in 2.2 need a person to check them.
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")

PASSWORD = "a-long-test-password"

_RUN_AXE = """
async (tags) => {
    const results = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
    return results.violations.map((rule) => ({
        id: rule.id,
        impact: rule.impact,
        help: rule.help,
        nodes: rule.nodes.map((node) => ({target: node.target.join(" "), summary: node.failureSummary})),
    }));
}
"""


def missing_chromium_message() -> str:
    return (
        f"Chromium was not found at {CHROMIUM}; the browser tests need Debian's chromium package. "
        "Install it with: apt-get update && apt-get install -y chromium"
    )


def log_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the sign-in form and wait for the page that follows."""
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_label("Password").press("Enter")
    if "/login/" in page.url:
        raise AssertionError(f"signing in as {username!r} failed: still on {page.url}")


def tab_to(page: Page, target: Locator, max_presses: int = 40) -> int:
    """Press Tab until ``target`` or an element inside it has the focus; return how many presses it took.

    Raises AssertionError naming the element that had the focus last when the target is not
    reached within ``max_presses``.
    """
    for presses in range(1, max_presses + 1):
        page.keyboard.press("Tab")
        if target.evaluate("element => element.contains(document.activeElement)"):
            return presses
    focused = page.evaluate("document.activeElement ? document.activeElement.outerHTML.slice(0, 200) : null")
    raise AssertionError(f"Tab did not reach {target} in {max_presses} presses; the focus ended on {focused}")


def accessibility_violations(page: Page) -> list[dict]:
    """Run axe-core on the page's current document; return its WCAG 2.2 A and AA violations."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    return page.evaluate(_RUN_AXE, list(WCAG_TAGS))


def format_violations(violations: list[dict]) -> str:
    lines = []
    for rule in violations:
        lines.append(f"{rule['id']} ({rule['impact']}): {rule['help']}")
        for node in rule["nodes"]:
            summary = " ".join(node["summary"].split())
            lines.append(f"    {node['target']}: {summary}")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """Fail listing every WCAG 2.2 A or AA rule axe-core finds broken on the page, with the elements."""
    violations = accessibility_violations(page)
    assert not violations, (
        f"axe-core found {len(violations)} accessibility rule(s) broken on {page.url}:\n"
        + format_violations(violations)
    )
