"""Notifications for ticket and alert events (``docs/loop.md``, "Notifications").

Each channel reads the ticket event log (``tickets.events_since``) from its own cursor, so a
run sends only what is new: ``webhook`` (signed JSON or Slack-compatible posts, retried, every
attempt logged) and ``email`` (SMTP to the assignee, account owner or escalation target).
``dispatch.dispatch_pending`` runs both; ``accord notify run`` calls it."""
