"""``spamsieve review``: read rejected-items logs, summarise, list, show, restore, report.

Each module has one job (reader, filters, summary, listing, show, restore, allow,
report_html); ``pipelines.cli.review`` wires them to the command line.
"""
