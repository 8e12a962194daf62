"""vanke_crm.forms.QuickSelect draws a select without a template per option (the
queue's filter bar, decision 0028) and marks its HTML safe: every label, value and
attribute must come out escaped, as Django's own Select does."""

from django import forms

from vanke_crm.forms import QuickSelect

HOSTILE_LABEL = "<script>alert(1)</script>"
HOSTILE_VALUE = '"><img src=x onerror=alert(1)>'


class Pick(forms.Form):
    choice = forms.ChoiceField(
        choices=[("", "全部"), (HOSTILE_VALUE, HOSTILE_LABEL), ("b", "B & C")],
        widget=QuickSelect(attrs={"data-note": '"onmouseover=alert(1)'}),
    )
    grouped = forms.ChoiceField(
        choices=[(HOSTILE_LABEL, [("x", "X")])], widget=QuickSelect, required=False
    )


def test_labels_values_and_attributes_come_out_escaped():
    html = str(Pick({"choice": HOSTILE_VALUE})["choice"])
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'value="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" selected' in html
    assert 'data-note="&quot;onmouseover=alert(1)"' in html
    assert "B &amp; C" in html
    grouped = str(Pick()["grouped"])
    assert '<optgroup label="&lt;script&gt;alert(1)&lt;/script&gt;">' in grouped


def test_the_same_options_as_djangos_select():
    class Plain(forms.Form):
        choice = forms.ChoiceField(choices=Pick.base_fields["choice"].choices)

    quick = str(Pick({"choice": "b"})["choice"])
    plain = str(Plain({"choice": "b"})["choice"])
    options = [part.split("</option>")[0] for part in plain.split("<option")[1:]]
    for option in options:
        assert "<option" + option + "</option>" in quick
