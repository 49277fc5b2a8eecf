"""Who may use each URL of the project, for tests/access/test_walk.py.

Every named URL outside admin/ has one entry in ROUTES: the method the walk uses (GET for
pages, POST for routes that only act), the roles that may use it, and for each keyword of
its path the object of the walk's world that fills it. A view added without an entry here
fails the walk, and so does any role that gets through without being listed.

"Gets through" means 200 or a redirect anywhere but the login page. For GET routes the
listed roles must also get through, so the declarations cannot silently grow wider than the
views. POST routes are sent an empty form: only the refusal of the roles not listed is
checked.

How a role is refused is declared too, since a refusal must not tell anyone that another
person's object exists. Anonymous visitors are sent to the login page. A role refused an
object it is not party to gets 404, as it would for an id that does not exist: another
unit's application, another team's, another cycle's committee business. Those are the
route's `hidden` roles: always "the other" of each role the route lets in for its own
objects (the contact of another unit where the unit's contact may enter, and so on; see
OTHERS), and whoever else the view hides the object from (APPLICATION_PAGES,
ASSESSMENT…). Every other refused role gets 403: it is refused a kind of page, whatever
object it names (a unit contact on SLK's overview, an examiner on the unit's answer
form, the team's examiner on the leader's consensus controls).

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
    other_committee      member of the committee of another cycle (last year's)
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
OTHER_COMMITTEE = "other_committee"
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
    OTHER_COMMITTEE,
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
#: Everyone with the committee's role, whichever cycle's committee they sit on.
ANY_COMMITTEE = COMMITTEE_AND_SLK | {OTHER_COMMITTEE}

#: Each "other" role and the roles it is the other of: a route that lets any of those in
#: for the objects it names hides those objects from the other (404).
OTHERS = {
    OTHER_UNIT_CONTACT: frozenset({UNIT_CONTACT}),
    OTHER_EXAMINER: frozenset({EXAMINER, LEADER}),
    OTHER_COMMITTEE: frozenset({COMMITTEE, COMMITTEE_CONFLICTED}),
}

# Whom a kind of page hides the world's application from (404); the rest of the refused
# roles know it and are refused the page (403).
#: The application's own pages: only its unit, its team and SLK know it is there.
APPLICATION_PAGES = LOGGED_IN - READERS
#: An examiner's own assessment: nobody else learns whether it exists (independence).
ASSESSMENT = LOGGED_IN - TEAM
#: The consensus and the feedback report while the team writes it: the team and SLK.
CONSENSUS = LOGGED_IN - (TEAM | ONLY_SLK)
#: The site visit: the team, SLK and the cycle's committee, which chooses the visits.
SITE_VISIT = LOGGED_IN - (TEAM | COMMITTEE_AND_SLK)
#: The unit's copy of its feedback report: the unit and SLK.
UNIT_REPORT = LOGGED_IN - (UNIT | ONLY_SLK)
#: A questionnaire: its recipients only.
RECIPIENTS = LOGGED_IN - UNIT_CONTACTS
#: A trainee's practice case: only those enrolled in its session (the world's examiner)
#: learn that it is there; SLK works on the trainer's pages.
PRACTICE = LOGGED_IN - {EXAMINER}


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
    #: the refused roles that must get 404; every other refused role gets 403
    hidden: frozenset = frozenset()


def _route(method, allowed, kwargs, *, writes, hidden) -> Route:
    allowed = frozenset(allowed)
    if kwargs:  # the route names objects: hide them from the others of whoever it lets in
        hidden = frozenset(hidden) | {other for other, own in OTHERS.items() if own & allowed}
    return Route(method, allowed, kwargs, writes=writes, hidden=frozenset(hidden) - allowed)


def get(allowed, *, writes=False, hidden=(), **kwargs) -> Route:
    """A page; `writes` when its view also takes a form that changes state; `hidden`, the
    refused roles besides OTHERS that must get 404."""
    return _route(GET, allowed, kwargs, writes=writes, hidden=hidden)


def post(allowed, *, hidden=(), **kwargs) -> Route:
    """A route that only acts: it always writes."""
    return _route(POST, allowed, kwargs, writes=True, hidden=hidden)


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
    # The accessibility statement and help are public: a problem can be reported without logging in.
    "accessibility": get(EVERYONE),
    "help": get(EVERYONE),
    "home": get(LOGGED_IN),
    "password_change": get(LOGGED_IN, writes=True),
    "password_change_done": get(LOGGED_IN),
    # --- getting in: password reset, invitations, the second factor (accounts) ----------------
    "accounts:password_reset": get(EVERYONE, writes=True),
    "accounts:password_reset_done": get(EVERYONE),
    # Posted only after its link was opened (the token moves into the session), so the walk's
    # empty POST to the link itself writes nothing; tests/accounts/test_password_reset.py
    # sets a password through it.
    "accounts:password_reset_confirm": get(EVERYONE, uidb64="reset_uid", token="reset_token"),
    "accounts:password_reset_complete": get(EVERYONE),
    # An invitation's link is for whoever holds it; one meant for another address says so.
    "accounts:invitation": get(EVERYONE, writes=True, token="invitation_token"),
    "accounts:invitation_renewal": post(EVERYONE, token="invitation_token"),
    "accounts:invitations": get(ONLY_SLK, writes=True),
    "accounts:invitation_revoke": post(ONLY_SLK, pk="invitation"),
    # The unit's page: SLK, and the unit's head (not the world's contact); any other unit's
    # contact and everyone else who is no contact of the unit do not learn it exists.
    "accounts:unit_invitations": get(ONLY_SLK, writes=True, pk="unit", hidden=LOGGED_IN - UNIT - ONLY_SLK),
    "accounts:person_deactivate": post(ONLY_SLK, pk="person"),
    # Single sign-on without an account: only an anonymous session holding the provider's
    # word reaches the form (tests/test_oidc.py); anyone logged in is sent home.
    "accounts:role_request": get(LOGGED_IN),
    "accounts:role_request_decide": post(ONLY_SLK, pk="role_request"),
    "accounts:two_factor_setup": get(LOGGED_IN, writes=True),
    "accounts:two_factor_verify": get(LOGGED_IN, writes=True),
    # --- the cycle (SLK) --------------------------------------------------------------------
    "award:cycle_list": get(ONLY_SLK),
    "award:cycle_detail": get(ONLY_SLK, **YEAR),
    "award:cycle_phase_close": post(ONLY_SLK, **YEAR),
    "award:cycle_phase_extend": post(ONLY_SLK, **YEAR),
    "award:cycle_reminders": post(ONLY_SLK, **YEAR),
    # Long work in the background: started, watched and downloaded by SLK only.
    "award:cycle_jobs": get(ONLY_SLK, **YEAR),
    "award:job_start": post(ONLY_SLK, **YEAR),
    "award:job_status": get(ONLY_SLK, pk="job"),
    "award:job_download": get(ONLY_SLK, pk="job"),
    # Personal data: export and anonymisation of one person (SLK).
    "award:outbox": get(ONLY_SLK),
    "award:outbox_resend": post(ONLY_SLK, pk="outbox_message"),
    "award:person_search": get(ONLY_SLK),
    "award:person_detail": get(ONLY_SLK, pk="person", writes=True),
    # SLK's people page (accounts): one person's roles, each change with a reason.
    "award:person_roles": get(ONLY_SLK, pk="person"),
    "award:person_role": post(ONLY_SLK, pk="person"),
    "award:person_unit": post(ONLY_SLK, pk="person"),
    "award:person_committee": post(ONLY_SLK, pk="person"),
    "award:person_two_factor": get(ONLY_SLK, pk="person", writes=True),
    # --- applications -------------------------------------------------------------------
    # SLK's list is the overview: application_list redirects there.
    "submissions:application_list": get(UNIT_CONTACTS | ONLY_SLK),
    "submissions:register": get(UNIT_CONTACTS, writes=True),
    "submissions:overview": get(ONLY_SLK),
    "submissions:registrations_approve": post(ONLY_SLK),
    "submissions:application_detail": get(READERS, **APP, hidden=APPLICATION_PAGES),
    "submissions:answer_edit": get(
        UNIT, pk="application", criterion_id="criterion", writes=True, hidden=APPLICATION_PAGES
    ),
    "submissions:details_save": post(UNIT, **APP, hidden=APPLICATION_PAGES),
    # What the unit has done about its last released feedback's areas for improvement.
    "submissions:improvement_notes": post(
        UNIT, pk="application", criterion_id="criterion", hidden=APPLICATION_PAGES
    ),
    "submissions:attachment_upload": post(UNIT, **APP, hidden=APPLICATION_PAGES),
    "submissions:attachment_download": get(
        READERS, pk="application", attachment_id="attachment", hidden=APPLICATION_PAGES
    ),
    "submissions:attachment_delete": post(
        UNIT, pk="application", attachment_id="attachment", hidden=APPLICATION_PAGES
    ),
    "submissions:submit": get(UNIT, **APP, writes=True, hidden=APPLICATION_PAGES),
    "submissions:receipt": get(READERS, **APP, hidden=APPLICATION_PAGES),
    "submissions:withdraw": get(UNIT, **APP, writes=True, hidden=APPLICATION_PAGES),
    "submissions:print": get(READERS, **APP, hidden=APPLICATION_PAGES),
    "submissions:pdf": get(READERS, **APP, hidden=APPLICATION_PAGES),
    "submissions:registration_decide": post(ONLY_SLK, **APP),
    "submissions:extend": post(ONLY_SLK, **APP),
    "submissions:reopen": post(ONLY_SLK, **APP),
    # --- examiners: their own pages -----------------------------------------------------
    "examiners:home": get(EXAMINERS),
    # Any member of staff may offer to examine.
    # Anyone: someone without an account gets the public form (accounts), confirmed by a link.
    "examiners:volunteer": get(EVERYONE, writes=True),
    "examiners:volunteer_confirm": get(EVERYONE, token="volunteer_token"),
    "examiners:volunteer_requests": get(ONLY_SLK),
    "examiners:volunteer_request_decide": post(ONLY_SLK, pk="volunteer_request"),
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
    "examiners:practice_case": get(ONLY_SLK, pk="session", writes=True),
    "examiners:practice_case_copy": post(ONLY_SLK, pk="session"),
    "examiners:practice_calibration": get(ONLY_SLK, pk="session"),
    "examiners:practice_calibration_svg": get(ONLY_SLK, pk="session"),
    # --- the trainee's practice case ---------------------------------------------------------
    "examiners:practice": get({EXAMINER}, pk="practice_case", hidden=PRACTICE),
    "examiners:practice_item": post(
        {EXAMINER}, pk="practice_case", criterion_id="criterion", hidden=PRACTICE
    ),
    "examiners:practice_submit": get({EXAMINER}, pk="practice_case", writes=True, hidden=PRACTICE),
    # --- links without a year: a redirect to the current cycle's page ---------------------
    # The committee is sent on to the evaluation page too, which then refuses it; a member of
    # another cycle's committee only, to the start page.
    "judging:committee_current": get(ANY_COMMITTEE),
    "judging:decisions_current": get(ANY_COMMITTEE),
    "evaluation:evaluation_current": get(ANY_COMMITTEE),
    # --- the examiner's assessment ---------------------------------------------------------
    "scoring:assessment": get(TEAM, **APP, hidden=ASSESSMENT),
    # A criterion of the poster's own assessment: nobody reaches anyone else's.
    "scoring:assessment_item": post(TEAM, pk="application", criterion_id="criterion", hidden=ASSESSMENT),
    "scoring:assessment_submit": get(TEAM, **APP, writes=True, hidden=ASSESSMENT),
    "scoring:assessment_reopen": post(TEAM, **APP, hidden=ASSESSMENT),
    "scoring:assessment_hours": post(TEAM, **APP, hidden=ASSESSMENT),
    # --- consensus and site visit ----------------------------------------------------------
    "scoring:consensus": get(TEAM | ONLY_SLK, **APP, hidden=CONSENSUS),
    "scoring:consensus_start": post({LEADER, SLK}, **APP, hidden=CONSENSUS),
    "scoring:consensus_item_save": post(
        {LEADER, SLK}, pk="application", item_id="consensus_item", hidden=CONSENSUS
    ),
    "scoring:consensus_finalise": get({LEADER, SLK}, **APP, writes=True, hidden=CONSENSUS),
    "judging:site_visit_list": get(COMMITTEE_AND_SLK, **YEAR),
    "scoring:site_visit": get(TEAM | COMMITTEE_AND_SLK, **APP, hidden=SITE_VISIT),
    "judging:site_visit_select": post(COMMITTEE_AND_SLK, **APP, hidden=SITE_VISIT),
    "scoring:site_visit_save": post(TEAM | ONLY_SLK, **APP, hidden=SITE_VISIT),
    "scoring:visit_score_revise": post(
        {LEADER, SLK}, pk="application", item_id="consensus_item", hidden=SITE_VISIT
    ),
    # --- the feedback report ----------------------------------------------------------------
    "scoring:report_edit": get(TEAM | ONLY_SLK, **APP, writes=True, hidden=CONSENSUS),
    "scoring:report_redraft": get({LEADER, SLK}, **APP, writes=True, hidden=CONSENSUS),
    "scoring:report_approve": get(ONLY_SLK, **APP, writes=True, hidden=CONSENSUS),
    # Released: the unit reads it; SLK previews it at any time.
    "scoring:report_unit": get(UNIT | ONLY_SLK, **APP, hidden=UNIT_REPORT),
    "scoring:report_pdf": get(UNIT | ONLY_SLK, **APP, hidden=UNIT_REPORT),
    # --- SLK's overviews ----------------------------------------------------------------------
    "scoring:history": get(ONLY_SLK, **APP),
    "scoring:hours": get(ONLY_SLK, **YEAR),
    # The individual assessment's deadline: every team's day and SLK's extension.
    "scoring:assessment_deadline": get(ONLY_SLK, **YEAR, writes=True),
    "scoring:progress": get(ONLY_SLK, **YEAR),
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
    # Only the chair signs (and the decision is signed already): none of the walk's roles;
    # the cycle's committee is refused the page, another cycle's is not told of the decision.
    "judging:decision_sign": get(NOBODY, pk="decision", writes=True, hidden={OTHER_COMMITTEE}),
    "judging:decision_correct": get(COMMITTEE_AND_SLK, pk="decision", writes=True),
    "judging:good_example_edit": get(ONLY_SLK, pk="outcome", writes=True),
    # --- charts and exports ---------------------------------------------------------------------
    "judging:charts": get(COMMITTEE_AND_SLK, year="year", track_pk="track"),
    "judging:chart_svg": get(COMMITTEE_AND_SLK, year="year", track_pk="track", chart="chart"),
    "judging:calibration_chart": get(ONLY_SLK, **YEAR),
    "judging:calibration_chart_svg": get(ONLY_SLK, **YEAR),
    "judging:profile_chart": get(COMMITTEE_AND_SLK, **APP),
    "judging:profile_chart_svg": get(COMMITTEE_AND_SLK, **APP),
    # The unit's history in the award: its contacts and SLK; another unit's contact gets 404.
    "judging:unit_history": get(UNIT | ONLY_SLK, pk="unit"),
    "judging:unit_profile_svg": get(UNIT | ONLY_SLK, pk="unit"),
    "judging:cycle_export": get(COMMITTEE_AND_SLK, **YEAR),
    # --- evaluation -------------------------------------------------------------------------------
    "evaluation:evaluation": get(ONLY_SLK, **YEAR, writes=True),
    "evaluation:cycle_report": get(ONLY_SLK, **YEAR),
    # The questionnaire was sent to the applicant units' contacts.
    "evaluation:questionnaire_answer": get(UNIT_CONTACTS, pk="questionnaire", writes=True, hidden=RECIPIENTS),
}
