from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class GeoConfig(AppConfig):
    name = "cityline.geo"
    label = "geo"
    verbose_name = "Geography"

    def ready(self) -> None:
        from cityline.geo.models import BoundaryArea, BoundaryLayer

        # This worker sees its own boundary changes at once; others within RECHECK_SECONDS.
        for model in (BoundaryArea, BoundaryLayer):
            for signal in (post_save, post_delete):
                signal.connect(
                    _forget_areas, sender=model, dispatch_uid=f"forget-{model.__name__}-{signal}"
                )


def _forget_areas(**_signal_arguments: object) -> None:
    from cityline.geo.areas import area_index_forget

    area_index_forget()
