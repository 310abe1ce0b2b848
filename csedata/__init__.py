"""csedata: validated, versioned releases of published statistics; ``csedata.load`` reads one."""

from csedata.loader import load

__all__ = ["load"]
