from django_tasks import task

from cityline.analytics.services import StoreBusy, analytics_refresh


@task()
def analytics_refresh_task() -> int:
    try:
        return analytics_refresh().requests
    except StoreBusy:
        # The refresh under way reads these changes too, or the next one will.
        return 0
