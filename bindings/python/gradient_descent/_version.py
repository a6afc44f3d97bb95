"""The package version and the C ABI major version it is written for.

One version for the library, the wheel and the package: the header's GD_VERSION_MAJOR,
MINOR and PATCH, through the module generated from the header (setup.py reads the same)."""

from ._header_tables import HEADER_VERSION

__version__ = "{}.{}.{}".format(*HEADER_VERSION)

# gd_version_number() / 10000 must equal this (the header's ABI promise).
ABI_MAJOR = HEADER_VERSION[0]
