"""spamsieve's reusable Scrapy plug-in.

Data flow: normalise (``pipelines.normalize``) -> detect/clean (``pipelines.detect``,
logic in ``pipelines.detection``) -> dedupe (``pipelines.dedupe``) -> kept feed /
rejected-items log (``pipelines.rejectlog``) -> review (``pipelines.review``).
Enable it all with ``ADDONS = {"pipelines.SpamSieveAddon": 100}``.
"""

from pipelines.addon import SpamSieveAddon

__all__ = ["SpamSieveAddon"]
