"""The rules, one module per concern; each rule takes a Subject and yields located Problems."""
