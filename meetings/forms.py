"""Forms of the meetings room. Forms parse; ``meetings.services`` decides."""

from __future__ import annotations

import zoneinfo
from datetime import datetime
from functools import cache
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy, pgettext_lazy

from baseline.models import AgeBand, GenderOption, Locality
from meetings.attendance import DIMENSION_LABELS, DIMENSIONS
from meetings.models import (
    AgendaItem,
    Meeting,
    MeetingKind,
    ServiceKind,
    ServiceStatus,
    TrainingTopic,
)
from meetings.services import flat_agenda
from meetings.services_attendance import Attendee
from partnerships.forms import DateInput, ServiceErrorMixin
from partnerships.languages import TextsForm, initial_texts_of
from partnerships.models import Member, Partner, Partnership, PartnerType
from stakeholders.models import Actor, Segment

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


@cache
def zone_choices() -> list[tuple[str, str]]:
    return [(z, z.replace("_", " ")) for z in sorted(zoneinfo.available_timezones()) if "/" in z]


def _choice(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


def partner_choices(partnership: Partnership) -> list[tuple[str, str]]:
    return [("", "—")] + [
        (str(p.public_id), p.name)
        for p in Partner.objects.filter(partnership=partnership, left_on__isnull=True)
    ]


def partner_of(partnership: Partnership, value: str) -> Partner | None:
    if not value:
        return None
    return Partner.objects.filter(partnership=partnership, public_id=value).first()


class MeetingForm(ServiceErrorMixin, TextsForm):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=MeetingKind.choices)
    starts_on = forms.DateField(label=gettext_lazy("Date"), widget=DateInput())
    starts_time = forms.TimeField(label=gettext_lazy("Starts at"), widget=TIME)
    ends_on = forms.DateField(
        label=gettext_lazy("Ends on (if another day)"), widget=DateInput(), required=False
    )
    ends_time = forms.TimeField(label=gettext_lazy("Ends at"), widget=TIME)
    time_zone = forms.ChoiceField(label=gettext_lazy("Time zone"), choices=())
    place = forms.CharField(label=gettext_lazy("Place"), max_length=300, required=False)
    online_link = forms.CharField(label=gettext_lazy("Online link"), max_length=500, required=False)
    locality = forms.ChoiceField(label=gettext_lazy("Locality"), required=False)
    open_assembly = forms.BooleanField(
        label=gettext_lazy("Open assembly: anyone may come, and attendance is counted at the door"),
        required=False,
    )
    topics = forms.MultipleChoiceField(
        label=gettext_lazy("Training topics"),
        choices=TrainingTopic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    topic_other = forms.CharField(label=gettext_lazy("Other topic"), max_length=200, required=False)

    def __init__(
        self, *args: Any, partnership: Partnership, meeting: Meeting | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, languages=partnership, **kwargs)
        self.partnership = partnership
        tail = {n: self.fields.pop(n) for n in list(self.fields) if n != "kind"}
        self.add_texts("title", gettext_lazy("Title"), required=True, max_length=300)
        self.add_texts("purpose", gettext_lazy("Purpose"), required=False, area=True)
        self.fields.update(tail)
        _choice(self, "time_zone").choices = zone_choices()
        self.localities = {
            str(loc.public_id): loc for loc in Locality.objects.filter(partnership=partnership)
        }
        _choice(self, "locality").choices = [("", "—")] + [
            (key, str(loc)) for key, loc in self.localities.items()
        ]
        if meeting is not None and not self.is_bound:
            start, end = meeting.local_start, meeting.local_end
            self.initial.update(initial_texts_of(meeting, ["title", "purpose"], partnership))
            self.initial.update(
                kind=meeting.kind,
                starts_on=start.date(),
                starts_time=start.time().replace(second=0, microsecond=0),
                ends_on=end.date() if end.date() != start.date() else None,
                ends_time=end.time().replace(second=0, microsecond=0),
                time_zone=meeting.time_zone,
                place=meeting.place,
                online_link=meeting.online_link,
                locality=str(meeting.locality.public_id) if meeting.locality else "",
                open_assembly=meeting.open_assembly,
                topics=list(meeting.topics),
                topic_other=meeting.topic_other,
            )
        elif not self.is_bound:
            last = (
                Meeting.objects.filter(partnership=partnership)
                .order_by("-created_at")
                .values_list("time_zone", flat=True)
                .first()
            )
            self.initial.setdefault("time_zone", last or settings.TIME_ZONE)

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        zone = zoneinfo.ZoneInfo(data["time_zone"])
        starts = datetime.combine(data["starts_on"], data["starts_time"], tzinfo=zone)
        ends = datetime.combine(
            data.get("ends_on") or data["starts_on"], data["ends_time"], tzinfo=zone
        )
        return {
            "kind": data["kind"],
            "title": self.texts("title"),
            "purpose": self.texts("purpose"),
            "starts_at": starts,
            "ends_at": ends,
            "time_zone": data["time_zone"],
            "place": data.get("place", ""),
            "online_link": data.get("online_link", ""),
            "locality": self.localities.get(data.get("locality") or ""),
            "open_assembly": data.get("open_assembly", False),
            "topics": data.get("topics", []),
            "topic_other": data.get("topic_other", ""),
        }


class CancelForm(ServiceErrorMixin, forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why it is cancelled"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AgendaItemForm(ServiceErrorMixin, TextsForm):
    parent = forms.ChoiceField(label=gettext_lazy("Part of"), required=False)
    duration_minutes = forms.IntegerField(
        label=gettext_lazy("Duration (minutes)"),
        help_text=gettext_lazy("An item with sub-items lasts this long plus its sub-items."),
    )
    lead = forms.CharField(label=gettext_lazy("Led by"), max_length=200, required=False)

    def __init__(
        self, *args: Any, meeting: Meeting, item: AgendaItem | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, languages=meeting.partnership, **kwargs)
        tail = {n: self.fields.pop(n) for n in list(self.fields)}
        self.add_texts("title", gettext_lazy("Item"), required=True, max_length=300)
        self.fields.update(tail)
        from meetings.services import agenda_tree

        rows = flat_agenda(agenda_tree(meeting))
        self.items = {str(r["item"].public_id): r["item"] for r in rows}
        _choice(self, "parent").choices = [("", pgettext_lazy("agenda", "— (a main item)"))] + [
            (str(r["item"].public_id), "· " * (r["depth"] - 1) + r["item"].label)
            for r in rows
            if item is None or r["item"].pk != item.pk
        ]
        if item is not None and not self.is_bound:
            self.initial.update(initial_texts_of(item, ["title"], meeting.partnership))
            self.initial.update(
                parent=str(item.parent.public_id) if item.parent else "",
                duration_minutes=item.duration_minutes,
                lead=item.lead,
            )

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": self.texts("title"),
            "duration_minutes": data["duration_minutes"],
            "parent": self.items.get(data.get("parent") or ""),
            "lead": data.get("lead", ""),
        }


class InviteForm(ServiceErrorMixin, forms.Form):
    whom = forms.ChoiceField(
        label=gettext_lazy("Whom to invite"),
        choices=[
            ("everyone", gettext_lazy("Every member of the partnership")),
            ("chosen", gettext_lazy("Only the partners and members ticked below")),
        ],
        initial="everyone",
    )
    partners = forms.MultipleChoiceField(
        label=gettext_lazy("The representatives of these partners"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    members = forms.MultipleChoiceField(
        label=gettext_lazy("These members"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args: Any, partnership: Partnership, viewer: Member, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.partner_objects = {
            str(p.public_id): p
            for p in Partner.objects.filter(partnership=partnership, left_on__isnull=True)
        }
        self.member_objects = {
            str(m.public_id): m
            for m in Member.objects.filter(partnership=partnership).select_related("user")
        }
        _choice(self, "partners").choices = [(k, p.name) for k, p in self.partner_objects.items()]
        _choice(self, "members").choices = [
            (k, f"{m.name_for(viewer)} ({m.get_role_display()})")
            for k, m in self.member_objects.items()
        ]

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "everyone": data.get("whom") == "everyone",
            "partners": [self.partner_objects[k] for k in data.get("partners", [])],
            "members": [self.member_objects[k] for k in data.get("members", [])],
        }


class ServiceForm(ServiceErrorMixin, forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Service"), choices=ServiceKind.choices)
    detail = forms.CharField(label=gettext_lazy("What is planned"), max_length=300, required=False)
    provider = forms.ChoiceField(label=gettext_lazy("Provided by"), required=False)

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        _choice(self, "provider").choices = partner_choices(partnership)

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "detail": data.get("detail", ""),
            "provider": partner_of(self.partnership, data.get("provider") or ""),
        }


class ServiceOutcomeForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Was it provided?"),
        choices=[
            (ServiceStatus.PROVIDED.value, ServiceStatus.PROVIDED.label),
            (ServiceStatus.NOT_PROVIDED.value, ServiceStatus.NOT_PROVIDED.label),
        ],
    )
    note = forms.CharField(label=gettext_lazy("What happened"), max_length=500, required=False)


class MinutesForm(ServiceErrorMixin, TextsForm):
    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, languages=meeting.partnership, **kwargs)
        self.add_texts(
            "minutes",
            gettext_lazy("Minutes"),
            required=True,
            area=True,
            max_length=50_000,
            widget_attrs={"rows": 12},
        )
        if not self.is_bound:
            self.initial.update(initial_texts_of(meeting, ["minutes"], meeting.partnership))


class DecisionForm(ServiceErrorMixin, TextsForm):
    kind = forms.ChoiceField(label=gettext_lazy("Decision type"))
    passed = forms.ChoiceField(
        label=gettext_lazy("Result (facilitator-led types)"),
        choices=[("yes", gettext_lazy("Passed")), ("no", gettext_lazy("Did not pass"))],
        required=False,
    )

    def __init__(self, *args: Any, meeting: Meeting, types: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, languages=meeting.partnership, **kwargs)
        tail = {n: self.fields.pop(n) for n in list(self.fields) if n != "kind"}
        self.add_texts("title", gettext_lazy("Decision"), required=True, max_length=300)
        self.add_texts(
            "outcome",
            gettext_lazy("Outcome statement (facilitator-led types)"),
            required=False,
            area=True,
        )
        self.fields.update(tail)
        _choice(self, "kind").choices = [(t.code, f"{t.label} — {t.method_label}") for t in types]

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "title": self.texts("title"),
            "outcome": self.texts("outcome"),
            "passed": data.get("passed", "yes") != "no",
        }


class ActionItemForm(ServiceErrorMixin, TextsForm):
    owner = forms.ChoiceField(label=gettext_lazy("Owner partner"), required=False)
    due_on = forms.DateField(label=gettext_lazy("Due on"), required=False, widget=DateInput())

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, languages=meeting.partnership, **kwargs)
        self.partnership = meeting.partnership
        tail = {n: self.fields.pop(n) for n in list(self.fields)}
        self.add_texts("title", gettext_lazy("What is to be done"), required=True, max_length=300)
        self.fields.update(tail)
        _choice(self, "owner").choices = partner_choices(meeting.partnership)

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": self.texts("title"),
            "owner": partner_of(self.partnership, data.get("owner") or ""),
            "due_on": data.get("due_on"),
        }


