"""API routes of the Bike safety stock programme, mounted at /api/v1/bikes/."""

from ninja import Router

router = Router(tags=["bikes"])
