"""Reads of the pricing pages and API: savings per round, the VBP share and the online-purchase rate."""

from .purchases import ONLINE_TARGETS, online_rate, vbp_share
from .savings import round_savings

__all__ = ["ONLINE_TARGETS", "online_rate", "round_savings", "vbp_share"]
