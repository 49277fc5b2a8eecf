"""The actions the examiners app records in the audit trail (award.audit.record), each with
the Swedish name the logs show. Registered with award.audit in the app's ready()."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    POOL_VOLUNTEER = "pool.volunteer", _("Intresseanmälan som examinator")
    POOL_ACCEPT = "pool.accept", _("Antagen till examinatorspoolen")
    POOL_DECLINE = "pool.decline", _("Intresseanmälan avböjdes")
    POOL_IMPORT = "pool.import", _("Importerad till examinatorspoolen")
    POOL_MANAGER_APPROVAL = "pool.manager_approval", _("Chefens godkännande registrerades")
    POOL_MAX_TEAMS = "pool.max_teams", _("Högsta antal lag ändrades")
    POOL_PROFILE_CHANGE = "pool.profile_change", _("Examinatorns uppgifter ändrades")
    TRAINING_CREATE = "training.create", _("Utbildningstillfälle skapades")
    TRAINING_CHANGE = "training.change", _("Utbildningstillfälle ändrades")
    TRAINING_CANCEL = "training.cancel", _("Utbildningstillfälle ställdes in")
    TRAINING_ENROL = "training.enrol", _("Anmälan till utbildning")
    TRAINING_ATTENDANCE = "training.attendance", _("Närvaro vid utbildning registrerades")
    PRACTICE_CASE_SAVE = "practice.case_save", _("Övningsfall sparades")
    PRACTICE_SAVE = "practice.save", _("Bedömning av övningsfall sparades")
    PRACTICE_SUBMIT = "practice.submit", _("Bedömning av övningsfall lämnades in")
    CONFLICT_DECLARE = "conflict.declare", _("Jäv deklarerades")
    TEAM_PROPOSE = "team.propose", _("Förslag till examinatorslag skapades")
    TEAM_CREATE = "team.create", _("Examinatorslag skapades")
    TEAM_DELETE = "team.delete", _("Examinatorslag löstes upp")
    TEAM_CONFIRM = "team.confirm", _("Examinatorslaget fastställdes")
    TEAM_LEADER = "team.leader", _("Lagledare utsågs")
    TEAM_MEMBER_ADD = "team.member_add", _("Examinator lades till i laget")
    TEAM_MEMBER_REMOVE = "team.member_remove", _("Examinator togs bort ur laget")
    TEAM_ASSIGN = "team.assign", _("Bidrag tilldelades laget")
    TEAM_UNASSIGN = "team.unassign", _("Bidrag togs bort från laget")
    TEAM_FLAG = "team.flag", _("Laget flaggades")
    TEAM_FLAG_CLEAR = "team.flag_clear", _("Lagets flagga togs bort")
