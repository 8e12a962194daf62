"""The default category tree the group starts with (DOMAIN §3); group staff edit it
afterwards. Used by the data migration and by the demo data."""

from django.utils.translation import gettext_noop as N

# (code, name, trade, children)
TREE = [
    (
        "quality",
        N("Construction quality"),
        "",
        [
            ("quality-leak", N("Leaks"), "waterproofing"),
            ("quality-crack", N("Cracks"), "civil"),
            ("quality-windows", N("Doors and windows"), "windows"),
            ("quality-plumbing", N("Water and electricity"), "plumbing"),
            ("quality-hollow", N("Hollow plaster"), "decoration"),
            ("quality-floor", N("Floors and walls"), "decoration"),
        ],
    ),
    (
        "property",
        N("Property services"),
        "property",
        [
            ("property-security", N("Security"), "property"),
            ("property-cleaning", N("Cleaning and greenery"), "property"),
            ("property-parking", N("Parking"), "property"),
            ("property-fees", N("Service fees"), "property"),
        ],
    ),
    ("sales", N("Sales promises"), "sales", []),
    ("facilities", N("Community facilities"), "civil", []),
    ("design", N("Design"), "design", []),
    ("other", N("Other"), "other", []),
]

# Stored names are Chinese, as the group's staff type them.
NAMES_ZH = {
    "quality": "工程质量",
    "quality-leak": "渗漏",
    "quality-crack": "开裂",
    "quality-windows": "门窗",
    "quality-plumbing": "水电",
    "quality-hollow": "空鼓",
    "quality-floor": "地面墙面",
    "property": "物业服务",
    "property-security": "安保",
    "property-cleaning": "保洁绿化",
    "property-parking": "停车",
    "property-fees": "物业费",
    "sales": "销售承诺",
    "facilities": "配套设施",
    "design": "设计",
    "other": "其他",
}


def create_defaults(Category) -> int:
    """Create the missing default categories (idempotent); returns how many."""
    created = 0
    for order, (code, _name, trade, children) in enumerate(TREE, start=1):
        parent, made = Category.objects.get_or_create(
            code=code, defaults={"name": NAMES_ZH[code], "trade": trade, "order": order * 10}
        )
        created += made
        for child_order, (child_code, _child_name, child_trade) in enumerate(children, start=1):
            _child, made = Category.objects.get_or_create(
                code=child_code,
                defaults={
                    "name": NAMES_ZH[child_code],
                    "trade": child_trade,
                    "parent": parent,
                    "order": child_order * 10,
                },
            )
            created += made
    return created
