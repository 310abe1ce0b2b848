"""`python -m csedata` runs the command line."""

from csedata.cli import app

app(prog_name="csedata")
