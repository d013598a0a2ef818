"""The bundled demo site: a small set of realistic (invented) news sites, some polluted.

``build.py`` renders every page and ``manifest.json`` (the ground truth) from the page specs
in ``texts.py``; the rendered files are committed so the crawl needs no build step.
"""
