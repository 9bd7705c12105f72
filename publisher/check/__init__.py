"""`publisher check`: every rule a disclosure must pass, run over the loaded content.

findings.py   the Finding value (path:line:col: severity: rule-id: message) and its JSON
registry.py   every rule with its id, severity, regime, description and source
prose.py      what release and timeline prose refers to (facts, references, links, URLs)
rules/        the rules: series consistency, legal completeness per regime, safe notices
runner.py     load, run the rules, sort; the one entry point for `check` and `build`
"""
