"""`publisher check`: every rule a disclosure must pass, run over the loaded content.

findings.py   a finding (a Problem with its rule and severity) as text or JSON, the summary line
rule.py       what a rule is (id, severity, summary, source, regime, a pure check function)
registry.py   every rule by id: what the runner applies and `--explain` prints
prose.py      what release and timeline prose refers to (facts, references, links, URLs)
rules/        series consistency, rendering, disclosure items, APPI, GDPR and California,
              safe notices
runner.py     read the content, apply the rules in force, sort; used by `check` and `build`
"""
