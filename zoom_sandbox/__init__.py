"""A Zoom on loopback for herp_zoom's tests, demo and benchmark."""

from .server import SandboxServer

__all__ = ["SandboxServer"]
