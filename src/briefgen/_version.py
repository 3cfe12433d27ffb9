"""briefgen's version, in a module of its own so that any module can import it without
importing the package root (and the package root can import those modules)."""

__version__ = "0.1.0"
