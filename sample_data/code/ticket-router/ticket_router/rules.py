# SPDX-License-Identifier: MIT
# Copyright (c) 2023 Ada Brennan

QUEUES = {
    "billing": ("invoice", "refund", "charge", "payment"),
    "hardware": ("router", "printer", "thermostat", "battery"),
    "account": ("password", "login", "verification", "locked"),
}


def route(subject: str, body: str) -> str:
    """Return the queue whose keywords appear most often in the ticket."""
    text = f"{subject} {body}".lower()
    scores = {q: sum(text.count(k) for k in kws) for q, kws in QUEUES.items()}
    best = max(scores, key=lambda q: scores[q])
    return best if scores[best] > 0 else "general"
