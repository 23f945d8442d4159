"""Beyond the seed: map the actors and ties of one's own municipal BNE network."""

from pathlib import Path

from netcourse import CourseModule

module = CourseModule.from_directory(Path(__file__).parent)
