"""The spamsieve Scrapy project: spiders, the article item and HTML extraction."""
