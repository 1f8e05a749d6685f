"""The progress bar a build draws on a terminal."""

from __future__ import annotations


class ProgressBar:
    """``[#####.....] 412/873`` on one terminal line, redrawn at most every 1 % (never into a pipe)."""

    def __init__(self, stream, width: int = 30):
        self.stream, self.width, self.shown = stream, width, -1

    def __call__(self, done: int, total: int) -> None:
        step = done * 100 // max(total, 1)
        if step == self.shown:
            return
        self.shown = step
        filled = self.width * done // max(total, 1)
        self.stream.write(f"\r[{'#' * filled}{'.' * (self.width - filled)}] {done}/{total}")
        self.stream.flush()

    def close(self) -> None:
        if self.shown >= 0:
            self.stream.write("\r" + " " * (self.width + 24) + "\r")
            self.stream.flush()
