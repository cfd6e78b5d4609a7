from collections.abc import Iterable, Mapping

from cityline.catalog.models import Agency, ServiceType


def agency_for_request(
    *, service_type: ServiceType, answers: Mapping[str, str | list[str]], area_ids: Iterable[int]
) -> Agency:
    """The agency that owns a request: the first matching routing rule, else the type's agency."""
    in_areas = set(area_ids)
    # .all() uses the rules prefetched by service_type_get_with_questions.
    for rule in service_type.routing_rules.all():
        if rule.area_id is not None and rule.area_id not in in_areas:
            continue
        if rule.attribute_code:
            answer = answers.get(rule.attribute_code)
            chosen = answer if isinstance(answer, list) else [answer]
            if rule.attribute_value not in chosen:
                continue
        return rule.agency
    return service_type.agency
