"""Notice mails to the people concerned: plan (contacts, message) → ledger → transport.

contacts   read and check the CSV contact list as a stream
message    render a release's notice once per shape, personalise it, build the MIME message
safety     the rules a notice must keep (official domains only, no attachment, ...)
ledger     SQLite record of every (release, transport, address): pending, in flight, sent,
           failed, unknown
ledger_file  the ledger's file: opening it, its schema version and upgrade steps, its faults
outbox     transport: one .eml file per recipient
sendgrid   transport: SendGrid's v3 mail/send with the official client
mailout    the orchestration: read → check → record → send, resumable
proof      what proves notice: the digest of each mail, the rows of a list that cannot be told
events     SendGrid's delivery events → ledger rows, each stored once, in a state order
webhook    the signed Event Webhook on 127.0.0.1: signature and timestamp checked, then events
record     reading the ledger back: status, export, the proof by transport and segment
commands   the `notify webhook` and `notify events` commands (added to the CLI's notify group)
"""
