"""netcourse: a plugin-based Jupyter/Voila training kit for network-management courses.

Importing this package loads no plugin; registries load their entry points lazily on first use.
"""

from netcourse.errors import NetcourseError

__version__ = "0.1.0"
__all__ = ["NetcourseError", "__version__"]
