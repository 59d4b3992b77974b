"""PDF files made with WeasyPrint from the same HTML as a printable page.

WeasyPrint needs Pango from the system; where it is missing, the pages answer 503 with a page
that links the Word document of the same content instead of failing.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class PdfUnavailable(Exception):
    """WeasyPrint's system libraries (Pango) are missing on this machine."""


def html_to_pdf(html: str) -> bytes:
    """A tagged PDF (PDF/UA-1) of a page that carries its own styles, so nothing is fetched."""
    try:
        from weasyprint import HTML
    except OSError as error:  # the Python package is there, Pango is not
        raise PdfUnavailable(str(error)) from error
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    return response


def pdf_unavailable(request: HttpRequest, docx_url: str) -> HttpResponse:
    """The page shown instead of a PDF this server cannot make."""
    return render(request, "lib/pdf_unavailable.html", {"docx_url": docx_url}, status=503)
