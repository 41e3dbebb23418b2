"""API routes of the AI sewer inspection programme, mounted at /api/v1/sewer/."""

from ninja import Router

router = Router(tags=["sewer"])
