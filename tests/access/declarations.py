"""Who may use each URL of the project, for tests/access/test_walk.py.

Every named URL outside admin/ has one entry in ROUTES: the method the walk uses (GET for
pages, POST for routes that only act), the roles that may use it, and for each keyword of
its path the object of the walk's world that fills it. A view added without an entry here
fails the walk, and so does any role that gets through without being listed.

"Gets through" means 200 or a redirect anywhere but the login page; refused is 403, 404,
405 or the login page. For GET routes the listed roles must also get through, so the
declarations cannot silently grow wider than the views. POST routes are sent an empty
form: only the refusal of the roles not listed is checked.

A route `writes` when it changes state: every POST route, and the pages whose view also
takes a form (`get(..., writes=True)`). tests/access/test_production.py posts once to each
of them as a role allowed to, without a wrapping transaction, and checks that a POST to
any other route writes nothing, so a page that starts taking a form must be declared here.

The roles (one user each, in one cycle; "the unit" is the unit of the world's
application, assigned to "the team"):
    anonymous            not logged in
    unit_contact         contact of the unit, with the unit's access to its application
    other_unit_contact   contact of another unit, which has its own application
    examiner             member (not leader) of the team, has opened the application
    other_examiner       member of another confirmed team
    leader               the team's leader
    committee            member (not chair) of the cycle's committee
    committee_conflicted member of the committee with a declared conflict on the unit
    slk                  SLK administrator
"""

from dataclasses import dataclass, field

GET = "GET"
POST = "POST"

ANONYMOUS = "anonymous"
UNIT_CONTACT = "unit_contact"
OTHER_UNIT_CONTACT = "other_unit_contact"
EXAMINER = "examiner"
OTHER_EXAMINER = "other_examiner"
LEADER = "leader"
COMMITTEE = "committee"
COMMITTEE_CONFLICTED = "committee_conflicted"
SLK = "slk"

ROLES = [
    ANONYMOUS,
    UNIT_CONTACT,
    OTHER_UNIT_CONTACT,
    EXAMINER,
    OTHER_EXAMINER,
    LEADER,
    COMMITTEE,
    COMMITTEE_CONFLICTED,
    SLK,
]

EVERYONE = frozenset(ROLES)
LOGGED_IN = EVERYONE - {ANONYMOUS}
NOBODY = frozenset()
ONLY_SLK = frozenset({SLK})
UNIT = frozenset({UNIT_CONTACT})
UNIT_CONTACTS = frozenset({UNIT_CONTACT, OTHER_UNIT_CONTACT})
EXAMINERS = frozenset({EXAMINER, OTHER_EXAMINER, LEADER})
TEAM = frozenset({EXAMINER, LEADER})
#: Who reads the application itself: its unit, its team and SLK.
READERS = UNIT | TEAM | ONLY_SLK
#: The cycle's committee (a conflict on one unit does not close the committee's pages;
#: the rules of the award refuse the conflicted member's decisions in the services).
COMMITTEE_AND_SLK = frozenset({COMMITTEE, COMMITTEE_CONFLICTED, SLK})


@dataclass(frozen=True)
class Route:
    method: str
    allowed: frozenset
    #: path keyword -> key of the world's objects (tests/support/access.py build_world)
    kwargs: dict = field(default_factory=dict)
    #: a query string the page needs, without "?"
    query: str = ""
    #: a POST changes state (tests/access/test_production.py)
    writes: bool = False


def get(allowed, *, writes=False, **kwargs) -> Route:
    """A page; `writes` when its view also takes a form that changes state."""
    return Route(GET, frozenset(allowed), kwargs, writes=writes)


def post(allowed, **kwargs) -> Route:
    """A route that only acts: it always writes."""
    return Route(POST, frozenset(allowed), kwargs, writes=True)


APP = {"pk": "application"}
YEAR = {"year": "year"}

