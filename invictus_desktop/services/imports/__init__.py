"""Imports of spreadsheets schools export: staff lists and timetables."""
