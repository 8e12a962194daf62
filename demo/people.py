"""The demo staff: one login per role per company, printed by `make run`."""

DEMO_PASSWORD = "vanke-demo-2026"

GROUP = {"name": "万科集团", "code": "vanke"}

COMPANIES = [
    {
        "code": "sz",
        "name": "深圳万科",
        "city": "深圳",
        "address": "深圳市盐田区大梅沙环梅路33号",
        "hotline": "0755-2560-6666",
        "projects": [
            ("sz-wkc", "万科城", "龙岗区"),
            ("sz-dwy", "第五园", "龙岗区"),
            ("sz-fcbj", "翡翠滨江", "宝安区"),
        ],
    },
    {
        "code": "sh",
        "name": "上海万科",
        "city": "上海",
        "address": "上海市闵行区宜山路1999号",
        "hotline": "021-6477-8888",
        "projects": [
            ("sh-fcgy", "翡翠公园", "闵行区"),
            ("sh-csgz", "城市之光", "普陀区"),
            ("sh-wjf", "五玠坊", "长宁区"),
        ],
    },
    {
        "code": "bj",
        "name": "北京万科",
        "city": "北京",
        "address": "北京市朝阳区安定路5号",
        "hotline": "010-5929-9999",
        "projects": [
            ("bj-cshy", "城市花园", "昌平区"),
            ("bj-xsty", "西山庭院", "海淀区"),
            ("bj-fcca", "翡翠长安", "丰台区"),
        ],
    },
]

DEPARTMENTS = [
    ("crm", "客户关系中心"),
    ("engineering", "工程管理部"),
    ("property", "物业服务中心"),
    ("sales", "营销管理部"),
    ("design", "设计管理部"),
    ("contractor", "中建三局（施工单位）"),
]

# (username suffix, role, department kind, name per company code)
STAFF = [
    ("crm", "company_crm", "crm", {"sz": "陈晓敏", "sh": "王丽华", "bj": "刘建国"}),
    ("engineer", "handler", "engineering", {"sz": "黄志强", "sh": "周伟", "bj": "赵永刚"}),
    ("property", "handler", "property", {"sz": "林芳", "sh": "徐静", "bj": "孙海燕"}),
    ("contractor", "handler", "contractor", {"sz": "郑大勇", "sh": "吴建华", "bj": "马小军"}),
    ("manager", "manager", "crm", {"sz": "李志远", "sh": "张明辉", "bj": "杨帆"}),
]
GROUP_STAFF = ("group_crm", "郭慧敏")

ROLE_LABELS = {
    "group_crm": "集团客户关系中心 · group CRM staff",
    "company_crm": "company CRM staff",
    "handler": "handler",
    "manager": "manager",
}


def demo_logins():
    rows = [(GROUP_STAFF[0], GROUP_STAFF[1], ROLE_LABELS["group_crm"] + " (all companies)")]
    for company in COMPANIES:
        for suffix, role, dept, names in STAFF:
            rows.append(
                (
                    f"{company['code']}_{suffix}",
                    names[company["code"]],
                    f"{company['name']} · {ROLE_LABELS[role]} ({dept})",
                )
            )
    return rows
