"""The consoles every command prints to. Emoji codes off: ``feedback.csv:100:`` is a line
number, not 💯."""

from rich.console import Console

console = Console(emoji=False)
err = Console(stderr=True, emoji=False)
