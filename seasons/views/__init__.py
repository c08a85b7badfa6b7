"""The public site: ``pages`` (HTML) and ``data`` (each page's JSON, iCalendar, preview card,
sitemap.xml and robots.txt), named in ``seasons/urls.py``."""
