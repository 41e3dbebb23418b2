"""API routes of the Governance programme, mounted at /api/v1/governance/."""

from ninja import Router

router = Router(tags=["governance"])
