from django_tasks import task

from cityline.core.outbox import outbox_sweep


@task()
def outbox_sweep_task() -> int:
    return outbox_sweep()
