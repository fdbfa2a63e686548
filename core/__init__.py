"""Pure-Python core of the report assistant: parsing, checking, reading files.

Nothing in this package may import Qt; the GUI, the command line and batch mode all
call `core.engine.check`.
"""
