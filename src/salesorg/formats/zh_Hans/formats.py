"""zh-Hans numbers: Chinese finance staff group by thousands with a comma (1,234,567.50).

Django's own zh_Hans formats have no thousands separator, so a grouped figure
(`floatformat:"2g"`, `intcomma`) would read 1234567.50.
"""

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
