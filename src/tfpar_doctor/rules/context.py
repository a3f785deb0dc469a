"""The analysed project as rules see it: the index, the semantics, and the dataset sites."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

from tfpar_doctor.analysis.facts import ModuleFacts, Site
from tfpar_doctor.analysis.index import ProjectIndex
from tfpar_doctor.analysis.semantics import Semantics, TracedSummary
from tfpar_doctor.knowledge import tfdata


@dataclass(slots=True)
class SiteView:
    module: ModuleFacts
    site: Site
    semantics: Semantics
    _traced: TracedSummary | None = None

    @property
    def traced(self) -> TracedSummary:
        """The traced function's summary; empty where the function runs as Python (from_generator)."""
        if self._traced is None:
            traces = self.site.method in tfdata.TRACED_FUNCTION_ARGUMENT or (
                self.site.qualified in tfdata.EXPERIMENTAL_MAP_FUNCTIONS
            )
            self._traced = self.semantics.traced(self.site.function if traces else None)
        return self._traced

    @property
    def parallelism(self) -> tuple[str, int | None]:
        return self.semantics.parallelism(self.site)


@dataclass
class Options:
    loop_threshold: int = 32
    target_python: tuple[int, int] | None = None


@dataclass
class Context:
    index: ProjectIndex
    options: Options = field(default_factory=Options)

    @cached_property
    def semantics(self) -> Semantics:
        return Semantics(self.index, self.options.loop_threshold)

    @cached_property
    def dataset_sites(self) -> list[SiteView]:
        """Transformation calls whose receiver is a tf.data dataset (or that only tf.data has)."""
        views: list[SiteView] = []
        for module, site in self.index.sites():
            if module.error is not None:
                continue
            if self._is_tfdata_site(site):
                views.append(SiteView(module, site, self.semantics))
        views.sort(key=lambda v: (v.module.path, v.site.location.line, v.site.location.column))
        return views

    def _is_tfdata_site(self, site: Site) -> bool:
        if site.callee is not None and site.qualified is None:
            name = self.index.qualified_name(site.callee)
            if name not in tfdata.FREE_SITE_FUNCTIONS:
                return False
            site.qualified = name
        if site.qualified is not None:
            return True
        if self.index.is_tfdata_call(site.method, site.args, site.keywords):
            return True
        return self.index.is_dataset(site.receiver)

    def sites(self, *methods: str) -> Iterator[SiteView]:
        for view in self.dataset_sites:
            if not methods or view.site.method in methods:
                yield view

    def site_by_result(self, site_id: str) -> SiteView | None:
        for view in self.dataset_sites:
            if view.site.id == site_id:
                return view
        return None
