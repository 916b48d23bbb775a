"""Printable documents: HTML and CSS laid out as an A4 PDF by WeasyPrint.

Templates give their page setup in CSS (`@page { size: A4; ... }`), running headers included, so a
report prints the same from any browser or mail client. Templates carry their CSS inline, so
rendering needs nothing from the network.
"""

import logging

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string

# WeasyPrint reports every layout step at INFO; the console and the worker's log need none of it.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def html_to_pdf(html: str) -> bytes:
    """The PDF of an HTML document (A4 unless its CSS says otherwise)."""
    from weasyprint import HTML  # imported late: it loads pango, which only PDF paths need

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def pdf_response(template_name: str, context: dict, *, filename: str, request=None) -> HttpResponse:
    """Render a template to a PDF and send it as a download named `filename`."""
    pdf = html_to_pdf(render_to_string(template_name, context, request=request))
    return pdf_bytes_response(pdf, filename=filename)


def pdf_bytes_response(pdf: bytes, *, filename: str) -> HttpResponse:
    response = HttpResponse(bytes(pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
