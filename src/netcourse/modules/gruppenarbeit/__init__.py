"""The group exercise: four groups collect ideas to foster or design one core trait each."""

from pathlib import Path

from netcourse import CourseModule

module = CourseModule.from_directory(Path(__file__).parent)
