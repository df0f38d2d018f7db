"""Shared constants and helpers for the eligibility page tests."""

import datetime
import html

NOW = datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 3, 10)


def text(response):
    return html.unescape(response.content.decode())
