"""What people do in a statement conversation: set it up, write and moderate
statements, vote, and have the votes analysed.

``record_vote`` is the one entry for every channel (the web page, the public
link, the API, later SMS): it checks the vote, keeps one row per participant
and statement (voting again changes it), keeps the counters routing reads, and
asks for a new analysis once the transaction has committed. Routing
(``next_statement``) and the analysis itself live in ``commonground.routing``
and ``commonground.analysis``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Collection, Mapping
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from baseline.models import Threat
from commonground.models import (
    STATEMENT_MAX_LENGTH,
    Choice,
    Conversation,
    ConversationStatus,
    Participant,
    Statement,
    StatementStatus,
    Vote,
)
from consultations.models import RespondentProfile
from partnerships.audit import save_audited
from partnerships.errors import ServiceError
from partnerships.languages import clean_texts, require_first
from partnerships.models import Member, Partnership
from partnerships.services import only_fields
from partnerships.text import CONTROL

CONVERSATION_FIELDS = (
    "title",
    "prompt",
    "anonymous",
    "allow_statements",
    "public_link",
    "threat",
    "question",
)
VOTE_WORDS = {"agree": Choice.AGREE, "disagree": Choice.DISAGREE, "pass": Choice.PASS}
COUNTER = {
    Choice.AGREE: "agree_count",
    Choice.DISAGREE: "disagree_count",
    Choice.PASS: "pass_count",
}


def _analyse_later(conversation_id: int) -> None:
    from commonground import analysis

    transaction.on_commit(lambda: analysis.analyse_later(conversation_id))


# --- Conversations ------------------------------------------------------------------


def _check_links(partnership: Partnership, fields: Mapping[str, Any]) -> None:
    """A threat or question of another partnership is refused as unknown."""
    threat = fields.get("threat")
    if threat is not None and threat.partnership_id != partnership.pk:
        raise ServiceError(_("Unknown threat."), field="threat")
    question = fields.get("question")
    if question is not None and question.partnership_id != partnership.pk:
        raise ServiceError(_("Unknown question."), field="question")


@transaction.atomic
def create_conversation(
    *,
    by: Any,
    partnership: Partnership,
    title: Mapping[str, str],
    prompt: Mapping[str, str] | None = None,
    anonymous: bool = True,
    allow_statements: bool = True,
    public_link: bool = False,
    threat: Threat | None = None,
    question: Any = None,
) -> Conversation:
    titles = clean_texts(title)
    if not titles:
        raise ServiceError(_("Give the conversation a title."), field="title")
    require_first(titles, partnership, prefix="title")
    _check_links(partnership, {"threat": threat, "question": question})
    conversation = Conversation(
        partnership=partnership,
        title=titles,
        prompt=clean_texts(prompt or {}),
        anonymous=anonymous or public_link,
        allow_statements=allow_statements,
        public_link=public_link,
        threat=threat,
        question=question,
    )
    save_audited(conversation, actor=by)
    return conversation


@transaction.atomic
def update_conversation(*, by: Any, conversation: Conversation, **fields: Any) -> Conversation:
    only_fields(fields, CONVERSATION_FIELDS)
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    for name in ("title", "prompt"):
        if name in fields:
            fields[name] = clean_texts(fields[name] or {})
    if "title" in fields and not fields["title"]:
        raise ServiceError(_("Give the conversation a title."), field="title")
    if "title" in fields:
        require_first(fields["title"], conversation.partnership, prefix="title")
    _check_links(conversation.partnership, fields)
    anonymous = bool(fields.get("anonymous", conversation.anonymous))
    if fields.get("public_link", conversation.public_link):
        anonymous = True  # people without an account can only ever be anonymous
    if anonymous != conversation.anonymous and conversation.vote_count:
        # Votes cast under one promise must not be read under another.
        raise ServiceError(
            _("Whether votes are anonymous cannot change once votes have been cast."),
            field="anonymous",
        )
    fields["anonymous"] = anonymous
    for key, value in fields.items():
        setattr(conversation, key, value)
    save_audited(conversation, actor=by, update_fields=list(fields))
    return conversation


@transaction.atomic
def set_status(*, by: Any, conversation: Conversation, status: str) -> Conversation:
    if status not in ConversationStatus.values:
        raise ServiceError(_("Unknown status."), field="status")
    if (
        status == ConversationStatus.OPEN
        and not conversation.statements.filter(status=StatementStatus.ACCEPTED).exists()
    ):
        raise ServiceError(_("Add at least one statement before opening it."), field="status")
    conversation.status = status
    save_audited(conversation, actor=by, update_fields=["status"])
    return conversation


# --- Statements -----------------------------------------------------------------------


def _statement_texts(text: Mapping[str, str] | str, language: str) -> dict[str, str]:
    texts = clean_texts({language: text} if isinstance(text, str) else text)
    if not texts:
        raise ServiceError(_("Write the statement."), field="text")
    for value in texts.values():
        if CONTROL.search(value):  # whatever the channel: PostgreSQL would refuse a NUL
            raise ServiceError(
                _("The statement holds a control character (such as NUL)."), field="text"
            )
        if len(value) > STATEMENT_MAX_LENGTH:
            raise ServiceError(
                ngettext(
                    "A statement has at most %(n)s character; this one has %(m)s.",
                    "A statement has at most %(n)s characters; this one has %(m)s.",
                    STATEMENT_MAX_LENGTH,
                )
                % {"n": STATEMENT_MAX_LENGTH, "m": len(value)},
                field="text",
            )
    return texts


def _normal(text: str) -> str:
    return " ".join(text.casefold().split())


@transaction.atomic
def add_statement(
    *,
    conversation: Conversation,
    text: Mapping[str, str] | str,
    language: str = "en",
    author: Member | None = None,
    seed: bool = False,
    threats: Collection[Threat] = (),
    actor: Any = None,
) -> Statement:
    """A facilitator's seed statement (accepted at once) or a participant's
    (awaiting moderation; only while the conversation is open and takes them)."""
    texts = _statement_texts(text, language)
    if seed and not isinstance(text, str):
        # A facilitator's statement is written in the working languages, the first
        # at least; a participant writes in their own language.
        require_first(texts, conversation.partnership, prefix="text")
    # Locks the conversation row: numbers are given one at a time.
    locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
    if not seed:
        if not locked.is_open:
            raise ServiceError(_("This conversation is not open."), field="text")
        if not locked.allow_statements:
            raise ServiceError(
                _("This conversation does not take statements from participants."), field="text"
            )
    existing = {
        _normal(v)
        for texts_ in locked.statements.exclude(status=StatementStatus.REJECTED).values_list(
            "text", flat=True
        )
        for v in (texts_ or {}).values()
    }
    if any(_normal(v) in existing for v in texts.values()):
        raise ServiceError(_("This statement is already in the conversation."), field="text")
    for threat in threats:
        if threat.partnership_id != conversation.partnership_id:
            raise ServiceError(_("Unknown threat."), field="threats")
    number = (locked.statements.aggregate(n=Max("number"))["n"] or 0) + 1
    statement = Statement(
        partnership_id=conversation.partnership_id,
        conversation=locked,
        number=number,
        text=texts,
        seed=seed,
        author=None if locked.anonymous else author,
        status=StatementStatus.ACCEPTED if seed else StatementStatus.PENDING,
        moderated_at=timezone.now() if seed else None,
    )
    save_audited(statement, actor=actor if seed else None)
    if threats:
        statement.threats.set(list(threats))
    return statement


# Statements from the public link (no account): at most this many per visitor
# and per address an hour. A visitor can clear their cookie, so the address
# limit is the one that holds; it is wider because people share addresses (a
# community centre's connection, a phone network's gateway).
PUBLIC_STATEMENTS_PER_VISITOR = 5
PUBLIC_STATEMENTS_PER_ADDRESS = 20
PUBLIC_STATEMENT_WINDOW = 3600


def _rate_keys(conversation: Conversation, visitor_key: str, address: str) -> list[tuple[str, int]]:
    base = f"commonground-statements:{conversation.pk}"
    keys = [(f"{base}:address:{address or '-'}", PUBLIC_STATEMENTS_PER_ADDRESS)]
    if visitor_key:
        digest = hashlib.sha256(visitor_key.encode()).hexdigest()[:32]
        keys.append((f"{base}:visitor:{digest}", PUBLIC_STATEMENTS_PER_VISITOR))
    return keys


def add_public_statement(
    *,
    conversation: Conversation,
    text: Mapping[str, str] | str,
    language: str,
    visitor_key: str,
    address: str,
) -> Statement:
    """A statement sent through the public link: like a participant's, but
    refused with a clear message once the visitor (by their cookie) or their
    address has sent too many within the hour."""
    keys = _rate_keys(conversation, visitor_key, address)
    if any(int(cache.get(key, 0)) >= limit for key, limit in keys):
        raise ServiceError(
            _(
                "You have sent many statements in a short time. Thank you! Please wait "
                "an hour before sending more, so that the facilitators can read them all."
            ),
            field="text",
        )
    statement = add_statement(conversation=conversation, text=text, language=language)
    for key, _limit in keys:
        cache.add(key, 0, PUBLIC_STATEMENT_WINDOW)
        try:
            cache.incr(key)
        except ValueError:  # expired in between
            cache.set(key, 1, PUBLIC_STATEMENT_WINDOW)
    return statement


@transaction.atomic
def moderate(*, by: Any, statement: Statement, status: str) -> Statement:
    """Accept, reject, or set aside as about the conversation ("meta"). Votes
    on a statement taken out stay stored but stop counting (the engine zeroes
    its column, as Pol.is does)."""
    if status not in StatementStatus.values or status == StatementStatus.PENDING:
        raise ServiceError(_("Unknown status."), field="status")
    changed = statement.status != status
    statement.status = status
    statement.moderated_at = timezone.now()
    save_audited(statement, actor=by, update_fields=["status", "moderated_at"])
    if changed and statement.seen_count:
        _analyse_later(statement.conversation_id)
    return statement


# --- Participants and votes -------------------------------------------------------------


def voter_key(conversation: Conversation, member: Member) -> str:
    """A member's key in an anonymous conversation: a keyed hash, so there is
    one participant per member but no column that leads back to them."""
    message = f"commonground:{conversation.pk}:{member.pk}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:48]


def new_visitor_key() -> str:
    return "v-" + secrets.token_urlsafe(24)


def participant_for(
    *,
    conversation: Conversation,
    member: Member | None = None,
    visitor_key: str = "",
) -> Participant:
    """The participant a member (or a visitor of the public link) votes as;
    made on first use with their partner type and group when known."""
    if member is not None:
        key = voter_key(conversation, member)
    elif visitor_key and conversation.public_link:
        key = visitor_key[:64]
    else:
        raise ServiceError(_("Only members of the partnership may vote here."))
    found: Participant | None = Participant.objects.filter(
        conversation=conversation, key=key
    ).first()
    if found is not None:
        return found
    partner_type, segment = "", None
    if member is not None:
        if member.partner_id and member.partner:
            partner_type = member.partner.partner_type
        profile = RespondentProfile.objects.filter(member=member).only("segment_id").first()
        segment = profile.segment if profile is not None and profile.segment_id else None
    try:
        with transaction.atomic():
            participant = Participant.objects.create(
                partnership_id=conversation.partnership_id,
                conversation=conversation,
                key=key,
                member=None if conversation.anonymous else member,
                partner_type=partner_type,
                segment=segment,
            )
    except IntegrityError:  # the same person's two first votes at once
        existing: Participant = Participant.objects.get(conversation=conversation, key=key)
        return existing
    Conversation.objects.filter(pk=conversation.pk).update(
        participant_count=F("participant_count") + 1
    )
    return participant


def parse_choice(value: Any) -> int:
    """A vote as given by any channel: 1, -1, 0 (numbers or their text) or
    agree / disagree / pass. Anything else is refused by name."""
    if isinstance(value, int) and not isinstance(value, bool) and value in Choice.values:
        return int(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in VOTE_WORDS:
            return int(VOTE_WORDS[text])
        if text in ("1", "+1", "-1", "0"):
            return int(text)
    raise ServiceError(
        _("A vote is agree (1), disagree (-1) or pass (0), not “%(value)s”.")
        % {"value": str(value)[:20]},
        field="choice",
    )


@transaction.atomic
def record_vote(*, participant: Participant, statement: Statement | None, choice: Any) -> Vote:
    """Record a vote, or change it: one row per participant and statement."""
    value = parse_choice(choice)
    conversation = participant.conversation
    if statement is None or statement.conversation_id != conversation.pk:
        raise ServiceError(_("Unknown statement."), field="statement")
    if statement.status != StatementStatus.ACCEPTED:
        raise ServiceError(
            _("This statement is not open for votes (it was not accepted by moderation)."),
            field="statement",
        )
    if not conversation.is_open:
        raise ServiceError(_("This conversation is not open."), field="statement")
    vote = (
        Vote.objects.select_for_update()
        .filter(participant=participant, statement=statement)
        .first()
    )
    now = timezone.now()
    counters = Statement.objects.filter(pk=statement.pk)
    if vote is None:
        vote = Vote.objects.create(
            conversation=conversation,
            participant=participant,
            statement=statement,
            choice=value,
            partner_type=participant.partner_type,
            segment_id=participant.segment_id,
            voted_at=now,
        )
        counters.update(**{COUNTER[Choice(value)]: F(COUNTER[Choice(value)]) + 1})
        Conversation.objects.filter(pk=conversation.pk).update(vote_count=F("vote_count") + 1)
    elif vote.choice != value:
        old = COUNTER[Choice(vote.choice)]
        new = COUNTER[Choice(value)]
        counters.update(**{old: F(old) - 1, new: F(new) + 1})
        vote.choice = value
        vote.voted_at = now
        vote.changes += 1
        vote.save(update_fields=["choice", "voted_at", "changes"])
    else:
        return vote  # the same vote again (a double click, a retried request)
    _analyse_later(conversation.pk)
    return vote
