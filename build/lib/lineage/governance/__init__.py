"""Governance: verification of recorded contents, sign-offs, revocation, signatures.

The modules here sit beside the checks (which read revocations and approval
statuses from them); the public API in `lineage` exposes them. This package
imports nothing on its own, so the checks can import its modules directly.
"""
