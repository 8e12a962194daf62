"""Import, export and segments."""

urlpatterns: list = []
