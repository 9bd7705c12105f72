"""Reports for regulators, from the one record as it stood on a date.

    commands.py   `publisher report` and `publisher register` (click; the only I/O edge)
    run.py        load, make, check --out, then write: the pipeline of both commands
    snapshot.py   the incident as known on a date, its prose rendered to plain text
    text.py       rendered HTML as plain text (pure)
    words.py      the few words a report adds around the record's text, per language
    items.py      one `disclosure` item resolved against a snapshot (pure)
    form.py       a report's fields and the values shared by every regime (pure)
    notice.py     what the people were told: the ledger's counts, the substitute notices (pure)
    appi.py       the PPC report (個人情報の保護に関する法律施行規則 第7条・第8条)
    gdpr.py       the notification to a supervisory authority (GDPR Art. 33)
    ca.py         the California Attorney General's submission (Civ. Code §1798.82(f))
    register.py   the internal register of every breach (GDPR Art. 33(5)) as CSV (pure)
    document.py   a report as JSON and as HTML (through the theme's report/ templates)
    printing.py   a report's PDF through publisher.pdf's WeasyPrint engine
    output.py     where reports may go, and writing them there

Nothing here reads a contact list: a report holds the organisation's own desk, never the
people who were told; from the notification ledger it reads counts and times only.
"""
