"""Deterministic demo and benchmark data (`manage.py demo_data`).

`plan` builds unsaved model instances from a seeded random.Random (no database needed),
`load` writes them with bulk_create, `logins` creates one demo account per role.
"""
