"""API routes of the Open-data quality programme, mounted at /api/v1/quality/."""

from ninja import Router

router = Router(tags=["quality"])
