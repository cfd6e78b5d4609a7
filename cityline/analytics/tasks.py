from datetime import timedelta

from django_tasks import task

from cityline.analytics.forecast import forecasts_due, forecasts_prepare
from cityline.analytics.opendata import open_data_due, open_data_write
from cityline.analytics.reports import monthly_report_write_missing
from cityline.analytics.schema import month_of
from cityline.analytics.services import StoreBusy, analytics_refresh
from cityline.analytics.spike_services import spikes_check
from cityline.analytics.statpack import stat_packs_write_missing
from cityline.core import clock


@task()
def analytics_refresh_task() -> int:
    try:
        written = analytics_refresh().requests
    except StoreBusy:
        # The refresh under way reads these changes too, or the next one will.
        return 0
    # The month that ended is reported once, by the first refresh after it ended.
    first_of_month = clock.to_city_time(clock.now()).date().replace(day=1)
    ended = month_of(first_of_month - timedelta(days=1))
    monthly_report_write_missing(month=ended)
    stat_packs_write_missing(month=ended)
    # Open data is rewritten every CITYLINE_OPEN_DATA_HOURS, as a task of its own: it reads
    # every public request, and the refresh must not wait for it.
    if open_data_due():
        open_data_write_task.enqueue()
    # The day's forecasts are fitted once the store holds yesterday, away from the page.
    if forecasts_due():
        forecasts_prepare_task.enqueue()
    return written


@task()
def open_data_write_task() -> int:
    return open_data_write().rows


@task()
def forecasts_prepare_task() -> None:
    forecasts_prepare()


@task()
def spikes_check_task() -> int:
    return spikes_check().raised
