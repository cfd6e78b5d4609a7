from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class GeoConfig(AppConfig):
    name = "cityline.geo"
    label = "geo"
    verbose_name = "Geography"

    def ready(self) -> None:
        from cityline.geo.areas import area_index_forget
        from cityline.geo.baselayer import base_layer_forget
        from cityline.geo.models import BoundaryArea, BoundaryLayer

        # A change to any area or layer, in any worker, makes every worker rebuild its tree and
        # its base map.
        for model in (BoundaryArea, BoundaryLayer):
            for signal in (post_save, post_delete):
                signal.connect(
                    area_index_forget,
                    sender=model,
                    dispatch_uid=f"forget-{model.__name__}-{signal}",
                )
                signal.connect(
                    base_layer_forget,
                    sender=model,
                    dispatch_uid=f"forget-base-layer-{model.__name__}-{signal}",
                )
