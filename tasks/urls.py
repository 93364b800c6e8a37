from django.urls import path

from .views import campaigns, files, matrix, stages, tasks, timeline

app_name = "tasks"


def build_urlpatterns(*, task_create=tasks.task_create) -> list:
    """tasks' pages. Whoever mounts them may give the new-task page: the project's URLconf gives
    reviews' one, which shows the lessons of past campaigns beside the form (tasks cannot
    import reviews)."""
    return [
        path("my-tasks/", tasks.my_tasks, name="my_tasks"),
        path("my-tasks/check-in/", tasks.check_in, name="check_in"),
        path("tasks/<int:pk>/", tasks.task_detail, name="task_detail"),
        path("tasks/<int:pk>/edit/", tasks.task_edit, name="task_edit"),
        path("tasks/<int:pk>/status/", tasks.task_status, name="task_status"),
        path("campaigns/<int:pk>/tasks/new/", task_create, name="task_create"),
        path("campaigns/<int:pk>/tasks/summary/", campaigns.campaign_summary, name="campaign_summary"),
        path("campaigns/<int:pk>/stages/", stages.stage_list, name="stage_list"),
        path("campaigns/<int:pk>/milestones/new/", stages.milestone_create, name="milestone_create"),
        path("milestones/<int:pk>/edit/", stages.milestone_edit, name="milestone_edit"),
        path("campaigns/<int:pk>/raci/", matrix.raci_matrix, name="raci_matrix"),
        path("campaigns/<int:pk>/raci/assign/", matrix.raci_assign, name="raci_assign"),
        path("campaigns/<int:pk>/raci/export.xlsx", files.tasks_export, name="tasks_export"),
        path("campaigns/<int:pk>/raci/import/", files.tasks_import, name="tasks_import"),
        path("campaigns/<int:pk>/timeline/", timeline.timeline, name="timeline"),
    ]


urlpatterns = build_urlpatterns()
