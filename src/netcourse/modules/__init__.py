"""The built-in course modules. Each is a plugin registered under ``netcourse.modules``."""
