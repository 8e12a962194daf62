"""Cases in bulk for benchmarks (`seed_demo --scale N`: N × 100,000 cases) and for the
tests that count queries at size. One INSERT … SELECT per company, generated in the
database, so a million cases take a minute or two, not hours.

These cases are made in SQL, not through the services: they have no history rows
(simple_history), no events and no outbox messages; their deadlines are wall-clock
offsets from the time received (the services count working hours). They look like a
year of work: most are closed, the open ones were received in the last weeks, and
those already past a deadline carry the flags the sweeper would have set, so the
sweeper finds nothing to do in them (the benchmark makes its own due cases)."""

from django.db import connection

from org.models import Company, Unit

from .models import Case, Category

PER_SCALE = 100_000
PREFIX = "B"  # bulk numbers: B + company id + serial, never a services number

# (status, share in ‰): most of a year's cases are closed.
STATUSES = [
    ("closed", 800),
    ("cancelled", 30),
    ("awaiting_visit", 40),
    ("resolved", 20),
    ("in_progress", 40),
    ("dispatched", 30),
    ("accepted", 20),
    ("received", 20),
]
TYPES = ["repair", "repair", "complaint", "complaint", "consultation", "suggestion", "praise"]
CHANNELS = ["hotline"] * 5 + ["walk_in", "email", "portal", "forum", "return_visit"]
TITLES = [
    ("卫生间渗水", "楼下住户反映卫生间天花板渗水，怀疑防水层破损。"),
    ("客厅墙面开裂", "客厅与阳台交界处墙面出现裂缝。"),
    ("窗户关不严", "主卧窗户关闭不严，下雨进水。"),
    ("厨房下水堵塞", "厨房水槽下水缓慢，疑似管道堵塞。"),
    ("地砖空鼓", "客厅多块地砖敲击有空响。"),
    ("垃圾清运不及时", "楼下垃圾桶满溢两天无人清理。"),
    ("车位租赁咨询", "想了解地下车位的租赁价格和手续。"),
]


def _status_case_sql() -> str:
    """A CASE expression picking a status from the random number r in [0, 1000)."""
    parts, upto = [], 0
    for status, share in STATUSES:
        upto += share
        parts.append(f"WHEN r < {upto} THEN '{status}'")
    return "CASE " + " ".join(parts) + " ELSE 'closed' END"


def _array(values) -> str:
    return "ARRAY[" + ",".join(f"'{v}'" for v in values) + "]"


def _pool(company):
    """Owners with their unit and project, as parallel arrays (at most 50,000), read
    through org.Unit's relation (complaints does not import customers' models)."""
    rows = list(
        Unit.objects.filter(building__project__company=company, ownerships__isnull=False)
        .values_list("ownerships__customer_id", "pk", "building__project_id")
        .order_by("ownerships__id")[:50_000]
    )
    return [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]


