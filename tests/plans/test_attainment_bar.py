"""plans_tags.attainment_bar, which plans/_attainment.html calls, writes what the template wrote
before it (kept below): the same bar, figure, status and pace, in English and in Chinese."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from plans.attainment import evaluate
from plans.templatetags.plans_tags import attainment_bar

# plans/_attainment.html as it was, a template of several includes per row.
TEMPLATE = """{% load i18n bars formatting plans_tags %}
<div class="attainment position-relative{% if a.lower_is_better %} attainment-lower{% endif %}" title="{{ a.status_label }}">
  <div class="progress progress-thin" role="progressbar" aria-label="{% translate 'Attainment' %}" aria-valuenow="{{ a.bar_percent }}" aria-valuemin="0" aria-valuemax="100">
    <div class="progress-bar bg-{{ a|attainment_style }}{% if a.lower_is_better and a.over_target %} progress-bar-striped{% endif %} {{ a.bar_percent|width_class }}"></div>
  </div>
  <div class="small d-flex flex-wrap justify-content-between align-items-start gap-1">
    <span class="text-nowrap{% if a.lower_is_better and a.over_target %} text-danger fw-semibold{% endif %}">{% if a.percent is not None %}{{ a.percent|num:1 }}%{% else %}–{% endif %}{% if a.lower_is_better %} <span class="text-body-secondary" title="{% translate 'lower is better' %}" aria-hidden="true">↓</span><span class="visually-hidden">{% translate "lower is better" %}</span>{% endif %}</span>
    <span class="badge text-bg-{{ a.status|status_style }}">{{ a.status_label }}</span>
  </div>
  {% if a.pace is not None and a.split %}<div class="small text-body-secondary">{% blocktranslate with pace=a.pace|floatformat:2 due=a.due_percent|num:1 %}pace {{ pace }}× with {{ due }}% of the target due by today (quarterly split){% endblocktranslate %}</div>
  {% elif a.pace is not None %}<div class="small text-body-secondary">{% widthratio a.elapsed 1 100 as elapsed_percent %}{% blocktranslate with pace=a.pace|floatformat:2 elapsed=elapsed_percent %}pace {{ pace }}× with {{ elapsed }}% of the period gone{% endblocktranslate %}</div>{% endif %}
</div>"""  # noqa: E501

START, END = date(2026, 1, 1), date(2026, 12, 31)
ATTAINMENTS = {
    "on pace": {"actual": Decimal("61234.5"), "target": Decimal(100000), "aggregation": "sum", "direction": "higher"},
    "behind": {"actual": Decimal(12000), "target": Decimal(100000), "aggregation": "sum", "direction": "higher"},
    "no data": {"actual": None, "target": Decimal(100000), "aggregation": "sum", "direction": "higher"},
    "no target": {"actual": Decimal(5), "target": None, "aggregation": "sum", "direction": "higher"},
    "cost under budget": {"actual": Decimal(300), "target": Decimal(1000), "aggregation": "sum", "direction": "lower"},
    "cost over budget": {"actual": Decimal(1070), "target": Decimal(1000), "aggregation": "sum", "direction": "lower"},
    "a level": {"actual": Decimal("3.456"), "target": Decimal(5), "aggregation": "average", "direction": "higher"},
    "split by quarter": {
        "actual": Decimal(30000),
        "target": Decimal(100000),
        "aggregation": "sum",
        "direction": "higher",
        "quarters": [Decimal(20000), Decimal(30000), Decimal(30000), Decimal(20000)],
    },
}


def compact(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("case", list(ATTAINMENTS))
def test_the_tag_writes_what_the_template_wrote(case, language):
    attainment = evaluate(start=START, end=END, today=date(2026, 6, 30), **ATTAINMENTS[case])

    with translation.override(language):
        expected = Template(TEMPLATE).render(Context({"a": attainment}))
        written = attainment_bar(attainment)

    assert compact(written) == compact(expected)


def test_the_include_calls_the_tag():
    attainment = evaluate(start=START, end=END, today=date(2026, 6, 30), **ATTAINMENTS["cost over budget"])

    html = Template('{% include "plans/_attainment.html" with a=a %}').render(Context({"a": attainment}))

    assert compact(html) == compact(attainment_bar(attainment))
    assert "progress-bar-striped" in html
