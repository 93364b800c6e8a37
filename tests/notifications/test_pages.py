"""The notification pages and the bell: one's own notifications, newest first, read by clicking
or all at once; the bell's unread count in one query."""

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.context_processors import notifications as bell_context
from notifications.models import Notification
from tests.factories import NotificationFactory, TargetFactory, UserFactory, attainment_threshold, open_alert
from tracking.models import NotificationKind

pytestmark = pytest.mark.django_db


def test_the_notification_list_shows_only_ones_own_newest_first_unread_highlighted(client, manager):
    other = UserFactory()
    first = NotificationFactory(recipient=manager, title="first")
    second = NotificationFactory(recipient=manager, title="second")
    NotificationFactory(recipient=other, title="someone else's")
    Notification.objects.filter(pk=first.pk).update(read_at=timezone.now())
    client.force_login(manager)

    response = client.get(reverse("notifications:notification_list"))

    assert list(response.context["notifications"]) == [second, first]
    content = response.content.decode()
    assert "someone else&#x27;s" not in content
    assert content.count('data-unread="true"') == 1


def test_clicking_a_notification_marks_it_read_and_opens_its_alert(client, manager):
    alert = open_alert(attainment_threshold(TargetFactory(), recipients=[manager]))
    notification = Notification.objects.get(recipient=manager, alert=alert)
    client.force_login(manager)

    response = client.post(reverse("notifications:notification_read", args=[notification.pk]))

    assert response.status_code == 302
    assert response["Location"] == alert.get_absolute_url()
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_a_notification_without_an_alert_opens_its_link_on_this_site(client, manager, settings):
    notification = Notification.objects.create(
        recipient=manager, kind=NotificationKind.DIGEST, title="Digest", url=f"{settings.SITE_URL}/my-tasks/"
    )
    foreign = Notification.objects.create(
        recipient=manager, kind=NotificationKind.DIGEST, title="Digest", url="https://evil.example.com/"
    )
    client.force_login(manager)

    assert client.post(reverse("notifications:notification_read", args=[notification.pk]))["Location"] == "/my-tasks/"
    assert client.post(reverse("notifications:notification_read", args=[foreign.pk]))["Location"] == reverse(
        "notifications:notification_list"
    )


def test_nobody_reads_or_marks_another_persons_notification(client, manager):
    notification = NotificationFactory(recipient=UserFactory())
    client.force_login(manager)

    response = client.post(reverse("notifications:notification_read", args=[notification.pk]))

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_marks_only_ones_own(client, manager):
    mine = NotificationFactory.create_batch(2, recipient=manager)
    theirs = NotificationFactory(recipient=UserFactory())
    client.force_login(manager)

    response = client.post(reverse("notifications:notification_read_all"))

    assert response.status_code == 302
    assert all(Notification.objects.get(pk=n.pk).read_at for n in mine)
    theirs.refresh_from_db()
    assert theirs.read_at is None


# The bell ---------------------------------------------------------------------------------


def test_the_bell_shows_the_unread_count_and_links_to_the_list(client, manager):
    NotificationFactory(recipient=manager)
    NotificationFactory(recipient=manager)
    read = NotificationFactory(recipient=manager)
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())
    NotificationFactory(recipient=UserFactory())
    client.force_login(manager)

    content = client.get(reverse("dashboard")).content.decode()

    assert f'href="{reverse("notifications:notification_list")}" id="notification-bell"' in content
    assert 'id="notification-count">2<' in content


def test_the_bell_counts_with_one_query_and_not_at_all_for_anonymous(rf, manager, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    for _ in range(5):
        NotificationFactory(recipient=manager)
    request = rf.get("/")
    request.user = manager

    with django_assert_num_queries(1):
        count = bell_context(request)["unread_notification_count"]
        assert count() == 5
        assert count() == 5
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert bell_context(request) == {}