def insert_cases(company, count: int, *, start: int = 0, owners: list[int] | None = None) -> int:
    """Insert `count` cases for `company`, those past "received" in the hands of one of
    `owners` (customer-relations staff); returns how many were inserted."""
    if count <= 0:
        return 0
    customers, units, projects = _pool(company)
    if not customers:
        return 0
    categories = list(
        Category.objects.filter(is_active=True, parent__isnull=False).values_list("pk", flat=True)
    ) or list(Category.objects.values_list("pk", flat=True))
    titles = [t for t, _d in TITLES]
    texts = [d for _t, d in TITLES]
    open_ = ",".join(f"'{s}'" for s in Case.WORKING)
    # The f-string inserts only constants of this module; values are parameters.
    sql = f"""
    WITH g AS (
        SELECT n,
               floor(random() * %(pool)s)::int + 1 AS i,
               floor(random() * 1000)::int AS r,
               random() AS t
        FROM generate_series(%(first)s, %(last)s) AS n
    ), s AS (
        SELECT g.*, {_status_case_sql()} AS status FROM g
    ), c AS (
        SELECT s.*,
               -- open cases came in the last 30 days, the others over a year
               now() - (CASE WHEN s.status IN ({open_}, 'resolved', 'awaiting_visit')
                             THEN s.t * interval '30 days'
                             ELSE s.t * interval '365 days' END) AS received
        FROM s
    )
    INSERT INTO complaints_case (
        number, public_token, company_id, project_id, unit_id, customer_id,
        caller_name, caller_mobile, type, channel, severity, category_id, title,
        description, status, assignee_id, created_by_id, response_due_at, resolve_due_at,
        responded_at, resolved_at, closed_at, paused_since, pauses, resolution,
        visit_due_at, visit_verdict, visit_comment, visited_at, reopen_count, warned_at,
        escalation, escalated_company_at, escalated_group_at, escalation_reason,
        created_at, updated_at
    )
    SELECT
        %(prefix)s || lpad(n::text, 9, '0'),
        gen_random_uuid(), %(company)s,
        (%(projects)s::int[])[i], (%(units)s::int[])[i], (%(customers)s::int[])[i],
        '', '',
        (%(types)s::text[])[1 + (n %% {len(TYPES)})],
        (%(channels)s::text[])[1 + ((n / 7) %% {len(CHANNELS)})],
        CASE WHEN r %% 50 = 0 THEN 'serious' ELSE 'normal' END,
        (%(categories)s::int[])[1 + (n %% %(ncat)s)],
        (%(titles)s::text[])[1 + (n %% {len(TITLES)})],
        (%(texts)s::text[])[1 + (n %% {len(TITLES)})],
        status,
        CASE WHEN status <> 'received'
             THEN (%(owners)s::int[])[1 + (n %% greatest(cardinality(%(owners)s::int[]), 1))]
        END,
        NULL,
        received + interval '4 hours', received + interval '3 days',
        CASE WHEN status <> 'received' THEN received + interval '1 hour' END,
        CASE WHEN status IN ('resolved', 'awaiting_visit', 'closed')
             THEN received + interval '2 days' END,
        CASE WHEN status IN ('closed', 'cancelled') THEN received + interval '4 days' END,
        NULL, '[]'::jsonb,
        CASE WHEN status IN ('resolved', 'awaiting_visit', 'closed') THEN '已处理完毕' ELSE '' END,
        CASE WHEN status IN ('awaiting_visit', 'closed') THEN received + interval '5 days' END,
        CASE WHEN status = 'closed' AND r %% 3 = 0 THEN 'satisfied'
             WHEN status = 'closed' AND r %% 3 = 1 THEN 'basically'
             WHEN status = 'closed' THEN 'satisfied' ELSE '' END,
        '',
        CASE WHEN status = 'closed' THEN received + interval '4 days' END,
        0,
        -- what the sweeper would have done already to a case past its deadline
        CASE WHEN status IN ({open_}) AND received + interval '3 days' < now() + interval '4 hours'
             THEN now() END,
        CASE WHEN status IN ({open_}) AND received + interval '6 days' < now() THEN 2
             WHEN status IN ({open_}) AND received + interval '3 days' < now() THEN 1
             ELSE 0 END,
        CASE WHEN status IN ({open_}) AND received + interval '3 days' < now() THEN now() END,
        CASE WHEN status IN ({open_}) AND received + interval '6 days' < now() THEN now() END,
        '',
        received, received
    FROM c
    """  # noqa: S608
    params = {
        "pool": len(customers),
        "first": start + 1,
        "last": start + count,
        "prefix": f"{PREFIX}{company.pk:03d}",
        "company": company.pk,
        "projects": projects,
        "units": units,
        "customers": customers,
        "types": TYPES,
        "channels": CHANNELS,
        "categories": categories,
        "ncat": len(categories),
        "titles": titles,
        "texts": texts,
        "owners": owners or [None],
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def insert_tasks(company, handler_ids: list[int], department_id: int | None) -> int:
    """One task for each bulk case of `company` that was dispatched or later."""
    if not handler_ids and department_id is None:
        return 0
    sql = """
    INSERT INTO complaints_task (
        case_id, parent_id, department_id, assignee_id, trade, instructions, due_at,
        status, accepted_at, done_at, resolution, sent_back_reason, created_by_id,
        created_at, updated_at
    )
    SELECT c.id, NULL, %(department)s,
           (%(handlers)s::int[])[1 + (c.id %% greatest(cardinality(%(handlers)s::int[]), 1))],
           '', '请尽快联系业主上门处理', c.created_at + interval '2 days',
           CASE c.status WHEN 'dispatched' THEN 'sent' WHEN 'in_progress' THEN 'in_progress'
                WHEN 'cancelled' THEN 'cancelled' ELSE 'done' END,
           CASE WHEN c.status <> 'dispatched' THEN c.created_at + interval '2 hours' END,
           CASE WHEN c.status IN ('resolved', 'awaiting_visit', 'closed')
                THEN c.created_at + interval '2 days' END,
           CASE WHEN c.status IN ('resolved', 'awaiting_visit', 'closed')
                THEN '已上门处理完毕' ELSE '' END,
           '', NULL, c.created_at + interval '1 hour', c.created_at + interval '1 hour'
    FROM complaints_case c
    WHERE c.company_id = %(company)s AND c.number LIKE %(prefix)s
      AND c.status IN ('dispatched', 'in_progress', 'resolved', 'awaiting_visit', 'closed')
      AND c.type IN ('repair', 'complaint')
      AND NOT EXISTS (SELECT 1 FROM complaints_task t WHERE t.case_id = c.id)
    """
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "company": company.pk,
                "department": department_id,
                "handlers": handler_ids or [None],
                "prefix": f"{PREFIX}{company.pk:03d}%",
            },
        )
        return cursor.rowcount


def seed(ctx, *, total: int | None = None) -> int:
    """Bring the bulk cases up to `total` (default scale × 100,000), shared among the
    companies by their number of owners; idempotent (counts what is there)."""
    from org.models import Department, Membership, Role
    from vanke_crm import listcache

    total = PER_SCALE * ctx.scale if total is None else total
    companies = list(Company.objects.order_by("pk"))
    sizes = {
        c.pk: Unit.objects.filter(building__project__company=c, ownerships__isnull=False).count()
        for c in companies
    }
    owners = sum(sizes.values()) or 1
    made = 0
    for company in companies:
        want = round(total * sizes[company.pk] / owners)
        have = Case.objects.filter(company=company, number__startswith=f"{PREFIX}{company.pk:03d}")
        have = have.count()
        crm = list(
            Membership.objects.filter(
                company=company, role=Role.COMPANY_CRM, is_active=True
            ).values_list("user_id", flat=True)
        )
        added = insert_cases(company, want - have, start=have, owners=crm)
        handlers = list(
            Membership.objects.filter(
                company=company, role=Role.HANDLER, is_active=True
            ).values_list("user_id", flat=True)
        )
        department = (
            Department.objects.filter(company=company, kind="engineering")
            .values_list("pk", flat=True)
            .first()
        )
        if added:
            # Fresh statistics first: planned on the empty tables the seed began with,
            # the NOT EXISTS below becomes a scan of every task per case (minutes).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE complaints_case")
                cursor.execute("ANALYZE complaints_task")
        tasks = insert_tasks(company, handlers, department) if added else 0
        made += added
        if added:
            ctx.say(f"  complaints (bulk): {company.name} +{added} cases, +{tasks} tasks")
    if made:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE complaints_case")
            cursor.execute("ANALYZE complaints_task")
        listcache.touch()
        listcache.touch_every_object()
    return made
