"""The files layer: reading .txt/.docx, writing files safely, autosave, settings, templates and user rules. Imports text only."""
