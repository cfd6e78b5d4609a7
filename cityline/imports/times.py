"""Local wall-clock times of import files → aware UTC datetimes, parsed by slicing, not strptime.

Files of other cities' systems write times in the city's local time without an offset, in a few
fixed layouts: `05/01/2022 12:00:03 AM`, ISO `2024-12-31 09:24:11` (or `…T09:24:11.000`), or a
date alone for midnight; any other ISO text, with an offset or `Z`, is read by
`datetime.fromisoformat`. The results are the standard library's (`strptime` or
`fromisoformat`, then the zone's offset; in the hour that happens twice, the first), which the
tests check on generated times.

New York's clocks change on the hour, so within a local hour the offset is one: the zone's
arithmetic is done once per local hour: the text before a time's minutes (`2024-12-31 09`,
`05/01/2022 12` with its ` AM`) names the hour, remembered as its UTC time, and a later time of
the same hour costs a lookup and its minutes and seconds. Other texts that repeat (closing dates,
midnights) are parsed once while the cache lasts.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

_UNSEEN = object()

# `MM:SS` → its time past the hour: a lookup and an addition are cheaper than datetime.replace().
_PAST_THE_HOUR = {
    f"{minute:02d}:{second:02d}": timedelta(minutes=minute, seconds=second)
    for minute in range(60)
    for second in range(60)
}


def _past_the_hour(text: str) -> timedelta:
    """The minutes and seconds of `… HH:MM:SS…` as written at the 15th to 19th characters."""
    past = _PAST_THE_HOUR.get(text[14:19])
    if past is None:
        raise ValueError(text)
    return past


class TimeParser:
    """Local wall-clock text of one zone → aware UTC datetime (see the module's docstring)."""

    CACHE_SIZE = 50_000
    # Lengths of `2024-12-31 09:24:11`, its `.0` and `.000` forms, and `05/01/2022 12:00:03 AM`.
    CLOCK_SIZES = frozenset({19, 21, 22, 23})
    # No 311 request was made before 1900, and a time near the ends of the calendar could not be
    # shown in every time zone.
    YEARS = range(1900, 3000)

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone
        self.hours: dict[str, datetime] = {}
        self.texts: dict[str, datetime | None] = {"": None}

    def parse(self, text: str) -> datetime | None:
        """None for an empty cell; ValueError for text that is not a plausible time."""
        found = self.texts.get(text, _UNSEEN)
        if found is not _UNSEEN:
            return found  # type: ignore[return-value]
        if len(text) in self.CLOCK_SIZES and text[13] == ":":
            hour = self.hours.get(text[:13] + text[19:])
            past = _PAST_THE_HOUR.get(text[14:19])
            if hour is not None and past is not None:
                return hour + past
        found = self._plausible(text.strip()) if text.strip() else None
        if len(self.texts) >= self.CACHE_SIZE:
            self.texts = {"": None}
        self.texts[text] = found
        return found

    def _plausible(self, text: str) -> datetime:
        try:
            return self._parse(text)
        except OverflowError:
            raise ValueError(text) from None

    def _parse(self, text: str) -> datetime:
        size = len(text)
        if size == 22 and text[2] == "/" and text[5] == "/":  # 05/01/2022 12:00:03 AM
            hour = int(text[11:13])
            if not 1 <= hour <= 12:
                raise ValueError(text)
            marker = text[20:22].upper()
            if marker == "PM":
                hour = hour % 12 + 12
            elif marker == "AM":
                hour = hour % 12
            else:
                raise ValueError(text)
            return self._hour(
                text[:13] + text[19:], int(text[6:10]), int(text[0:2]), int(text[3:5]), hour
            ) + _past_the_hour(text)
        if size >= 19 and text[4] == "-" and text[10] in " T" and text[13] == ":":  # ISO
            if size == 19 or text[19:] in (".000", ".0"):
                return self._hour(
                    text[:13] + text[19:],
                    int(text[0:4]),
                    int(text[5:7]),
                    int(text[8:10]),
                    int(text[11:13]),
                ) + _past_the_hour(text)
            return self._iso(text)
        if size == 10 and text[4] == "-":  # 2025-05-29
            return self._hour(text, int(text[0:4]), int(text[5:7]), int(text[8:10]), 0)
        if size == 10 and text[2] == "/":  # 05/29/2025
            return self._hour(text, int(text[6:10]), int(text[0:2]), int(text[3:5]), 0)
        return self._iso(text)

    def _hour(self, key: str, year: int, month: int, day: int, hour: int) -> datetime:
        """The UTC time of a whole local hour, remembered under the text that names it."""
        found = self.hours.get(key)
        if found is None:
            found = datetime(year, month, day, hour, tzinfo=self.zone).astimezone(UTC)
            if found.year not in self.YEARS:
                raise ValueError(key)
            if len(self.hours) > 100_000:
                self.hours.clear()
            self.hours[key] = found
        return found

    def _iso(self, text: str) -> datetime:
        moment = datetime.fromisoformat(text)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.zone)
        moment = moment.astimezone(UTC)
        if moment.year not in self.YEARS:
            raise ValueError(text)
        return moment
