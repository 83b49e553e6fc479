# SPDX-License-Identifier: GPL-3.0-only
# Copyright (C) 2022 Lumen Freeware Collective
#
# This program is free software: you can redistribute it and/or modify it under
# the terms of the GNU General Public License as published by the Free Software
# Foundation, version 3. It is distributed WITHOUT ANY WARRANTY; see
# <https://www.gnu.org/licenses/gpl-3.0.html>.

import string

from reply_macros.macros import MACROS


def render(names: list[str], **fields: str) -> str:
    """Join the named macros into one reply, filling in {placeholders}."""
    parts = []
    for name in names:
        template = string.Formatter()
        parts.append(template.vformat(MACROS[name], (), fields))
    return "\n\n".join(parts)
