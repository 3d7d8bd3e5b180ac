"""The models of the analysis: the precomputed cube and the suppressed tables
that pages, exports, the API and the portal read (never the answers)."""

from __future__ import annotations

from django.db import models


class Aggregate(models.Model):
    """A cell of the precomputed cube: how many respondents of one combination
    of attributes gave one answer (count, and sum for numbers). Rebuilt per
    questionnaire by a background task. ``question_key`` empty: the
    questionnaire's respondents per combination (every question's group totals)."""

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


class ResultTable(models.Model):
    """One table of a question's family (one measure, one set of variables),
    with its true counts and the suppression pattern decided for the whole
    family by ``partnerships.suppression``. A page reads one row per item."""

    questionnaire = models.ForeignKey(
        "consultations.Questionnaire", on_delete=models.CASCADE, related_name="result_tables"
    )
    question_key = models.CharField(max_length=60)
    item = models.CharField(max_length=60, blank=True)
    # The variables, comma-joined in the canonical order (analysis.VARIABLES).
    variables = models.CharField(max_length=100, blank=True)
    # {"categories": [...], "groups": [[values, total, hidden, {cat: [n, hidden]}, sum], ...]}
    data = models.JSONField(default=dict)
    # A digest of what the measure's suppression was computed from (its finest
    # counts, categories and the group totals hidden for every question): the
    # same digest at the next refresh means the same tables, kept as they are.
    digest = models.CharField(max_length=64, blank=True)
    # The table's pattern, compact, for the next refresh to start from:
    # {"people": respondents, "categories": [...], and by hidden cell, in
    # three flat lists: "groups" (its group's values joined by U+001F),
    # "columns" (0: the group's total, j: the j-th category), "counts" (what
    # it counted)}. Reading it back from ``data`` meant parsing every cell
    # of every table (seconds at 40,000 responses); null on tables stored
    # before it existed (their measure is searched afresh).
    pattern = models.JSONField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["questionnaire", "question_key", "variables"])]

    def __str__(self) -> str:
        return f"{self.question_key} {self.item} by {self.variables or '-'}"


class FoldedResponse(models.Model):
    """A response the stored cube holds, and the group (attributes) it was
    counted in. A refresh compares these with the responses: one not here is
    new (its answers are added to the cube); one here that is gone, or whose
    attributes differ, or marked ``stale`` (its answers were edited), is
    counted again by recomputing its groups from the answers. Not a foreign
    key: the row must outlive a deleted response, to know what to take away."""

    response_id = models.BigIntegerField(primary_key=True)
    questionnaire = models.ForeignKey(
        "consultations.Questionnaire", on_delete=models.CASCADE, related_name="+"
    )
    gender = models.CharField(max_length=40, blank=True)
    age_band = models.CharField(max_length=40, blank=True)
    segment_id = models.IntegerField(null=True)
    locality_id = models.IntegerField(null=True)
    partner_type = models.CharField(max_length=20, blank=True)
    stale = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"response {self.response_id}"


class AnalysisState(models.Model):
    """What a questionnaire's stored cube was built for. ``structure``: the
    questions' keys and kinds (another structure means a full rebuild).
    ``generation``: raised by every refresh that writes and by every edit
    marked on folded responses; a refresh writes only if it is still the one
    it read, so two refreshes never fold the same responses twice."""

    questionnaire = models.OneToOneField(
        "consultations.Questionnaire",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )
    structure = models.CharField(max_length=64, blank=True)
    generation = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"analysis of {self.questionnaire_id} ({self.generation})"
