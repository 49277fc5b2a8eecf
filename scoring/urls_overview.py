"""overview pages."""

urlpatterns = []
