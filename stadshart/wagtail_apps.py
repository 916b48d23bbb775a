"""Wagtail's images, documents, snippets and redirects apps, without the v3 API that Stadshart does not serve.

Wagtail 8 registers these apps' routers on its v3 API (django-ninja and pydantic, a schema per page
model) in their `ready()`, whether or not the project serves that API. Stadshart serves no v3 API (no
`wagtail.api.v3` app, no route), and importing it costs every web and worker process about 20 MB and
half a second of start-up: a large send's worker processes stayed over 150 MB because of it (issue 16).

These configs run Wagtail's own `ready()` with the API's modules standing in for a moment as
no-ops, so everything else those apps register (permission policies, signal handlers, form
widgets, the reference index) is Wagtail's code, unchanged. A project that installs
`wagtail.api.v3` to serve the API gets Wagtail's behaviour as it is.
"""

import sys
from contextlib import contextmanager
from types import ModuleType

from django.apps import apps
from wagtail.contrib.redirects.apps import WagtailRedirectsAppConfig
from wagtail.documents.apps import WagtailDocsAppConfig
from wagtail.images.apps import WagtailImagesAppConfig
from wagtail.snippets.apps import WagtailSnippetsAppConfig


class _UnservedAPI:
    def add_router(self, prefix, router):
        pass  # nothing serves the API, so there is nothing to route


def _stand_in(name: str, **attributes) -> ModuleType:
    module = ModuleType(name, "Stands in for a module of Wagtail's v3 API while an app gets ready.")
    module.__path__ = []  # a package, so that its submodules' stand-ins can be imported from it
    module.__dict__.update(attributes)
    return module


@contextmanager
def _without_the_v3_api(app_name: str):
    """While the block runs, `app_name`'s and Wagtail's v3 API modules import as no-ops."""
    if apps.is_installed("wagtail.api.v3"):
        yield
        return
    stand_ins = {
        "wagtail.api.v3.api": _stand_in("wagtail.api.v3.api", api=_UnservedAPI()),
        f"{app_name}.api": _stand_in(f"{app_name}.api"),
        f"{app_name}.api.v3": _stand_in(
            f"{app_name}.api.v3", router=None, register_content_types=lambda: None
        ),
        f"{app_name}.api.v3.registry": _stand_in(
            f"{app_name}.api.v3.registry", register_content_types=lambda: None
        ),
        f"{app_name}.api.v3.router": _stand_in(f"{app_name}.api.v3.router", router=None),
    }
    stand_ins = {name: module for name, module in stand_ins.items() if name not in sys.modules}
    sys.modules.update(stand_ins)
    try:
        yield
    finally:
        # Whoever imports these later (a test, a project that adds the API) gets Wagtail's modules.
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]


class _WithoutTheV3API:
    """Mixed in before a Wagtail app config: its own ready(), with the API's modules standing in."""

    def ready(self):
        with _without_the_v3_api(self.name):
            super().ready()


class ImagesConfig(_WithoutTheV3API, WagtailImagesAppConfig):
    pass


class DocumentsConfig(_WithoutTheV3API, WagtailDocsAppConfig):
    pass


class RedirectsConfig(_WithoutTheV3API, WagtailRedirectsAppConfig):
    pass


class SnippetsConfig(_WithoutTheV3API, WagtailSnippetsAppConfig):
    pass
