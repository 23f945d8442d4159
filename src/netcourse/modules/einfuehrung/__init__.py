"""Introduction: the event, the goals of the course, how it works; starting point and expectations."""

from pathlib import Path

from netcourse import CourseModule

module = CourseModule.from_directory(Path(__file__).parent)
