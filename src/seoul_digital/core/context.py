from seoul_digital.core.navigation import nav_items


def platform(request):
    user = getattr(request, "user", None)
    return {
        "nav_items": nav_items(user) if user is not None else [],
        "large_text": getattr(request, "large_text", False),
    }
