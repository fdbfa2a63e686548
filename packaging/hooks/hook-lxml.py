# Replaces the pyinstaller-hooks-contrib hook for `lxml`, which collects every lxml submodule
# (lxml.html, lxml.objectify, … ~4 MB). python-docx and openpyxl import only lxml.etree, whose
# own hook (hook-lxml.etree, still used) adds the modules etree needs at run time.
hiddenimports = []
