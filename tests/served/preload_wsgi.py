"""The worst case for gunicorn `--preload`: the master renders a chart before it forks.

Workers then inherit a started vl-convert runtime whose threads they do not have; the renderer
must notice and render in a helper process instead of hanging.
"""

from zwk.charts import renderer

renderer.vegalite_to_svg({"data": {"values": [{"x": 1}]}, "mark": "point",
                          "encoding": {"x": {"field": "x", "type": "quantitative"}}})

from zwk.config.wsgi import application  # noqa: E402

__all__ = ["application"]
