"""Events the complaints app publishes (events.bus, decision 0016): after commit, with
the case id. The club, surveys and the forum subscribe to what concerns them."""

CASE_RECEIVED = "complaints.case_received"
CASE_RESOLVED = "complaints.case_resolved"
CASE_CLOSED = "complaints.case_closed"
CASE_REOPENED = "complaints.case_reopened"
CASE_ESCALATED = "complaints.case_escalated"
TASK_DISPATCHED = "complaints.task_dispatched"
INCIDENT_CREATED = "complaints.incident_created"  # incident, case (the lead)
INCIDENT_LINKED = "complaints.incident_linked"  # incident, case
INCIDENT_UNLINKED = "complaints.incident_unlinked"  # incident, case
