from django_tasks import task

from cityline.sla.escalation import sla_scan


@task()
def sla_scan_task() -> int:
    return sla_scan().escalated
