"""evaluation pages."""

urlpatterns = []
