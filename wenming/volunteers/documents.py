"""Printed things: the service certificate (PDF) and the on-site check-in QR code (SVG).

The certificate follows 《志愿服务记录与证明出具办法》: the volunteer's name, masked identity
number and volunteer number, the total hours and period of service, the issuing organization,
the date, and a verification code (also as a QR code) that anyone checks on the portal.
Chinese text uses ReportLab's built-in CID font STSong-Light (no font file to ship; PDF readers
supply the glyphs from their Adobe-GB1 font, as they do for official PDF forms).
"""

from __future__ import annotations

import io

import segno
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from .models import Certificate

FONT = "STSong-Light"
RED = colors.HexColor("#b02a37")


def qr_svg(url: str) -> str:
    """An SVG QR code for a URL (scales without blur when printed)."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=8, border=2, xmldecl=False)
    return buffer.getvalue().decode()


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def _qr(canvas: Canvas, url: str, x: float, y: float, size: float) -> None:
    widget = QrCodeWidget(url)
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(
        size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0]
    )
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)


def certificate_pdf(certificate: Certificate, verify_url: str) -> bytes:
    """The certificate as a one-page A4 PDF."""
    font, buffer = _font(), io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(f"志愿服务记录证明 {certificate.code}")
    width, height = A4
    canvas.setStrokeColor(RED)
    canvas.setLineWidth(3)
    canvas.rect(15 * mm, 15 * mm, width - 30 * mm, height - 30 * mm)
    canvas.setFillColor(RED)
    canvas.setFont(font, 26)
    canvas.drawCentredString(width / 2, height - 50 * mm, "志愿服务记录证明")
    canvas.setFillColor(colors.black)
    canvas.setFont(font, 13)
    lines = [
        f"兹证明 {certificate.real_name}（身份证号 {certificate.id_number_masked}，",
        f"志愿者编号 {certificate.volunteer_number}）自 {certificate.first_service_date:%Y年%m月%d日}",
        f"至 {certificate.last_service_date:%Y年%m月%d日} 参加志愿服务 {certificate.entry_count} 次，",
        f"经记录确认的志愿服务时长累计 {certificate.total_hours} 小时。",
        "",
        "特此证明。",
    ]
    y = height - 75 * mm
    for line in lines:
        canvas.drawString(30 * mm, y, line)
        y -= 10 * mm
    canvas.drawRightString(width - 30 * mm, 95 * mm, certificate.issuer.name)
    issued = timezone.localtime(certificate.issued_at)
    canvas.drawRightString(width - 30 * mm, 85 * mm, f"{issued:%Y年%m月%d日}")
    _qr(canvas, verify_url, 30 * mm, 30 * mm, 35 * mm)
    canvas.setFont(font, 10)
    canvas.drawString(70 * mm, 55 * mm, f"验证码：{certificate.code}")
    canvas.drawString(70 * mm, 48 * mm, "扫描二维码或在门户“证明查验”页面输入验证码核验真伪。")
    canvas.drawString(70 * mm, 41 * mm, "依据《志愿服务记录与证明出具办法》出具。")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def certificate_filename(certificate: Certificate) -> str:
    return _("certificate-%(code)s.pdf") % {"code": certificate.code}
