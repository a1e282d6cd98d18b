def shell(request):
    """Values every page template needs: elderly mode and the unread count."""
    user = getattr(request, "user", None)
    elderly = bool(user and user.is_authenticated and user.elderly_mode) or request.COOKIES.get("elderly") == "1"
    return {"elderly_mode": elderly}
