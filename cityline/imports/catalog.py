"""The agencies and service types an import meets, created on first sight and cached by code."""

from django.utils.text import slugify

from cityline.catalog.models import Agency, ServiceType
from cityline.catalog.services import agency_ensure, service_type_ensure, service_type_public_set
from cityline.core.models import max_length_of

AGENCY_CODE_MAX = max_length_of(Agency, "code")
AGENCY_NAME_MAX = max_length_of(Agency, "name")
SERVICE_CODE_MAX = max_length_of(ServiceType, "code")
SERVICE_NAME_MAX = max_length_of(ServiceType, "name")


class CatalogCache:
    """Ids of agencies and service types by code, creating the missing ones as they come.

    Existing rows are reused as they are. A service type this import creates is owned by the
    agency of the first row that names it. It is public (residents may file it) unless every
    row seen so far came from city staff, so an internal-only type stays off the public portal.
    """

    def __init__(self) -> None:
        self.agencies: dict[str, int] = {}
        self.service_types: dict[str, int] = {}
        self.staff_only: set[str] = set()
        self.agencies_created = 0
        self.service_types_created = 0

    def agency_id(self, *, code: str, name: str) -> int:
        pk = self.agencies.get(code)
        if pk is None:
            agency, created = agency_ensure(code=code, name=(name or code)[:AGENCY_NAME_MAX])
            self.agencies_created += created
            pk = self.agencies[code] = agency.pk
        return pk

    def service_type_id(self, *, code: str, name: str, agency_id: int, by_staff: bool) -> int:
        pk = self.service_types.get(code)
        if pk is None:
            service_type, created = service_type_ensure(
                code=code,
                name=name[:SERVICE_NAME_MAX],
                agency_id=agency_id,
                is_public=not by_staff,
            )
            self.service_types_created += created
            if created and by_staff:
                self.staff_only.add(code)
            pk = self.service_types[code] = service_type.pk
        elif not by_staff and code in self.staff_only:
            service_type_public_set(service_type_id=pk, is_public=True)
            self.staff_only.discard(code)
        return pk


def service_type_code(name: str) -> str:
    """The catalog code of a source's type name: its slug, e.g. `noise-residential`."""
    return slugify(name.replace("/", " "))[:SERVICE_CODE_MAX].strip("-")


def service_type_name(name: str) -> str:
    """A readable name: sources that lower-cased every name get them capitalised back."""
    name = " ".join(name.split())
    return name[:1].upper() + name[1:] if name.islower() else name
