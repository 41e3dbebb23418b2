"""API routes of the Digital inclusion programme, mounted at /api/v1/inclusion/."""

from ninja import Router

router = Router(tags=["inclusion"])
