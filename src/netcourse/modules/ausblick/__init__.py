"""Outlook: the follow-up Interkommunaler Lernraum; what I will try and report back."""

from pathlib import Path

from netcourse import CourseModule

module = CourseModule.from_directory(Path(__file__).parent)
