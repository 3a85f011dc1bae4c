"""Pictures and text output: progress bar, aligned tables (PNG/SVG writers join here)."""

from scratch_genmod.viz.progress import ProgressBar, track
from scratch_genmod.viz.table import format_table

__all__ = ["ProgressBar", "track", "format_table"]
