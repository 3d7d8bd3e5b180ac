"""``hsbp demo``: load the demo partnerships, idempotently.

Everything here is invented, so that nothing can point at a real person: the
places (an invented municipality, Brumaverde, and its neighbours, with codes
that cannot be DIVIPOLA codes, see ``baseline/demo_places/README.md``), the
organisations, and the people, who are roles with addresses under the
reserved ``.invalid`` domain. No one is an office that one person holds: a
role of a real small place names its holder. ``tests/test_demo.py`` checks
every text the demo writes against DANE's list of real municipalities.
"""

from __future__ import annotations

import datetime
import os
import shutil
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation

from accounts.models import User
from accounts.totp import activate
from partnerships import services
from partnerships.models import Member, Partnership, PartnershipStatus, PartnerType, Role, Step

DEMO_PASSWORD = "demo-hsbp-2026"
# A fixed authenticator secret for the demo facilitators only, so a newcomer can
# sign in: `hsbp demo_code` prints the current code.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
DOMAIN = "demo.hsbp.invalid"

MAIN = "Alianza Territorial Brumaverde Florece"
# The invented municipalities' codes begin with 00, a department code DANE does
# not use (DIVIPOLA runs from 05001 to 99773): they can never name a real place.
HOME_CODE = "00001"
HOME = "Brumaverde"
SECOND_CODE = "00901"
SECOND_HOME = "Bocas del Salitre"

# Functions (partnership, users by login) that later rooms register to extend
# the demo partnership; see stakeholders/demo.py.
DEMO_EXTENSIONS: list[Any] = []
SECOND = "Alianza Costera de Bocas del Salitre"


def demo_email(local: str) -> str:
    return f"{local}@{DOMAIN}"


# login, shown name, language
PEOPLE = [
    ("facilitadora", "Facilitadora (demo)", "es"),
    ("empresa", "Representante de la empresa (demo)", "es"),
    ("alcaldia", "Representante de la alcaldía (demo)", "es"),
    ("victimas", "Representante de la asociación de víctimas (demo)", "es"),
    ("cooperativa", "Representante de la cooperativa (demo)", "es"),
    ("participante", "", "es"),
    ("observadora", "Observadora (demo)", "en"),
    ("otra-facilitadora", "Facilitador de la alianza costera (demo)", "es"),
]

PARTNERS = [
    (
        "Agroindustrias Brumaverde S.A.S.",
        PartnerType.COMPANY,
        "Empresa agroindustrial nacional con cultivos de café especial y aguacate en la zona.",
    ),
    (
        "Alcaldía Municipal de Brumaverde",
        PartnerType.GOVERNMENT,
        "Secretaría de Planeación y oficina de enlace del programa de desarrollo territorial.",
    ),
    (
        "Asociación de Víctimas Renacer del Ceniza",
        PartnerType.COMMUNITY,
        "Organización de víctimas del conflicto armado de las veredas del río Ceniza.",
    ),
    (
        "Cooperativa de Mujeres Productoras Manos de Brumaverde",
        PartnerType.COMMUNITY,
        "Cooperativa de mujeres que producen y comercializan café y panela.",
    ),
    (
        "Colectivo Juvenil Semillas de Brumaverde",
        PartnerType.COMMUNITY,
        "Jóvenes del casco urbano y de veredas que promueven emprendimiento y cultura.",
    ),
    (
        "Universidad del Alto Ceniza — Observatorio de Paz",
        PartnerType.FACILITATOR,
        "Facilita la alianza como dinamizador independiente.",
    ),
    (
        "Fundación Caminos de Brumaverde",
        PartnerType.CIVIL_SOCIETY,
        "ONG local que acompaña procesos de capacitación y veeduría.",
    ),
]


# Where a newcomer starts, and what some other logins are for.
START = "facilitadora"
HINTS = {
    "facilitadora": "<- start here",
    "participante": "what a community member sees",
    "observadora": "reads only, in English",
    "otra-facilitadora": "the second partnership, sealed from the first",
    "admin": "the instance's /admin/",
}
# Facilitators and the administrator sign in with an authenticator code too.
NEEDS_CODE = ("facilitadora", "otra-facilitadora", "admin")


def hsbp_command(name: str) -> str:
    """How to run ``hsbp <name>`` from here: the environment's bin/ is seldom on the PATH."""
    beside = Path(sys.executable).parent / "hsbp"
    if shutil.which("hsbp") == str(beside) or not beside.exists():
        return f"hsbp {name}"
    relative = os.path.relpath(beside)
    return f"{relative if not relative.startswith('..') else beside} {name}"


