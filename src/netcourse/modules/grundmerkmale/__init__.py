"""Talk 1: the four core traits of networks and the three roles of a network manager."""

from pathlib import Path

from netcourse import CourseModule

module = CourseModule.from_directory(Path(__file__).parent)
