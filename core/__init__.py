"""Pure-Python core of the report assistant: parsing, checking, reading files.

Nothing in this package may import Qt; the GUI, the command line and batch mode all
call `core.check.engine.check`.
"""

__version__ = "0.1.0"  # the one version number: pyproject.toml reads it; CHANGELOG.md says what changed
