"""PDFs of the releases: one print-grade, archival (PDF/A-3a), tagged file per release.

- plan.py: the print HTML of each release and its cache key (pure)
- fetch.py: what rendering may read: files under content/, templates/ and the output folder
- fonts.py: the fonts the print stylesheet needs, checked with fontconfig before rendering
- cache.py: rendered PDFs on disk by cache key
- engine.py: WeasyPrint in a worker process, one FontConfiguration per process
- workers.py: the worker processes, which stop the moment the build stops
- stage.py: `build_pdfs`, the step `publisher build` calls: check, reuse, render the rest
"""
