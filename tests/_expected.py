"""What the built site is expected to show for each trade-off (read with the TRADEOFFS table)."""

from __future__ import annotations

from tradeoffs._catalog import TRADEOFFS

CHARTS = {
    "build-vs-buy": 4,
    "batch-vs-realtime": 4,
    "prompt-vs-finetune": 4,
    "data-quality": 4,
    "complexity": 3,
    "human-oversight": 3,
}
"""Charts each trade-off's playbook draws on its page."""

PLAYBOOK_PAGES = {t.slug: CHARTS[t.slug] for t in TRADEOFFS}
"""Every trade-off's page embeds its playbook; a new trade-off without a count fails here."""

FIRST_RULES = {t.slug: f"{t.prefix}-1" for t in TRADEOFFS}
