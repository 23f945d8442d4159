"""Conclusion: what makes a network, and why network management is not project management."""

from pathlib import Path

from netcourse import CourseModule

module = CourseModule.from_directory(Path(__file__).parent)
