"""feedback pages."""

urlpatterns = []
