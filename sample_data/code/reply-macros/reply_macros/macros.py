# SPDX-License-Identifier: GPL-3.0-only
# Copyright (C) 2022 Lumen Freeware Collective
#
# This program is free software: you can redistribute it and/or modify it under
# the terms of the GNU General Public License as published by the Free Software
# Foundation, version 3. It is distributed WITHOUT ANY WARRANTY; see
# <https://www.gnu.org/licenses/gpl-3.0.html>.

MACROS = {
    "greeting": "Hi {first_name}, thanks for contacting us.",
    "reset_router": (
        "Please unplug the router for 30 seconds, plug it back in and wait until the "
        "light is steady white."
    ),
    "refund_timeline": "Refunds reach your card within five business days.",
    "closing": "If anything else comes up, just reply to this message.",
}
