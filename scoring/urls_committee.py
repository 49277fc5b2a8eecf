"""committee pages."""

urlpatterns = []
