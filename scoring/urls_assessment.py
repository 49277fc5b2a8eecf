"""assessment pages."""

urlpatterns = []
