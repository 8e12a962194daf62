"""What moves a case page's cached parts on (vanke_crm.listcache, decision 0028): the
case's version moves with every write to the case, its tasks, notes and photos and
with every event recorded on it or its tasks; a rename of a person or a department
retires every case's parts. Writes that send no signal call `touch_case` themselves
(the escalation UPDATE, the cancelled tasks' UPDATE).

The dispatch form's choices (a company's departments and handlers) are kept the same
way under the company's `PEOPLE` version: a department's or a membership's save moves
it on, and a user's rename or (de)activation retires them with every case's parts."""

from vanke_crm import listcache

KIND = "case"
PEOPLE = "company-people"


def touch_case(*case_ids) -> None:
    listcache.touch_objects(KIND, *case_ids)


def register() -> None:
    from django.contrib.auth import get_user_model

    from org.models import Company, Department, Membership
    from vanke_crm.transitions import events_recorded

    from .models import Attachment, Case, CaseNote, Task

    listcache.track_object(Case, KIND, "pk")
    for model in (Task, CaseNote, Attachment):
        listcache.track_object(model, KIND, "case_id")
    for model in (Department, Membership):
        listcache.track_object(model, PEOPLE, "company_id")
    listcache.track_names(get_user_model(), ("name", "username", "is_active"))
    listcache.track_names(Department, ("name",))
    listcache.track_names(Company, ("name",))  # a department's label names its company

    def recorded(sender, objs, **kwargs):
        if sender is Case:
            touch_case(*(case.pk for case in objs))
        elif sender is Task:
            touch_case(*(task.case_id for task in objs))

    events_recorded.connect(recorded, weak=False, dispatch_uid="complaints-case-parts")
