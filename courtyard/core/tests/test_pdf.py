import re
import shutil
import subprocess
import zlib
from pathlib import Path

import pytest

from courtyard.core.pdf import qr_svg, render_pdf


def test_qr_svg_is_inline_svg():
    svg = qr_svg("https://example.org/u/xuedaoyuan/notices/1/")
    assert svg.startswith("<svg") and "</svg>" in svg


@pytest.mark.skipif(not Path("/usr/share/fonts/opentype/noto").exists(), reason="fonts-noto-cjk not installed")
def test_pdf_embeds_chinese_font(tmp_path, settings):
    pdf = render_pdf("core/pdf_base.html", {})
    assert pdf.startswith(b"%PDF")
    # A page with Chinese text embeds a CJK font.
    from weasyprint import HTML

    data = HTML(string='<html lang="zh-CN"><body style="font-family: Noto Sans CJK SC"><h1>公示：学道苑加装电梯表决结果</h1></body></html>').write_pdf()
    path = tmp_path / "t.pdf"
    path.write_bytes(data)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True) if shutil.which("pdffonts") else None
    if fonts is not None and fonts.returncode == 0:
        assert CJK_FONT.search(fonts.stdout) and "yes" in fonts.stdout  # embedded
    else:
        inflated = _inflated(data).decode("latin-1")
        assert CJK_FONT.search(inflated) and "/FontFile" in inflated


# Font names differ by build: "NotoSansCJK-Regular", "Noto-Sans-CJK-SC-Bold", "NotoSansCJKsc"…
CJK_FONT = re.compile(r"Noto-?Sans-?CJK", re.IGNORECASE)


def _inflated(pdf: bytes) -> bytes:
    """The PDF with every Flate stream decompressed, so names inside object streams show."""
    out = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            out.append(zlib.decompressobj().decompress(pdf[match.end():match.end() + 2_000_000]))
        except zlib.error:
            continue
    return b"".join(out)
