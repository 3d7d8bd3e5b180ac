"""The models of the analysis: the precomputed aggregates it reads."""

from __future__ import annotations

from django.db import models


class Aggregate(models.Model):
    """A cell of the precomputed cube: how many respondents of one combination
    of attributes gave one answer (count, and sum for numbers). Rebuilt per
    questionnaire by a background task; the analysis reads only these rows."""

    questionnaire = models.ForeignKey(
        "consultations.Questionnaire", on_delete=models.CASCADE, related_name="aggregates"
    )
    question_key = models.CharField(max_length=60)
    item = models.CharField(max_length=60, blank=True)
    choice = models.CharField(max_length=60, blank=True)
    gender = models.CharField(max_length=40, blank=True)
    age_band = models.CharField(max_length=40, blank=True)
    segment_id = models.IntegerField(null=True)
    locality_id = models.IntegerField(null=True)
    partner_type = models.CharField(max_length=20, blank=True)
    respondents = models.PositiveIntegerField()
    total = models.FloatField(default=0)

    class Meta:
        indexes = [models.Index(fields=["questionnaire", "question_key", "item"])]

    def __str__(self) -> str:
        return f"{self.question_key} {self.item} {self.choice}: {self.respondents}"
