"""The kernel every app shares: audit trail, roles and scope, reference codes, workflows, web helpers.

Apps import `core`; `core` imports no app (import-linter keeps it so).
"""
