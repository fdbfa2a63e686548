"""The text layer: the document model and what is read off the text (metadata, numerals, periods, segmentation, word count, countable items). Imports nothing from the other layers."""
