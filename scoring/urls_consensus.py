"""consensus pages."""

urlpatterns = []
