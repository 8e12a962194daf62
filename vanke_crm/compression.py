"""Pages and JSON are sent gzip-compressed (static files already are: WhiteNoise
serves its pre-compressed copies). Pictures and downloads are left alone: they are
compressed already or gain nothing.

BREACH: Django masks the CSRF token differently in every response, session ids never
appear in a body, and the ID numbers that matter are never in a page at all (decision
0012), so compressing pages that reflect user input does not leak a secret."""

from django.middleware.gzip import GZipMiddleware

COMPRESSIBLE = ("text/", "application/json", "application/javascript")


class TextGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        content_type = response.get("Content-Type", "")
        if not content_type.startswith(COMPRESSIBLE):
            return response
        return super().process_response(request, response)