ROUTES: dict[str, Route] = {
    # --- public pages and the account ---------------------------------------------------
    # The start page sends a logged-in user on to their home page.
    "start": get(EVERYONE),
    "login": get(EVERYONE, writes=True),
    # Django's LogoutView takes POST only; logging out is for everyone.
    "logout": post(EVERYONE),
    "public:good_examples": get(EVERYONE),
    "home": get(LOGGED_IN),
    "password_change": get(LOGGED_IN, writes=True),
    "password_change_done": get(LOGGED_IN),
    # --- the cycle (SLK) --------------------------------------------------------------------
    "award:cycle_list": get(ONLY_SLK),
    "award:cycle_detail": get(ONLY_SLK, **YEAR),
    "award:cycle_phase_close": post(ONLY_SLK, **YEAR),
    "award:cycle_phase_extend": post(ONLY_SLK, **YEAR),
    # Personal data: export and anonymisation of one person (SLK).
    "award:person_search": get(ONLY_SLK),
    "award:person_detail": get(ONLY_SLK, pk="person", writes=True),
    # --- applications -------------------------------------------------------------------
    # SLK's list is the overview: application_list redirects there.
    "submissions:application_list": get(UNIT_CONTACTS | ONLY_SLK),
    "submissions:register": get(UNIT_CONTACTS, writes=True),
    "submissions:overview": get(ONLY_SLK),
    "submissions:application_detail": get(READERS, **APP),
    "submissions:answer_edit": get(UNIT, pk="application", criterion_id="criterion", writes=True),
    "submissions:details_save": post(UNIT, **APP),
    "submissions:attachment_upload": post(UNIT, **APP),
    "submissions:attachment_download": get(READERS, pk="application", attachment_id="attachment"),
    "submissions:attachment_delete": post(UNIT, pk="application", attachment_id="attachment"),
    "submissions:submit": get(UNIT, **APP, writes=True),
    "submissions:receipt": get(READERS, **APP),
    "submissions:withdraw": get(UNIT, **APP, writes=True),
    "submissions:print": get(READERS, **APP),
    "submissions:pdf": get(READERS, **APP),
    "submissions:registration_decide": post(ONLY_SLK, **APP),
    "submissions:extend": post(ONLY_SLK, **APP),
    "submissions:reopen": post(ONLY_SLK, **APP),
    # --- examiners: their own pages -----------------------------------------------------
    "examiners:home": get(EXAMINERS),
    # Any member of staff may offer to examine.
    "examiners:volunteer": get(LOGGED_IN, writes=True),
    "examiners:conflict_declare": post(EXAMINERS),
    # The team's way into the application (already opened: a redirect to it).
    "examiners:application_open": get(TEAM, **APP, writes=True),
    # --- the pool, teams and training (SLK) ----------------------------------------------
    "examiners:pool_current": get(ONLY_SLK),
    "examiners:pool": get(ONLY_SLK, **YEAR),
    "examiners:pool_member": get(ONLY_SLK, pk="pool_member"),
    "examiners:pool_decide": post(ONLY_SLK, pk="pool_member"),
    "examiners:manager_approval": post(ONLY_SLK, pk="pool_member"),
    "examiners:max_teams": post(ONLY_SLK, pk="pool_member"),
    "examiners:conflict_record": post(ONLY_SLK, pk="pool_member"),
    "examiners:training_current": get(ONLY_SLK),
    "examiners:teams_current": get(ONLY_SLK),
    "examiners:teams": get(ONLY_SLK, **YEAR),
    "examiners:teams_propose": post(ONLY_SLK, **YEAR),
    "examiners:team_create": post(ONLY_SLK, **YEAR),
    "examiners:team_detail": get(ONLY_SLK, pk="team"),
    "examiners:team_member_add": post(ONLY_SLK, pk="team"),
    "examiners:team_member_remove": post(ONLY_SLK, pk="team", member_pk="team_member"),
    "examiners:team_leader": post(ONLY_SLK, pk="team", member_pk="team_member"),
    "examiners:team_assign": post(ONLY_SLK, pk="team"),
    "examiners:team_unassign": post(ONLY_SLK, pk="team", application_pk="application"),
    "examiners:team_confirm": post(ONLY_SLK, pk="team"),
    "examiners:team_delete": post(ONLY_SLK, pk="team"),
    "examiners:team_flag_clear": post(ONLY_SLK, pk="team"),
    "examiners:training_list": get(ONLY_SLK, **YEAR),
    "examiners:session_create": get(ONLY_SLK, **YEAR, writes=True),
    "examiners:qualification": get(ONLY_SLK, **YEAR),
    "examiners:qualification_export": get(ONLY_SLK, **YEAR),
    "examiners:session_roster": get(ONLY_SLK, pk="session"),
    "examiners:session_edit": get(ONLY_SLK, pk="session", writes=True),
    "examiners:session_print": get(ONLY_SLK, pk="session"),
    "examiners:enrol": post(ONLY_SLK, pk="session"),
    "examiners:attendance": get(ONLY_SLK, pk="session", day_pk="day", writes=True),
    "examiners:enrolment_cancel": get(ONLY_SLK, pk="enrolment", writes=True),
    # --- links without a year: a redirect to the current cycle's page ---------------------
    # The committee is sent on to the evaluation page too, which then refuses it.
    "judging:committee_current": get(COMMITTEE_AND_SLK),
    "judging:decisions_current": get(COMMITTEE_AND_SLK),
    "evaluation:evaluation_current": get(COMMITTEE_AND_SLK),
    # --- the examiner's assessment ---------------------------------------------------------
    "scoring:assessment": get(TEAM, **APP),
    # A criterion of the poster's own assessment: nobody reaches anyone else's.
    "scoring:assessment_item": post(TEAM, pk="application", criterion_id="criterion"),
    "scoring:assessment_submit": get(TEAM, **APP, writes=True),
    "scoring:assessment_reopen": post(TEAM, **APP),
    "scoring:assessment_hours": post(TEAM, **APP),
    # --- consensus and site visit ----------------------------------------------------------
    "scoring:consensus": get(TEAM | ONLY_SLK, **APP),
    "scoring:consensus_start": post({LEADER, SLK}, **APP),
    "scoring:consensus_item_save": post({LEADER, SLK}, pk="application", item_id="consensus_item"),
    "scoring:consensus_finalise": get({LEADER, SLK}, **APP, writes=True),
    "judging:site_visit_list": get(COMMITTEE_AND_SLK, **YEAR),
    "scoring:site_visit": get(TEAM | COMMITTEE_AND_SLK, **APP),
    "judging:site_visit_select": post(COMMITTEE_AND_SLK, **APP),
    "scoring:site_visit_save": post(TEAM | ONLY_SLK, **APP),
    "scoring:visit_score_revise": post({LEADER, SLK}, pk="application", item_id="consensus_item"),
    # --- the feedback report ----------------------------------------------------------------
    "scoring:report_edit": get(TEAM | ONLY_SLK, **APP, writes=True),
    "scoring:report_redraft": get({LEADER, SLK}, **APP, writes=True),
    "scoring:report_approve": get(ONLY_SLK, **APP, writes=True),
    # Released: the unit reads it; SLK previews it at any time.
    "scoring:report_unit": get(UNIT | ONLY_SLK, **APP),
    "scoring:report_pdf": get(UNIT | ONLY_SLK, **APP),
    # --- SLK's overviews ----------------------------------------------------------------------
    "scoring:history": get(ONLY_SLK, **APP),
    "scoring:hours": get(ONLY_SLK, **YEAR),
    # --- the committee --------------------------------------------------------------------------
    "judging:committee_home": get(COMMITTEE_AND_SLK, **YEAR, writes=True),
    "judging:consolidated": get(COMMITTEE_AND_SLK, year="year", track_pk="track"),
    "judging:consolidated_anonymous": get(COMMITTEE_AND_SLK, year="year", track_pk="track"),
    # The conflicted member reads the application's numbers with their conflict shown first.
    "judging:drilldown": get(COMMITTEE_AND_SLK, **APP),
    "judging:decisions": get(COMMITTEE_AND_SLK, **YEAR, writes=True),
    "judging:decisions_notify": post(ONLY_SLK, **YEAR),
    "judging:site_visit_choice": get(COMMITTEE_AND_SLK, pk="shortlisting_meeting", writes=True),
    "judging:decision_edit": get(COMMITTEE_AND_SLK, pk="final_meeting", track_pk="track", writes=True),
    "judging:decision_detail": get(COMMITTEE_AND_SLK, pk="decision"),
    # Only the chair signs (and the decision is signed already): none of the walk's roles.
    "judging:decision_sign": get(NOBODY, pk="decision", writes=True),
    "judging:decision_correct": get(COMMITTEE_AND_SLK, pk="decision", writes=True),
    "judging:good_example_edit": get(ONLY_SLK, pk="outcome", writes=True),
    # --- charts and exports ---------------------------------------------------------------------
    "judging:charts": get(COMMITTEE_AND_SLK, year="year", track_pk="track"),
    "judging:chart_svg": get(COMMITTEE_AND_SLK, year="year", track_pk="track", chart="chart"),
    "judging:calibration_chart": get(ONLY_SLK, **YEAR),
    "judging:calibration_chart_svg": get(ONLY_SLK, **YEAR),
    "judging:profile_chart": get(COMMITTEE_AND_SLK, **APP),
    "judging:profile_chart_svg": get(COMMITTEE_AND_SLK, **APP),
    "judging:cycle_export": get(COMMITTEE_AND_SLK, **YEAR),
    # --- evaluation -------------------------------------------------------------------------------
    "evaluation:evaluation": get(ONLY_SLK, **YEAR, writes=True),
    "evaluation:cycle_report": get(ONLY_SLK, **YEAR),
    # The questionnaire was sent to the applicant units' contacts.
    "evaluation:questionnaire_answer": get(UNIT_CONTACTS, pk="questionnaire", writes=True),
}
