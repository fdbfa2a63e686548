"""The office layer: the documents the program writes for Word and Excel (the .docx export, Word comments, the Excel ledger)."""
