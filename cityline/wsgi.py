import gc
import os
from importlib import import_module

import django
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.utils.http import parse_header_parameters


class CharsetCheckedRequest(WSGIRequest):
    """Django takes any codec a Content-Type's charset names, even one that is no text encoding
    (rot13, base64, zlib), and then fails decoding the query string before any view runs. Such a
    charset is ignored here as Django ignores an unknown one (views still see it in
    `content_params`, and Open311 refuses it by name)."""

    def _set_content_type_params(self, meta) -> None:
        self.content_type, self.content_params = parse_header_parameters(
            meta.get("CONTENT_TYPE", "")
        )
        charset = self.content_params.get("charset")
        if charset is None:
            return
        try:
            "x".encode(charset)  # not "": an empty string passes every codec untouched
        except (LookupError, UnicodeError):
            return
        self.encoding = charset


class CitylineWSGIHandler(WSGIHandler):
    request_class = CharsetCheckedRequest


os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityline.settings")
django.setup(set_prefix=False)
application = CitylineWSGIHandler()

# Load every view now, then take all that is loaded out of the cycle collector's sight: it lives as
# long as the process, yet each full collection would walk it, in some request's time. Each of
# Granian's worker processes runs this once, as it starts.
import_module(settings.ROOT_URLCONF)
gc.freeze()
