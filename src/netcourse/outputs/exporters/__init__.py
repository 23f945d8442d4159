"""Exporters: turn a journal (or, later, a course documentation) into a file format."""
