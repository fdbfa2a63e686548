"""The check layer: the engine, the rules and what they produce (findings, checklist, parts, comparison), and the user's own rules. Imports text and files, never office, review, ui or cli."""
