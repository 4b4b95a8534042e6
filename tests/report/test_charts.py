import pytest
from PIL import Image

from rlhf_argilla.report.charts import bar_chart

RED = (214, 39, 40)
BLUE = (31, 119, 180)


def _colours(path):
    with Image.open(path) as image:
        return {pixel[:3] for pixel in image.convert("RGB").get_flattened_data()}


def test_writes_a_png_with_highlighted_bars(tmp_path):
    out = bar_chart(
        ["alpha", "beta", "gamma"],
        [3, 0, 7],
        tmp_path / "sub" / "chart.png",
        title="t",
        xlabel="count",
        highlight=["beta", "gamma"],
    )
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    colours = _colours(out)
    assert RED in colours and BLUE in colours


def test_no_highlight_means_no_red(tmp_path):
    out = bar_chart(["a", "b"], [1, 2], tmp_path / "c.png", horizontal=False)
    assert RED not in _colours(out)


def test_mismatched_lengths_are_refused(tmp_path):
    with pytest.raises(ValueError, match="2 labels for 1 values"):
        bar_chart(["a", "b"], [1], tmp_path / "c.png")
