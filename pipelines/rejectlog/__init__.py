"""The rejected-items log: record schema, crash-safe writer and the Scrapy extension.

``records`` and ``writer`` are Scrapy-free (``spamsieve filter`` uses them); import the
extension from ``pipelines.rejectlog.extension``.
"""

from pipelines.rejectlog.records import SCHEMA_VERSION, build_record
from pipelines.rejectlog.writer import RejectedLogError, RejectedLogWriter

__all__ = ["SCHEMA_VERSION", "RejectedLogError", "RejectedLogWriter", "build_record"]
