"""Rebuild questionnaires' results from their answers, not incrementally:
after a restore, a manual correction in the database, or to check that the
stored cube matches the answers. The rebuild waits for a batch of responses
like any refresh (``analysis.due``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from consultations import analysis
from consultations.models import Questionnaire


class Command(BaseCommand):
    help = "Rebuild the results of questionnaires (public ids, or --all) from their answers."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("questionnaires", nargs="*", help="public ids")
        parser.add_argument("--all", action="store_true", help="every questionnaire")

    def handle(self, *args: Any, **options: Any) -> None:
        found = Questionnaire.objects.all()
        if not options["all"]:
            found = found.filter(public_id__in=options["questionnaires"])
        for q in found.order_by("pk"):
            rows = analysis.refresh_aggregates(q.pk, rebuild=True)
            self.stdout.write(f"{q.public_id}: {rows} cube rows")
