# SPDX-License-Identifier: GPL-3.0-only
# Copyright (C) 2022 Lumen Freeware Collective
#
# This program is free software: you can redistribute it and/or modify it under
# the terms of the GNU General Public License as published by the Free Software
# Foundation, version 3. It is distributed WITHOUT ANY WARRANTY; see
# <https://www.gnu.org/licenses/gpl-3.0.html>.

import sys

from reply_macros.render import render


def main() -> int:
    print(render(sys.argv[1:], first_name="there"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
