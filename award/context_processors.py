from award.roles import Role, roles_of


def roles(request):
    user_roles = roles_of(request.user)
    return {
        "user_roles": user_roles,
        "is_slk": Role.SLK in user_roles,
        "is_committee": Role.COMMITTEE in user_roles,
        "is_examiner": Role.EXAMINER in user_roles,
        "is_unit_contact": Role.UNIT_CONTACT in user_roles,
    }
