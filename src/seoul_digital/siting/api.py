"""API routes of the CCTV siting programme, mounted at /api/v1/siting/."""

from ninja import Router

router = Router(tags=["siting"])
