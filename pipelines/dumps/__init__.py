"""Reading existing crawl dumps for ``spamsieve filter``."""