class ConvertForm(forms.Form):
    """An action item to the checklist: its kind, and its owner partner."""

    kind = forms.ChoiceField(label=gettext_lazy("Kind of action"))
    owner = forms.ChoiceField(label=gettext_lazy("Owner partner"))

    def __init__(self, *args: Any, item: Any, partnership: Partnership, **kwargs: Any) -> None:
        from actions.models import ActionKind

        kwargs["prefix"] = f"c{item.public_id.hex[:8]}"
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        _choice(self, "kind").choices = ActionKind.choices
        _choice(self, "owner").choices = partner_choices(partnership)[1:]
        if item.owner is not None and not self.is_bound:
            self.initial["owner"] = str(item.owner.public_id)

    def values(self) -> dict[str, Any]:
        return {
            "kind": self.cleaned_data["kind"],
            "owner": partner_of(self.partnership, self.cleaned_data["owner"]),
        }


# --- The register ------------------------------------------------------------------------

ACTOR_ROWS = 5


class RegisterForm(ServiceErrorMixin, forms.Form):
    """The paper sheet typed in: a line per member (present or not, and what
    the sheet says of them), a few lines for actors of the map, and the
    counts at the door. Built field by field: ``m_<ref>_present`` …"""

    counted = forms.BooleanField(
        label=gettext_lazy("Counted at the door (the counts below include everyone present)"),
        required=False,
    )
    count_total = forms.IntegerField(
        label=gettext_lazy("Everyone present"), min_value=0, required=False
    )

    def __init__(
        self,
        *args: Any,
        meeting: Meeting,
        viewer: Member,
        actors: list[Actor],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        partnership = meeting.partnership
        self.partnership = partnership
        genders = [("", "—")] + [
            (g.code, g.label) for g in GenderOption.objects.filter(partnership=partnership)
        ]
        bands = [("", "—")] + [
            (b.code, b.label) for b in AgeBand.objects.filter(partnership=partnership)
        ]
        segments = list(Segment.objects.filter(partnership=partnership))
        self.segment_objects = {s.code: s for s in segments}
        segment_choices = [("", "—")] + [(s.code, s.label) for s in segments]
        self.member_objects = {
            m.public_id.hex: m
            for m in Member.objects.filter(partnership=partnership).select_related(
                "user", "partner"
            )
        }
        self.actor_objects = {str(a.public_id): a for a in actors}
        present = {row.member_id or -(row.actor_id or 0): row for row in meeting.attendance.all()}
        self.member_rows: list[tuple[Member, list[str]]] = []
        for ref, member in self.member_objects.items():
            names = [f"m_{ref}_{n}" for n in ("present", "gender", "age_band", "segment")]
            row = present.get(member.pk)
            self.fields[names[0]] = forms.BooleanField(
                label=member.name_for(viewer), required=False, initial=row is not None
            )
            self._attributes(names[1:], genders, bands, segment_choices, row)
            self.member_rows.append((member, names))
        actor_choices = [("", "—")] + [(key, a.name) for key, a in self.actor_objects.items()]
        taken = [row for row in meeting.attendance.all() if row.actor_id]
        self.actor_rows: list[list[str]] = []
        for index in range(max(ACTOR_ROWS, len(taken) + 2)):
            names = [f"a_{index}_{n}" for n in ("actor", "gender", "age_band", "segment")]
            row = taken[index] if index < len(taken) else None
            self.fields[names[0]] = forms.ChoiceField(
                label=pgettext_lazy("register", "Actor of the map"),
                choices=actor_choices,
                required=False,
                initial=str(row.actor.public_id) if row is not None and row.actor else "",
            )
            self._attributes(names[1:], genders, bands, segment_choices, row)
            self.actor_rows.append(names)
        labels = {
            "partner_type": [(c, str(label)) for c, label in PartnerType.choices],
            "gender": genders[1:],
            "age_band": bands[1:],
            "segment": segment_choices[1:],
        }
        self.count_groups: list[tuple[str, list[str]]] = []
        for d in DIMENSIONS:
            names = []
            for code, label in labels[d]:
                name = f"count_{d}_{code}"
                self.fields[name] = forms.IntegerField(label=label, min_value=0, required=False)
                names.append(name)
            self.count_groups.append((str(DIMENSION_LABELS[d]), names))
        self.count_codes = {d: [c for c, _l in labels[d]] for d in DIMENSIONS}
        if meeting.headcount and not self.is_bound:
            from meetings.services_attendance import counts_for_form

            self.initial.update(counts_for_form(meeting), counted=True)

    def member_lines(self) -> list[tuple[str, list[Any]]]:
        """Each member's line for the page: their name and the bound fields."""
        return [
            (str(self.fields[names[0]].label), [self[n] for n in names])
            for _m, names in self.member_rows
        ]

    def actor_lines(self) -> list[list[Any]]:
        return [[self[n] for n in names] for names in self.actor_rows]

    def count_lines(self) -> list[tuple[str, list[Any]]]:
        return [(label, [self[n] for n in names]) for label, names in self.count_groups]

    def _attributes(
        self,
        names: list[str],
        genders: list[tuple[str, str]],
        bands: list[tuple[str, str]],
        segments: list[tuple[str, str]],
        row: Any,
    ) -> None:
        for name, label, choices, value in (
            (names[0], gettext_lazy("Gender"), genders, row.gender if row else ""),
            (names[1], gettext_lazy("Age band"), bands, row.age_band if row else ""),
            (
                names[2],
                gettext_lazy("Segment"),
                segments,
                row.segment.code if row is not None and row.segment is not None else "",
            ),
        ):
            self.fields[name] = forms.ChoiceField(
                label=label, choices=choices, required=False, initial=value
            )

    def _attendee(self, names: list[str], **who: Any) -> Attendee:
        data = self.cleaned_data
        return Attendee(
            gender=data.get(names[1]) or "",
            age_band=data.get(names[2]) or "",
            segment=self.segment_objects.get(data.get(names[3]) or ""),
            **who,
        )

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        attendees = [
            self._attendee(names, member=member)
            for member, names in self.member_rows
            if data.get(names[0])
        ]
        attendees += [
            self._attendee(names, actor=self.actor_objects[data[names[0]]])
            for names in self.actor_rows
            if data.get(names[0])
        ]
        counts: dict[str, Any] | None = None
        if data.get("counted"):
            counts = {"total": data.get("count_total") or 0}
            for d in DIMENSIONS:
                counts[d] = {
                    code: data.get(f"count_{d}_{code}")
                    for code in self.count_codes[d]
                    if data.get(f"count_{d}_{code}")
                }
        return {"attendees": attendees, "counts": counts}
