"""The package version and the C ABI major version it is written for."""

__version__ = "0.1.0"

# gd_version_number() / 10000 must equal this (the header's ABI promise).
ABI_MAJOR = int(__version__.split(".")[0])
