"""The Django admin from a test: what a change form posts back when nothing is changed."""


def admin_post_data(response) -> dict:
    """What the admin's change form posts back unchanged, inlines included."""
    data = {}

    def put(form):
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if value is None or value is False:
                continue
            key = form.add_prefix(name)
            data[key] = "on" if value is True else value.isoformat() if hasattr(value, "isoformat") else value

    put(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = value
        for form in formset.forms:
            put(form)
    return data
