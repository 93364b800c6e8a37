import gc

from django.apps import AppConfig
from django.core.signals import got_request_exception


class CoreConfig(AppConfig):
    # Template filters (core/templatetags), middleware, and the deletions feed of core.sync.
    name = "core"

    def ready(self):
        # What start-up created (modules, apps, settings) lives as long as the process: keep
        # it out of the garbage collector's way. Besides sparing every collection the scan,
        # this spares the full collection at exit, which made the development server take
        # 1.5 s of a loaded machine to stop on Ctrl-C (`make run`).
        gc.freeze()

        from .middleware import remember_database_fault

        got_request_exception.connect(remember_database_fault, dispatch_uid="core.remember_database_fault")
