"""The files layer: reading .txt/.docx, writing files safely, autosave, settings and templates. Imports text only."""
