"""The review layer: many reports at once (batch review, its workbook, the 通报 draft)."""
