"""A plain-text progress bar for the import commands, redrawn in place on standard error."""

import time
from collections.abc import Callable

WIDTH = 30


def bar_text(rows: int, bytes_read: int, bytes_total: int, errors: int, seconds: float) -> str:
    """`[#########.....]  30%  300,000 rows, 0 bad lines, 12.3 s` (the share is of the bytes)."""
    share = min(1.0, bytes_read / bytes_total) if bytes_total else 0.0
    filled = round(share * WIDTH)
    bad = "1 bad line" if errors == 1 else f"{errors:,} bad lines"
    return (
        f"[{'#' * filled}{'.' * (WIDTH - filled)}] {share:4.0%}  "
        f"{rows:,} rows, {bad}, {seconds:.1f} s"
    )


class ProgressBar:
    """The import functions' progress callback drawing a bar: `\\r` moves back to the start of
    the line, so a terminal shows one line that grows, and a log file a line per update."""

    def __init__(self, write: Callable[[str], None], bytes_total: int):
        self.write = write
        self.bytes_total = bytes_total
        self.started = time.perf_counter()
        self.drawn = False

    def __call__(self, rows: int, bytes_read: int, errors: int) -> None:
        seconds = time.perf_counter() - self.started
        self.write("\r" + bar_text(rows, bytes_read, self.bytes_total, errors, seconds))
        self.drawn = True

    def end(self) -> None:
        """End the bar's line, so that what follows starts on a line of its own."""
        if self.drawn:
            self.write("\n")
            self.drawn = False
