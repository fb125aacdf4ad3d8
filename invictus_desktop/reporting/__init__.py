"""Report snapshots to PDF: the school's copy and the Board's.

`snapshot` defines what a report shows (plain frozen data, built by the
services); `pdf.render` lays it out with reportlab; `redaction` finds staff
names in text bound for the Board. This package imports neither the store
nor Qt, and reportlab only when `pdf` is imported.
"""
