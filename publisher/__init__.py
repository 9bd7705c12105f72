"""publisher: incident releases as a static site, PDFs and safe notification mails."""

__version__ = "0.1.0"
