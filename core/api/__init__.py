"""API base classes every app's API uses: serializer and viewset bases, filters, pagination,
the CSV renderer and the exception handler (named in REST_FRAMEWORK settings)."""
