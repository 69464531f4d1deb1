"""A fictional engagement in French, to try aoi without real data."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from aoi_tui.domain import clock
from aoi_tui.domain.models import (
    Action,
    ActionStatus,
    Agreement,
    Area,
    Assessment,
    Assessor,
    Competency,
    Engagement,
    Format,
    Level,
    MaturityMark,
    Note,
    NoteKind,
    Objective,
    ObjectiveStatus,
    Owner,
    Role,
    Session,
    SessionKind,
    Status,
    Timing,
    Tool,
    Validation,
    Visibility,
    closing_hash,
    text_hash,
)
from aoi_tui.store.engagement_file import EngagementFile
from aoi_tui.store.store import Store

DEMO_COACHEE = "Camille Lefèvre (démo)"
CLOSED_DEMO_COACHEE = "Julien Martin (démo)"

# (session kind, days ago, feeling, coachee log, message for the N+1, notes)
# a note: (phase, role, kind, text, shareable, validated)
_SESSIONS: list[
    tuple[
        SessionKind,
        int,
        int | None,
        str,
        str,
        list[tuple[str, Role | None, NoteKind, str, bool, bool]],
    ]
] = [
    (
        SessionKind.KICKOFF,
        62,
        None,
        "",
        "",
        [
            (
                "expectations",
                None,
                NoteKind.OBSERVATION,
                "Camille souhaite gagner en assurance pour recadrer sans s'épuiser.",
                False,
                False,
            ),
            (
                "objectives",
                None,
                NoteKind.OBSERVATION,
                "Feuille de route partagée : sécurité au poste, briefing de prise de poste, délais de livraison.",
                True,
                True,
            ),
        ],
    ),
    (
        SessionKind.AOI,
        44,
        3,
        "Réussite : briefing du lundi tenu en 10 minutes.\nDifficulté : conflit entre deux "
        "chefs d'équipe sur le planning des congés.",
        "Le briefing de prise de poste est en place chaque matin ; prochain axe : les points "
        "sécurité au poste.",
        [
            (
                "review",
                Role.MIRROR,
                NoteKind.SUCCESS,
                "Le briefing du lundi a été tenu en 10 minutes, avec les trois points prévus.",
                True,
                True,
            ),
            (
                "review",
                Role.MODERATOR,
                NoteKind.DIFFICULTY,
                "Tension avec Julien sur les congés : Camille évite la discussion depuis deux semaines.",
                False,
                False,
            ),
            (
                "field",
                Role.MIRROR,
                NoteKind.OBSERVATION,
                "En atelier, Camille donne les consignes de dos à l'équipe, voix basse.",
                False,
                False,
            ),
            (
                "field",
                None,
                NoteKind.OBSERVATION,
                "Point sécurité fait spontanément sur la ligne 3 : port des gants rappelé.",
                True,
                False,
            ),
            (
                "debrief",
                Role.INTEGRATOR,
                NoteKind.REFLECTION,
                "Camille relie la tension avec Julien à sa peur de paraître injuste.",
                False,
                False,
            ),
        ],
    ),
    (
        SessionKind.AOI,
        26,
        4,
        "Réussite : entretien de recadrage avec Julien, sans éclat.\nDifficulté : retard de "
        "livraison fournisseur, l'équipe a attendu deux heures.",
        "Les points sécurité sont faits à chaque prise de poste. Camille travaille la gestion "
        "des aléas de planning avec l'équipe.",
        [
            (
                "review",
                Role.SPUR,
                NoteKind.FEEDBACK,
                "Le recadrage de Julien a été préparé avec la méthode vue en formation ; à refaire "
                "sans attendre la crise.",
                True,
                True,
            ),
            (
                "field",
                Role.MIRROR,
                NoteKind.SUCCESS,
                "Consignes données face à l'équipe, reformulation demandée à un opérateur.",
                True,
                True,
            ),
            (
                "field",
                None,
                NoteKind.DIFFICULTY,
                "Face au retard fournisseur, Camille reprend elle-même la tâche au lieu de "
                "réorganiser.",
                False,
                False,
            ),
            (
                "debrief",
                Role.INTEGRATOR,
                NoteKind.ACTION,
                "Préparer un plan B planning pour les retards fournisseurs.",
                True,
                False,
            ),
        ],
    ),
    (
        SessionKind.AOI,
        8,
        4,
        "Réussite : plan B appliqué lors du dernier retard, l'équipe a été réaffectée en "
        "15 minutes.",
        "",
        [
            (
                "review",
                Role.MIRROR,
                NoteKind.SUCCESS,
                "Plan B appliqué : réaffectation de l'équipe en 15 minutes.",
                True,
                False,
            ),
            (
                "field",
                Role.SPUR,
                NoteKind.OBSERVATION,
                "Camille délègue le point sécurité à un chef d'équipe, puis le laisse conduire.",
                False,
                False,
            ),
            (
                "debrief",
                Role.MODERATOR,
                NoteKind.REFLECTION,
                "Camille doute encore de sa légitimité face aux anciens de l'équipe.",
                False,
                False,
            ),
        ],
    ),
]


def _hot_marks(
    ef: EngagementFile, competency: Competency, session: Session, coach: int, self_: int
) -> None:
    """The coach's and the coachee's end-of-session FSAC marks for one competency."""
    for by, level in ((Assessor.COACH, coach), (Assessor.SELF, self_)):
        ef.insert(
            Assessment(
                competency_id=competency.id,
                level=Level(level),
                by=by,
                timing=Timing.HOT,
                on=session.held_on,
                session=session.number,
            )
        )


def find_demo(store: Store, coachee: str = DEMO_COACHEE) -> str | None:
    for summary in store.list_engagements():
        if summary.demo and summary.coachee == coachee:
            return summary.id
    return None


def create_demo(store: Store) -> tuple[str, bool]:
    """The demo engagement's id, and whether it was created now (False: it existed).
    A second, closed demo engagement shows the end of the arc: the closing review."""
    if find_demo(store, CLOSED_DEMO_COACHEE) is None:
        _create_closed_demo(store)
    existing = find_demo(store)
    if existing:
        return existing, False
    return _create_main_demo(store), True


def _create_main_demo(store: Store) -> str:
    today = clock.today()
    tz = clock.now().tzinfo

    def at(days_ago: int, minutes: int = 0) -> datetime:
        day = today - timedelta(days=days_ago)
        return datetime.combine(day, time(9, 0), tzinfo=tz) + timedelta(minutes=minutes)

    engagement = Engagement(
        coachee=DEMO_COACHEE,
        sponsor="Marc Dubois",
        coach="Claire Moreau",
        organisation="Atelier de Saint-Aubin (fictif)",
        format=Format.AOI,
        planned_sessions=8,
        cadence_days=21,
        status=Status.ACTIVE,
        coachee_expectations="Gagner en assurance dans les recadrages ; mieux organiser les prises de poste.",
        sponsor_expectations="Des prises de poste structurées et moins de retards sur la ligne 3.",
        next_session=today + timedelta(days=10),
        agreement=Agreement(
            consent_date=today - timedelta(days=62),
            confidentiality=(
                "Le contenu des séances reste confidentiel. Seuls les éléments validés par écrit "
                "par l'accompagnée sont transmis au N+1."
            ),
            report_attendance=True,
        ),
        strategy="Compétence en cours d'acquisition, motivation forte : mises en situation "
        "fréquentes, feedbacks courts, autonomie progressive.",
        created_at=at(62),
        demo=True,
    )
    ef = store.create_engagement(engagement)
    with ef.batch():
        objectives = [
            Objective(
                area=Area.SAFETY,
                statement="Faire un point sécurité à chaque prise de poste",
                indicator="Points sécurité tenus / prises de poste",
                expected_result="100 % sur un mois",
                status=ObjectiveStatus.IN_PROGRESS,
            ),
            Objective(
                area=Area.DEADLINES,
                statement="Réduire les retards de livraison de la ligne 3",
                indicator="Retards par semaine",
                expected_result="Moins de 2 par semaine",
                status=ObjectiveStatus.IN_PROGRESS,
            ),
            Objective(
                area=Area.MOTIVATION,
                statement="Conduire les recadrages sans attendre la crise",
                indicator="Entretiens tenus dans la semaine du fait",
                expected_result="Systématique",
                status=ObjectiveStatus.OPEN,
            ),
        ]
        for objective in objectives:
            ef.insert(objective)
        briefing = Competency(
            name="Animer le briefing de prise de poste",
            behaviours=["Annonce les objectifs du jour", "Vérifie la compréhension"],
            start_level=Level.NOT_ACQUIRED,
            target=Level.ACQUIRED,
        )
        reframing = Competency(
            name="Recadrer un collaborateur",
            behaviours=["Décrit les faits", "Fixe une attente claire"],
            start_level=Level.NOT_ACQUIRED,
            target=Level.ACQUIRED,
        )
        ef.insert(briefing)
        ef.insert(reframing)
        ef.insert(
            Tool(
                name="Briefing en 3 points",
                introduced_session=2,
                maturity=[
                    MaturityMark(on=today - timedelta(days=44), level=Level.IN_PROGRESS, session=2),
                    MaturityMark(on=today - timedelta(days=8), level=Level.ACQUIRED, session=4),
                ],
            )
        )

        for number, (kind, days_ago, feeling, log, message, notes) in enumerate(_SESSIONS, start=1):
            session = Session.planned(kind, number)
            session.held_on = today - timedelta(days=days_ago)
            session.started_at = at(days_ago)
            session.ended_at = at(days_ago, 200)
            session.feeling = feeling
            session.coachee_log = log
            if message:
                session.sponsor_message = message
                session.sponsor_message_validation = Validation(
                    at=at(days_ago, 190), text_sha256=text_hash(message)
                )
            ef.insert(session)
            for i, (phase, role, note_kind, text, shareable, validated) in enumerate(notes):
                note = Note(
                    session=number,
                    phase=phase,
                    role=role,
                    kind=note_kind,
                    text=text,
                    visibility=Visibility.SHAREABLE if shareable else Visibility.PRIVATE,
                    created_at=at(days_ago, 10 + 25 * i),
                )
                if validated:
                    note.validation = Validation(
                        at=at(days_ago, 190), text_sha256=text_hash(note.text)
                    )
                ef.insert(note)
            if kind is SessionKind.AOI:
                for competency, level in (
                    (briefing, min(number, 3)),
                    (reframing, max(1, number - 1)),
                ):
                    _hot_marks(ef, competency, session, coach=level, self_=max(1, level - 1))

        ef.insert(
            Action(
                session=2,
                text="Préparer l'entretien avec Julien (faits, attente, délai).",
                owner=Owner.COACHEE,
                status=ActionStatus.DONE,
                visibility=Visibility.PRIVATE,
                created_at=at(44, 195),
            )
        )
        plan_b = Action(
            session=3,
            text="Formaliser un plan B planning pour les retards fournisseurs.",
            owner=Owner.COACHEE,
            due=today - timedelta(days=12),
            status=ActionStatus.DONE,
            visibility=Visibility.SHAREABLE,
            created_at=at(26, 195),
        )
        plan_b.validation = Validation(at=at(26, 196), text_sha256=text_hash(plan_b.text))
        ef.insert(plan_b)
        ef.insert(
            Action(
                session=4,
                text="Déléguer le point sécurité du jeudi à un chef d'équipe.",
                owner=Owner.COACHEE,
                due=today + timedelta(days=5),
                visibility=Visibility.SHAREABLE,
                created_at=at(8, 195),
            )
        )
        ef.insert(
            Action(
                session=4,
                text="Libérer 30 minutes pour la prochaine séance sur la ligne 3.",
                owner=Owner.SPONSOR,
                due=today + timedelta(days=10),
                created_at=at(8, 196),
            )
        )
        ef.insert(
            Action(
                session=4,
                text="Relire mes notes sur la légitimité avant la séance 5.",
                owner=Owner.COACH,
                created_at=at(8, 197),
            )
        )
    store.refresh_summary(ef.id)
    return ef.id


def _create_closed_demo(store: Store) -> str:
    """A short engagement, framed, held and closed with a validated closing review."""
    today = clock.today()
    tz = clock.now().tzinfo

    def at(days_ago: int, minutes: int = 0) -> datetime:
        day = today - timedelta(days=days_ago)
        return datetime.combine(day, time(14, 0), tzinfo=tz) + timedelta(minutes=minutes)

    synthesis = (
        "Julien prépare désormais ses réunions d'équipe avec un ordre du jour partagé la veille "
        "et les conclut par un relevé de décisions. Il sollicite ses pairs avant d'arbitrer."
    )
    next_steps = (
        "Le N+1 assiste à une réunion d'équipe par mois pendant trois mois et en fait un retour "
        "à Julien, sur la tenue du temps et la clarté des décisions."
    )
    engagement = Engagement(
        coachee=CLOSED_DEMO_COACHEE,
        sponsor="Sophie Bernard",
        coach="Claire Moreau",
        organisation="Plateforme logistique de Meyzieu (fictif)",
        format=Format.SHORT,
        planned_sessions=3,
        cadence_days=21,
        status=Status.CLOSED,
        coachee_expectations="Des réunions d'équipe plus courtes, qui décident.",
        sponsor_expectations="Des décisions tracées et suivies.",
        agreement=Agreement(consent_date=today - timedelta(days=95), report_competencies=True),
        strategy="Compétence en cours, motivation forte : entraînement ciblé sur la conduite de réunion.",
        strategy_competence=Level.IN_PROGRESS,
        strategy_motivation="high",
        closing_synthesis=synthesis,
        closing_next=next_steps,
        closing_validation=Validation(
            at=at(20, 80), text_sha256=closing_hash(synthesis, next_steps)
        ),
        created_at=at(95),
        closed_on=today - timedelta(days=20),
        demo=True,
    )
    ef = store.create_engagement(engagement)
    with ef.batch():
        ef.insert(
            Objective(
                area=Area.DEADLINES,
                statement="Tenir les réunions d'équipe en 30 minutes avec un relevé de décisions",
                indicator="Durée et relevé diffusé le jour même",
                expected_result="4 réunions sur 4",
                status=ObjectiveStatus.REACHED,
            )
        )
        meeting = Competency(
            name="Conduire une réunion d'équipe",
            behaviours=[
                "Annonce l'objectif et la durée",
                "Conclut par les décisions et les porteurs",
            ],
            start_level=Level.NOT_ACQUIRED,
            target=Level.ACQUIRED,
        )
        ef.insert(meeting)
        plan = [
            (SessionKind.KICKOFF, 95, None, ""),
            (
                SessionKind.COACHING,
                70,
                3,
                "Réunion d'équipe tenue en 30 minutes, relevé diffusé le jour même.",
            ),
            (
                SessionKind.COACHING,
                45,
                4,
                "Les pairs sont consultés avant l'arbitrage du planning.",
            ),
            (SessionKind.CLOSING, 20, 5, ""),
        ]
        for number, (kind, days_ago, feeling, message) in enumerate(plan, start=1):
            session = Session.planned(kind, number)
            session.held_on = today - timedelta(days=days_ago)
            session.started_at = at(days_ago)
            session.ended_at = at(days_ago, 90)
            elapsed = 0
            for run in session.phases:  # one phase after the other, each on its target
                run.started_at = at(days_ago, elapsed)
                elapsed += run.target_minutes
                run.ended_at = at(days_ago, elapsed)
            session.feeling = feeling
            if message:
                session.sponsor_message = message
                session.sponsor_message_validation = Validation(
                    at=at(days_ago, 85), text_sha256=text_hash(message)
                )
            ef.insert(session)
            if kind is not SessionKind.KICKOFF:
                _hot_marks(ef, meeting, session, coach=min(4, number), self_=max(1, number - 1))
        note = Note(
            session=2,
            phase="exploration",
            role=Role.MIRROR,
            kind=NoteKind.SUCCESS,
            text="Ordre du jour envoyé la veille : l'équipe arrive préparée.",
            visibility=Visibility.SHAREABLE,
            created_at=at(70, 20),
        )
        note.validation = Validation(at=at(70, 85), text_sha256=text_hash(note.text))
        ef.insert(note)
        ef.insert(
            Note(
                session=3,
                phase="exploration",
                role=Role.SPUR,
                kind=NoteKind.DIFFICULTY,
                text="Julien tranche encore seul quand la pression monte.",
                created_at=at(45, 30),
            )
        )
        ef.insert(
            Action(
                session=2,
                text="Envoyer l'ordre du jour la veille de chaque réunion.",
                owner=Owner.COACHEE,
                status=ActionStatus.DONE,
                visibility=Visibility.SHAREABLE,
                created_at=at(70, 86),
            )
        )
    store.refresh_summary(ef.id)
    return ef.id
