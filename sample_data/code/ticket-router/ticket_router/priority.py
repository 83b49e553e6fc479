# SPDX-License-Identifier: MIT
# Copyright (c) 2023 Ada Brennan

URGENT_WORDS = ("outage", "no internet", "charged twice", "smoke", "locked out")


def priority(body: str, customer_tier: str = "standard") -> int:
    """1 is most urgent, 4 least."""
    level = 3
    if any(w in body.lower() for w in URGENT_WORDS):
        level = 1
    if customer_tier == "business":
        level = max(1, level - 1)
    return level
