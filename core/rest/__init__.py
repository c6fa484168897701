"""What every resource of the API shares, so that later resources behave the same way.

- errors: one error shape for every refusal, and the exception handler that produces it
  (query parameters, request bodies, treaty rules from the services, stale versions).
- params: query parameters declared once, parsed strictly (400 naming the parameter and the
  rule) and documented in the OpenAPI schema from the same declaration.
- pagination: page and page_size over querysets or plain rows, in one envelope.
- conditional: ETags (the data revision for reads, a record's version for edits), 304 on
  If-None-Match, 428 without If-Match, 412 on a stale one.
- exports: CSV and XLSX renderers for the same rows the JSON carries.
- permissions, throttling, negotiation, schema: the access rules and the API's wiring.
- views: ApiViewSet, the base class that puts these together, and VersionedViewSet for
  records whose service counts a version (details with ETag, edits with If-Match).
"""
