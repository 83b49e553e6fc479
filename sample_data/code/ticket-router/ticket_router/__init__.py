# SPDX-License-Identifier: MIT
# Copyright (c) 2023 Ada Brennan
"""Route support tickets to queues."""

from ticket_router.rules import route

__all__ = ["route"]
