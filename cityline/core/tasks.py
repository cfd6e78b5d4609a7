from django_tasks import task

from cityline.core.outbox import outbox_deliver, outbox_sweep


@task()
def outbox_deliver_task(message_id: int) -> bool:
    return outbox_deliver(message_id=message_id)


@task()
def outbox_sweep_task() -> int:
    return outbox_sweep()
