import subprocess
import sys


def test_the_wsgi_module_loads_every_view_and_hides_it_from_the_cycle_collector():
    # given: a fresh process, as a web worker is when it starts
    code = (
        "import gc, sys, cityline.wsgi;"
        "print(gc.get_freeze_count() > 10000, 'cityline.open311.views' in sys.modules)"
    )
    # when
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    # then: the views are loaded, and what was loaded is frozen
    assert out.stdout.split() == ["True", "True"]
