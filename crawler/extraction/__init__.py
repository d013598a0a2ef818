"""HTML-to-article extraction, split by job: decoding, visibility, main block, lines, metadata.

``crawler.extract`` is the public entry point; these modules are its parts.
"""
