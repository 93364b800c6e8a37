"""What a task's card and page show for its status and its Consulted and Informed."""

import re
from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse, set_script_prefix
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role
from tasks.forms import StatusForm
from tasks.models import Assignment, AssignmentRole, StatusUpdate, Task, TaskStatus
from tasks.selectors import my_tasks
from tasks.views.tasks import CardRenderer
from tests.factories import CampaignFactory, DepartmentFactory, StageFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db

# The CSRF token is masked anew each time a template asks for it.
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.mark.parametrize(
    ("status", "saves_progress_on_change"),
    [
        (TaskStatus.NOT_STARTED, True),
        (TaskStatus.IN_PROGRESS, True),
        (TaskStatus.BLOCKED, True),
        (TaskStatus.DONE, False),
    ],
)
def test_the_progress_slider_saves_on_its_own_unless_done(client, staff_user, status, saves_progress_on_change):
    TaskFactory(responsible=staff_user, status=status)
    client.force_login(staff_user)

    html = client.get(reverse("tasks:my_tasks")).content.decode()

    assert ('hx-trigger="change"' in html) is saves_progress_on_change


def test_the_task_page_lists_the_consulted_and_the_informed_apart(client, manager):
    task = TaskFactory(accountable=manager)
    Assignment.objects.create(task=task, role=AssignmentRole.CONSULTED, user=UserFactory(name="顾问甲"))
    Assignment.objects.create(task=task, role=AssignmentRole.INFORMED, department=DepartmentFactory(name="销售部"))
    client.force_login(manager)

    response = client.get(task.get_absolute_url())

    consulted = [a.user.name for a in response.context["consulted"]]
    informed = [a.department.name for a in response.context["informed"]]
    assert (consulted, informed) == (["顾问甲"], ["销售部"])


def test_my_tasks_cards_are_the_card_template_rendered_for_each_task(rf, staff_user, today):
    """The page's cards come from a handful of rendered shapes with each task's values put in
    (tasks.views.tasks.CardRenderer): the same HTML as the template rendered card by card."""
    campaign = CampaignFactory(name='Launch <b>"A&B"</b> 新品')
    stage = StageFactory(campaign=campaign, name_en="Warm-up <i>", name_zh="预热 <i>")
    for n, status in enumerate(TaskStatus.values * 3):
        task = TaskFactory(
            campaign=campaign,
            stage=stage,
            responsible=staff_user,
            name=f"任务 {n} <script>alert('x')</script> & \"quoted\" 987654321 1111-11-11 \ue000name\ue001",
            status=status,
            progress=100 if status == TaskStatus.DONE else n * 5,
            due_date=today + timedelta(days=(-2, 3, 20)[n % 3]),
        )
        if n // 4 != 1:  # a note on two of each status's three tasks
            StatusUpdate.objects.create(
                task=task,
                author=staff_user,
                created_at=timezone.now(),
                old_status=status,
                new_status=status,
                progress=task.progress,
                note=f"说明 {n} <em>&</em> 987654321",
            )
    request = rf.get(reverse("tasks:my_tasks"))
    request.user = staff_user
    groups = my_tasks(user=staff_user, today=today)["groups"]
    tasks = [task for cards in groups.values() for task in cards]
    assert len(tasks) == 12
    shapes = {(t.status, t.overdue, bool(t.last_note)) for t in tasks}
    assert {shape[0] for shape in shapes} == set(TaskStatus.values)
    assert {shape[1] for shape in shapes} == {shape[2] for shape in shapes} == {True, False}
    renderer = CardRenderer(request)

    for task in tasks:
        expected = render_to_string("tasks/_task_card.html", {"task": task, "statuses": TaskStatus}, request=request)
        assert CSRF.sub("", renderer(task)) == CSRF.sub("", expected)
    assert len(renderer.shapes) == len(shapes) < len(tasks)


def test_my_tasks_renders_a_card_for_every_task_it_shows(client, staff_user, today):
    for n in range(5):
        TaskFactory(responsible=staff_user, name=f"卡片 {n}", due_date=today + timedelta(days=n))
    client.force_login(staff_user)

    html = client.get(reverse("tasks:my_tasks")).content.decode()

    assert html.count('class="card task-card') == 5
    assert all(f"卡片 {n}" in html for n in range(5))


