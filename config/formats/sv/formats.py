"""The one Swedish way this service writes a date ("3 december 2026") and a moment
("3 december 2026 kl. 14.05"), for every page, message and e-mail: templates say
`|date:"DATE_FORMAT"` or `|date:"DATETIME_FORMAT"`, Python `date_format(value)`.
What is not set here (the input formats) comes from Django's own sv locale. Exports to
Excel and the log's stored values keep ISO dates, which sort and parse."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = r"j F Y \k\l. H.i"
MONTH_DAY_FORMAT = "j F"
