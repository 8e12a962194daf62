"""The complaints pages: hotline intake, the work queue, the case page and the
handler's task pages (issue 9)."""
