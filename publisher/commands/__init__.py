"""Click commands kept out of publisher/cli.py for their size, beside it in the top layer: they
may import anything below, and only cli.py imports them (it adds them to its groups);
options.py holds the options they and cli.py share."""
