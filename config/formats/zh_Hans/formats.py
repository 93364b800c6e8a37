# Chinese business documents group thousands with a comma (¥1,200,000), as the templates do.
from django.conf.locale.zh_Hans.formats import *  # noqa: F403

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
