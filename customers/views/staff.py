"""Staff pages: customer list and search, visit registration, customer 360, merge."""

urlpatterns: list = []