def test_the_cards_kept_by_the_process_carry_each_requests_token_and_language(client, make_user, today):
    """The shapes of a card are kept from one request to the next: a second person's page, in
    the other language, has cards in that language with a token that their session accepts."""
    english, chinese = make_user(Role.STAFF, language="en"), make_user(Role.STAFF, language="zh-hans")
    tasks = {person: TaskFactory(responsible=person, due_date=today) for person in (english, chinese)}
    pages = {}
    for person in (english, chinese, english):
        client.force_login(person)
        pages[person] = client.get(reverse("tasks:my_tasks")).content.decode()
        token = CSRF_VALUE.search(pages[person][pages[person].index('class="card task-card') :]).group(1)
        checked = Client(enforce_csrf_checks=True)
        checked.force_login(person)
        checked.cookies = client.cookies
        response = checked.post(
            reverse("tasks:task_status", args=[tasks[person].pk]),
            {"csrfmiddlewaretoken": token, "status": TaskStatus.IN_PROGRESS, "progress": 10, "note": ""},
        )
        assert response.status_code == 302

    assert "Progress" in pages[english]
    assert "Progress" not in pages[chinese]
    assert "进度" in pages[chinese]


def _card_of(task, request, **context):
    """The card template rendered as it is for one task, with the request's context."""
    task = Task.objects.select_related("campaign", "stage").get(pk=task.pk)
    task.overdue = task.is_overdue(timezone.localdate())
    task.last_note = context.pop("last_note")
    return render_to_string("tasks/_task_card.html", {"task": task, "statuses": TaskStatus, **context}, request=request)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_status_change_answers_the_card_template_rendered_saved_or_refused(client, rf, staff_user, today, language):
    """The status change's card comes from CardRenderer's shapes, kept from one request to the
    next: the same HTML as the template rendered for the task, saved or refused, escaped."""
    staff_user.language = language
    staff_user.save(update_fields=["language"])
    stage = StageFactory(name_en="Warm-up <i>", name_zh="预热 <i>")
    task = TaskFactory(
        campaign=stage.campaign,
        stage=stage,
        responsible=staff_user,
        name='任务 <script>alert("x")</script> 987654321 1111-11-11 \ue000note\ue001',
        due_date=today - timedelta(days=1),
    )
    client.force_login(staff_user)
    request = rf.post("/")
    request.user = staff_user
    url = reverse("tasks:task_status", args=[task.pk])
    note = "<em>初稿</em> & 987654321 \ue000csrf\ue001"

    for _time in range(2):  # the second time from the kept shape
        saved = client.post(url, {"status": TaskStatus.IN_PROGRESS, "note": note, "progress": "35"}, **HTMX)
        refused = client.post(url, {"status": TaskStatus.DONE, "note": note, "progress": "150"}, **HTMX)
        without_a_note = client.post(url, {"status": TaskStatus.BLOCKED, "note": "", "progress": "40"}, **HTMX)

        with translation.override(language):
            error = StatusForm({"status": TaskStatus.DONE, "note": note, "progress": "150"})
            assert not error.is_valid()
            error = " ".join(f"{error.fields[f].label}: {' '.join(e)}" for f, e in error.errors.items())
            expected = [
                _card_of(task, request, last_note=note, saved=True, error=None, draft_note=""),
                _card_of(task, request, last_note=None, saved=False, error=error, draft_note=note),
                _card_of(
                    task,
                    request,
                    last_note=None,
                    saved=False,
                    error=_("Say what blocks the task: a blocked task needs a reason."),
                    draft_note="",
                ),
            ]
        for response, html in zip((saved, refused, without_a_note), expected, strict=True):
            assert response.status_code == 200
            assert CSRF.sub("", response.content.decode()) == CSRF.sub("", html)
            assert CSRF.search(response.content.decode())


def test_a_kept_card_shape_follows_the_script_prefix(rf, staff_user, today):
    """Shapes are kept per URLconf and script prefix: a tracker served under a path gets its
    own addresses in the cards."""
    task = TaskFactory(responsible=staff_user, due_date=today)
    task = Task.objects.select_related("campaign", "stage").get(pk=task.pk)
    task.overdue, task.last_note = False, None
    request = rf.get("/")
    request.user = staff_user

    at_root = CardRenderer(request)(task)
    set_script_prefix("/tracker/")
    try:
        under_a_path = CardRenderer(request)(task)
    finally:
        set_script_prefix("/")

    assert f'href="/tasks/{task.pk}/"' in at_root
    assert f'href="/tracker/tasks/{task.pk}/"' in under_a_path
    assert f'action="/tracker/tasks/{task.pk}/status/"' in under_a_path
