from django_tasks import task

from cityline.core.outbox import outbox_stop_on_signals, outbox_sweep


@task()
def outbox_sweep_task() -> int:
    # The task worker finishes its task when asked to stop: the sweep ends after the message in
    # hand instead of after the whole backlog.
    with outbox_stop_on_signals() as stop:
        return outbox_sweep(stop=stop)
