"""The QGIS engine: every feature read through QGIS, each distinct value judged once, then a second pass that
ties the failing values to their features."""

from __future__ import annotations

from .progress import _Progress


class QgisPass:
    """The QGIS reading of :class:`~.plan._Plan`."""

    def _run_qgis(self, feedback, check_geometry) -> bool:
        names = [self.resolved[d.name] for d in self.schema_fields]
        group_slots = [[self.slot[name] for name in g.fields] for g in self.groups]
        progress = _Progress(feedback, self.input.feature_count, 0.0, 70.0 if names else 95.0)
        counters = self.counters
        slots = range(len(names))
        done = 0
        if names or check_geometry is not None:
            for fid, values, geometry in self.input.iter_features(names, check_geometry is not None, feedback):
                for i in slots:
                    counters[i][values[i]] += 1
                for group, gslots in zip(self.groups, group_slots):
                    group.counter[tuple(values[s] for s in gslots)] += 1
                if check_geometry is not None:
                    check_geometry(fid, geometry)
                done += 1
                if not progress(done):
                    return True
        if feedback is not None and feedback.isCanceled():
            return True
        self._judge_values()
        self._judge_groups()
        if self._needs_second_pass():
            return self._second_pass(feedback)
        return False

    def _second_pass(self, feedback) -> bool:
        names = [self.resolved[d.name] for d in self.schema_fields]
        group_slots = [[self.slot[name] for name in g.fields] for g in self.groups]
        field_jobs = [(self.slot[name], name, bad, dups, seen) for name, bad, dups, seen in self._field_jobs()]
        group_jobs = [(g, s, set()) for g, s in zip(self.groups, group_slots) if g.bad or g.duplicates or g.nulls]
        progress = _Progress(feedback, self.input.feature_count, 70.0, 29.0)
        for done, (fid, values, _geometry) in enumerate(self.input.iter_features(names, False, feedback), start=1):
            for i, name, bad, duplicates, seen in field_jobs:
                self._emit_value(fid, name, values[i], bad, duplicates, seen)
            for group, gslots, seen in group_jobs:
                self._emit_group(fid, group, tuple(values[s] for s in gslots), seen)
            if not progress(done):
                return True
        return bool(feedback is not None and feedback.isCanceled())
