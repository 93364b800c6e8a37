"""The review's report: a page laid out for A4 printing, a Word document and form 4 as XLSX."""

from django.http import Http404, HttpResponse
from django.shortcuts import render

from plans.views.base import require

from .. import exports, permissions, selectors


def _detail(request, pk: int) -> dict:
    require(permissions.can_view_reviews(request.user))
    detail = selectors.review_detail(review_id=pk)
    if detail is None:
        raise Http404
    return detail


def review_report(request, pk: int):
    return render(request, "reviews/report.html", _detail(request, pk))


def _download(data: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def review_docx(request, pk: int):
    detail = _detail(request, pk)
    return _download(exports.report_docx(detail), exports.DOCX_CONTENT_TYPE, f"review-{pk}.docx")


def review_xlsx(request, pk: int):
    detail = _detail(request, pk)
    return _download(exports.form4_workbook(detail), exports.XLSX_CONTENT_TYPE, f"form4-review-{pk}.xlsx")
