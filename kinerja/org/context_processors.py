def current_agency(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .access import get_access

    access = get_access(request)
    return {"kinerja_access": access, "current_agency": user.agency}
