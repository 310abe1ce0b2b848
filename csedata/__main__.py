"""`python -m csedata` runs the command line, named in its hints as CSEDATA_PROG says
(``./run`` sets it to itself: csedata is not on PATH)."""

import os

from csedata.cli import app

app(prog_name=os.environ.get("CSEDATA_PROG", "csedata"))
