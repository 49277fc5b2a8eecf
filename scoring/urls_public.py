"""Public pages (no login): the good examples."""

urlpatterns = []
