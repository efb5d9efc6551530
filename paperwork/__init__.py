"""Printable standard forms (PDF) in the layout stations keep for inspection:
household file, case forms, sign-in sheets, joint-meeting minutes and the
monthly supervision record, one at a time or in batches."""
