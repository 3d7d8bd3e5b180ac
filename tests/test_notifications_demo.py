"""The demo partnership's announcements and a discussion on its first goal."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from discussion.models import Comment, CommentEdit
from notifications.models import Announcement, Notification
from partnerships.management.commands.demo import MAIN

pytestmark = pytest.mark.django_db


def test_it_loads_announcements_and_a_discussion_once(demo_once: None) -> None:
    assert sorted(
        Announcement.objects.filter(partnership__name=MAIN).values_list("scope", flat=True)
    ) == [
        "members",
        "public",
    ]
    assert Notification.objects.filter(kind="announcement").exists()
    # The goal's thread (the decisions room's demo has a thread of its own).
    comments = Comment.objects.filter(partnership__name=MAIN, target_type="collectivegoal")
    assert comments.count() == 2
    assert CommentEdit.objects.filter(comment__in=comments).count() == 1
    assert Notification.objects.filter(kind="mention").exists()
    assert Notification.objects.filter(kind="reply").exists()
    call_command("demo", verbosity=0)  # idempotent
    assert comments.count() == 2
    assert Announcement.objects.filter(partnership__name=MAIN).count() == 2
