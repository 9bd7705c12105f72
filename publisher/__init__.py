"""publisher: incident releases as a static site, PDFs and safe notification mails."""
