"""Forms of the common-ground room. Forms parse; ``commonground.services`` decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from baseline.models import Threat
from commonground.models import STATEMENT_MAX_LENGTH, Conversation
from consultations.models import Question
from partnerships.forms import ServiceErrorMixin
from partnerships.languages import TEXTAREA, TextsForm, initial_texts_of
from partnerships.models import Partnership

CONVERSATION_TEXTS = ("title", "prompt")


class ConversationForm(ServiceErrorMixin, TextsForm):
    anonymous = forms.BooleanField(
        label=gettext_lazy("Anonymous: no vote can be traced back to who cast it"),
        required=False,
        initial=True,
    )
    allow_statements = forms.BooleanField(
        label=gettext_lazy("Participants may submit statements (you moderate them)"),
        required=False,
        initial=True,
    )
    public_link = forms.BooleanField(
        label=gettext_lazy("Open to anyone with the link, without an account (always anonymous)"),
        required=False,
    )
    threat = forms.ModelChoiceField(
        label=gettext_lazy("About the threat"), queryset=Threat.objects.none(), required=False
    )
    question = forms.ModelChoiceField(
        label=gettext_lazy("About the consultation question"),
        queryset=Question.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, languages=partnership, **kwargs)
        tail = {
            n: self.fields.pop(n)
            for n in ("anonymous", "allow_statements", "public_link", "threat")
        }
        self.add_texts("title", _("Title"))
        self.add_texts("prompt", _("What the conversation is about"), required=False, area=True)
        self.fields.update(tail)
        threat = self.fields["threat"]
        assert isinstance(threat, forms.ModelChoiceField)
        threat.queryset = Threat.objects.filter(partnership=partnership).order_by("title")
        question = self.fields["question"]
        assert isinstance(question, forms.ModelChoiceField)
        # The questions of each questionnaire's current version.
        question.queryset = (
            Question.objects.filter(
                partnership=partnership, version=F("version__questionnaire__current_version")
            )
            .select_related("version__questionnaire")
            .order_by("version__questionnaire", "position")
        )
        question.label_from_instance = lambda q: f"{q.version.questionnaire.label}: {q.label}"  # type: ignore[assignment,method-assign]

    @staticmethod
    def initial_for(conversation: Conversation) -> dict[str, Any]:
        return {
            "anonymous": conversation.anonymous,
            "allow_statements": conversation.allow_statements,
            "public_link": conversation.public_link,
            "threat": conversation.threat_id,
            "question": conversation.question_id,
            **initial_texts_of(conversation, CONVERSATION_TEXTS, conversation.partnership),
        }

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            **self.texts_of(CONVERSATION_TEXTS),
            "anonymous": data["anonymous"],
            "allow_statements": data["allow_statements"],
            "public_link": data["public_link"],
            "threat": data["threat"],
            "question": data["question"],
        }


class SeedStatementForm(ServiceErrorMixin, TextsForm):
    """A facilitator's statement, in each working language."""

    threats = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Threats it concerns"),
        queryset=Threat.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, languages=partnership, **kwargs)
        threats = self.fields.pop("threats")
        self.add_texts("text", _("Statement"), area=True, max_length=STATEMENT_MAX_LENGTH)
        assert isinstance(threats, forms.ModelMultipleChoiceField)
        threats.queryset = Threat.objects.filter(partnership=partnership).order_by("title")
        self.fields["threats"] = threats

    def values(self) -> dict[str, Any]:
        return {
            "text": self.texts("text"),
            "threats": list(self.cleaned_data["threats"]),
        }


class StatementForm(ServiceErrorMixin, forms.Form):
    """A participant's statement, in the language they write."""

    text = forms.CharField(
        label=gettext_lazy("Your statement"),
        max_length=STATEMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=gettext_lazy(
            "One idea others can agree or disagree with, in at most 280 characters. "
            "A facilitator reads it before it is shown."
        ),
    )