def logins_table() -> str:
    """Every demo login with its role, for the end of the demo's output and the README."""
    rows = [("login", "role — partnership or partner", "")]
    people = ["admin", *(local for local, _name, _lang in PEOPLE)]
    members = Member.objects.filter(user__email__in=[demo_email(p) for p in people])
    roles: dict[str, list[str]] = {}
    # In English, like the rest of the command line's output and the README.
    with translation.override("en"):
        for m in members.select_related("user", "partnership", "partner").order_by("pk"):
            where = m.partner.name if m.partner else m.partnership.name
            roles.setdefault(m.user.email, []).append(f"{Role(m.role).label} — {where}")
    for local in sorted(people, key=lambda p: (p != START, p == "admin")):
        email = demo_email(local)
        mfa = " *" if local in NEEDS_CODE else ""
        role = "; ".join(str(r) for r in roles.get(email, ["Administrator (staff)"]))
        rows.append((email + mfa, role, HINTS.get(local, "")))
    width = max(len(r[0]) for r in rows)
    lines = [
        f"  {login:<{width}}  {role}" + (f"   {hint}" if hint else "") for login, role, hint in rows
    ]
    return "\n".join(
        [
            "",
            f"Every demo login has the password {DEMO_PASSWORD}.",
            *lines,
            f"* also asks for an authenticator code: {hsbp_command('demo_code')} prints it "
            f"(or add the secret {DEMO_TOTP_SECRET} to an authenticator app).",
        ]
    )


class Command(BaseCommand):
    help = "Load the demo partnerships (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            users = {local: self._user(local, name, lang) for local, name, lang in PEOPLE}
            admin = self._user("admin", "Administración (demo)", "es", staff=True)
            activate(admin, DEMO_TOTP_SECRET)
            if not Partnership.objects.filter(name=MAIN).exists():
                self._main(users)
            if not Partnership.objects.filter(name=SECOND).exists():
                self._second(users)
            main = Partnership.objects.get(name=MAIN)
            # Later rooms add their part of the demo (each idempotent on its own).
            for extend in DEMO_EXTENSIONS:
                extend(main, users)
        self.stdout.write(self.style.SUCCESS("Demo partnerships are loaded."))
        self.stdout.write(logins_table())

    def _user(self, local: str, name: str, language: str, *, staff: bool = False) -> User:
        user, created = User.objects.get_or_create(
            email=demo_email(local),
            defaults={
                "display_name": name,
                "language": language,
                "is_staff": staff,
                "is_superuser": staff,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        return user

    def _main(self, users: dict[str, User]) -> None:
        fac = users["facilitadora"]
        p = services.create_partnership(
            creator=fac,
            name=MAIN,
            country="CO",
            area_code=HOME_CODE,
            locality_name=HOME,
            languages=["es", "en"],
            description=(
                "Alianza de empresa, comunidad, gobierno local y sociedad civil en Brumaverde, "
                "un municipio rural de posconflicto (inventado para esta demostración). Busca "
                "mejorar el acceso vial de las veredas, el emprendimiento juvenil y un retorno "
                "digno para las familias desplazadas."
            ),
        )
        activate(fac, DEMO_TOTP_SECRET)
        partners = {}
        for i, (name, ptype, description) in enumerate(PARTNERS):
            partners[name] = services.add_partner(
                actor=fac,
                partnership=p,
                name=name,
                partner_type=ptype,
                description=description,
                joined_on=datetime.date(2026, 2, 2) + datetime.timedelta(days=7 * i),
                entry_reason="Se sumó en las mesas preliminares convocadas por el dinamizador.",
            )
        reps = [
            ("empresa", "Agroindustrias Brumaverde S.A.S."),
            ("alcaldia", "Alcaldía Municipal de Brumaverde"),
            ("victimas", "Asociación de Víctimas Renacer del Ceniza"),
            ("cooperativa", "Cooperativa de Mujeres Productoras Manos de Brumaverde"),
        ]
        for local, partner_name in reps:
            self._join(p, fac, users[local], Role.PARTNER_REPRESENTATIVE, partners[partner_name])
        self._join(p, fac, users["participante"], Role.PARTICIPANT, None)
        self._join(p, fac, users["observadora"], Role.OBSERVER, None)
        services.invite(
            actor=fac,
            partnership=p,
            email=demo_email("joven"),
            role=Role.PARTNER_REPRESENTATIVE,
            partner=partners["Colectivo Juvenil Semillas de Brumaverde"],
        )
        services.complete_step(
            actor=fac,
            partnership=p,
            step=Step.PRELIMINARY,
            completed_on=datetime.date(2026, 3, 20),
            note="Acta de la sesión de instalación firmada por los cinco tipos de socio.",
        )
        services.update_partnership(actor=fac, partnership=p, status=PartnershipStatus.ACTIVE)
        services.set_published(actor=fac, partnership=p, published=True)

    def _second(self, users: dict[str, User]) -> None:
        fac = users["otra-facilitadora"]
        p = services.create_partnership(
            creator=fac,
            name=SECOND,
            country="CO",
            area_code=SECOND_CODE,
            locality_name=SECOND_HOME,
            languages=["es"],
            description=(
                "Alianza pequeña en formación entre pescadores artesanales y una empresa "
                "portuaria de un municipio costero inventado para esta demostración."
            ),
        )
        activate(fac, DEMO_TOTP_SECRET)
        services.add_partner(
            actor=fac,
            partnership=p,
            name="Asociación de Pescadores Artesanales de Bocas del Salitre (demo)",
            partner_type=PartnerType.COMMUNITY,
        )
        services.add_partner(
            actor=fac,
            partnership=p,
            name="Muelles del Salitre S.A.S. (demo)",
            partner_type=PartnerType.COMPANY,
        )

    def _join(self, p: Partnership, fac: User, user: User, role: str, partner: Any) -> None:
        invitation = services.invite(
            actor=fac, partnership=p, email=user.email, role=role, partner=partner
        )
        services.accept_invitation(user=user, token=services.invitation_token(invitation))
