"""Progress and cancellation of a check, for every reading engine."""

from __future__ import annotations


class _Progress:
    def __init__(self, feedback, total: int, start: float, span: float):
        self.feedback = feedback
        self.total = max(total, 1)
        self.start = start
        self.span = span
        self.step = max(self.total // 100, 1)

    def __call__(self, done: int) -> bool:
        """Report progress; False when the user cancelled."""
        if self.feedback is None:
            return True
        if done % self.step == 0:
            self.feedback.setProgress(self.start + self.span * min(done / self.total, 1.0))
        return not self.feedback.isCanceled()
