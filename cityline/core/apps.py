from django.apps import AppConfig
from django.core.signals import request_finished, request_started


class CoreConfig(AppConfig):
    name = "cityline.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from cityline.core.memo import memo_request_finished, memo_request_started

        # A request reads the shared memos' generations once (core/memo.py).
        request_started.connect(memo_request_started, dispatch_uid="core-memo-request-started")
        request_finished.connect(memo_request_finished, dispatch_uid="core-memo-request-finished")
