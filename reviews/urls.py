from django.urls import path

from .views import actions, files, knowledge, reviews

app_name = "reviews"

urlpatterns = [
    path("reviews/", reviews.review_list, name="review_list"),
    path("reviews/<int:pk>/", reviews.review_detail, name="review_detail"),
    path("reviews/<int:pk>/edit/", reviews.review_edit, name="review_edit"),
    path("reviews/<int:pk>/lines/new/", reviews.line_create, name="line_create"),
    path("reviews/<int:pk>/finalise/", reviews.review_finalise, name="review_finalise"),
    path("reviews/<int:pk>/archive/", reviews.review_archive, name="review_archive"),
    path("reviews/<int:pk>/comment/", reviews.review_comment, name="review_comment"),
    path("reviews/<int:pk>/actions/new/", actions.action_create, name="action_create"),
    path("reviews/<int:pk>/lessons/new/", actions.lesson_create, name="lesson_create"),
    path("reviews/<int:pk>/report/", files.review_report, name="review_report"),
    path("reviews/<int:pk>/report.docx", files.review_docx, name="review_docx"),
    path("reviews/<int:pk>/form4.xlsx", files.review_xlsx, name="review_xlsx"),
    path("review-lines/<int:pk>/edit/", reviews.line_edit, name="line_edit"),
    path("review-lines/<int:pk>/delete/", reviews.line_delete, name="line_delete"),
    path("lessons/<int:pk>/edit/", actions.lesson_edit, name="lesson_edit"),
    path("lessons/<int:pk>/delete/", actions.lesson_delete, name="lesson_delete"),
    path("follow-up-actions/<int:pk>/edit/", actions.action_edit, name="action_edit"),
    path("follow-up-actions/<int:pk>/done/", actions.action_done, name="action_done"),
    path("campaigns/<int:pk>/review/", reviews.review_start, name="review_start"),
    path("campaigns/<int:pk>/review-summary/", reviews.campaign_review, name="campaign_review"),
    path("reviews/due/", reviews.reviews_due, name="reviews_due"),
    path("knowledge/", knowledge.knowledge_search, name="knowledge"),
    path("knowledge/lessons-panel/", knowledge.lessons_panel, name="lessons_panel"),
]
