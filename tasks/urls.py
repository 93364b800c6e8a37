from django.urls import path

from . import file_views, matrix_views, timeline_views, views

app_name = "tasks"

urlpatterns = [
    path("my-tasks/", views.my_tasks, name="my_tasks"),
    path("my-tasks/check-in/", views.check_in, name="check_in"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<int:pk>/status/", views.task_status, name="task_status"),
    path("campaigns/<int:pk>/tasks/new/", views.task_create, name="task_create"),
    path("campaigns/<int:pk>/tasks/summary/", views.campaign_summary, name="campaign_summary"),
    path("campaigns/<int:pk>/stages/", views.stage_list, name="stage_list"),
    path("campaigns/<int:pk>/milestones/new/", views.milestone_create, name="milestone_create"),
    path("milestones/<int:pk>/edit/", views.milestone_edit, name="milestone_edit"),
    path("campaigns/<int:pk>/raci/", matrix_views.raci_matrix, name="raci_matrix"),
    path("campaigns/<int:pk>/raci/assign/", matrix_views.raci_assign, name="raci_assign"),
    path("campaigns/<int:pk>/raci/export.xlsx", file_views.tasks_export, name="tasks_export"),
    path("campaigns/<int:pk>/raci/import/", file_views.tasks_import, name="tasks_import"),
    path("campaigns/<int:pk>/timeline/", timeline_views.timeline, name="timeline"),
]
