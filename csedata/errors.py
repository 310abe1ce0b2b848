"""One exception type for every input problem the user must fix.

Its message is a single line that names the file and the place, so the CLI can
print it as it is and exit non-zero without a traceback.
"""


class CsedataError(Exception):
    """An input problem: a bad raw file, registry entry, spec entry or number."""

    def __init__(self, where: str, problem: str) -> None:
        self.where = where
        self.problem = problem
        super().__init__(f"{where}: {problem}")
