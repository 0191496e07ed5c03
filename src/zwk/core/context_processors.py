from django.conf import settings


def site(request):
    """What every page needs: whether demo data is present, so the banner can say so."""
    from zwk.communes.selectors import demo_data_present

    return {"demo_data_present": settings.ZWK_DEMO or demo_data_present()}
