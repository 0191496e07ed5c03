"""Report and chart rendering times, each beside a reference measured in the same run.

Run: .venv/bin/python benchmarks/reports.py
Prints figures and ratios; asserts nothing (times depend on the machine).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from pypdf import PdfReader

from zwk.reports import profile_docx, profile_pdf
from zwk.reports.sample import sample_charts, sample_profile_report

REPEAT = 5


def median_ms(action: Callable[[], object], repeat: int = REPEAT) -> float:
    action()  # warm-up: first Typst/Deno call loads fonts and the JS engine
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    import io

    with_charts = sample_profile_report()
    without_charts = sample_profile_report(with_charts=False)
    pages = len(PdfReader(io.BytesIO(profile_pdf(with_charts))).pages)
    pages_plain = len(PdfReader(io.BytesIO(profile_pdf(without_charts))).pages)
    pdf_charts = median_ms(lambda: profile_pdf(with_charts))
    pdf_plain = median_ms(lambda: profile_pdf(without_charts))
    docx_charts = median_ms(lambda: profile_docx(with_charts))
    print(
        f"Kommunalprofil PDF with {len(with_charts.figures)} charts ({pages} pages): "
        f"{pdf_charts:8.1f} ms"
    )
    print(
        f"Kommunalprofil PDF without charts ({pages_plain} pages):    {pdf_plain:8.1f} ms"
        f"   ratio with/without charts: {pdf_charts / pdf_plain:5.2f}"
    )
    print(
        f"Kommunalprofil DOCX with charts (PNG given):      {docx_charts:8.1f} ms"
        f"   ratio DOCX/PDF: {docx_charts / pdf_charts:5.2f}"
    )
    print()
    print(f"{'chart':<18} {'SVG ms':>8} {'PNG ms':>8} {'PNG/SVG':>8}")
    build_ms = median_ms(sample_charts, repeat=2)
    for chart in sample_charts():
        svg = median_ms(chart.to_svg)
        png = median_ms(chart.to_png)
        print(f"{chart.kind:<18} {svg:8.1f} {png:8.1f} {png / svg:8.2f}")
    print(f"all six specs built with Altair (incl. data prep): {build_ms:.1f} ms")


if __name__ == "__main__":
    main()
