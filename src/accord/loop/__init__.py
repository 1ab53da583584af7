"""The closed loop: routing rules, numbered tickets with SLAs, root cause and prevention,
alerts that open tickets, and the weekly cadence digest (``docs/loop.md``).

Importing the package makes tickets the value report's issue source (``loop.issues``)."""

from accord.loop.issues import register as _register_issue_source

_register_issue_source()
