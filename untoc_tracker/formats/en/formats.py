"""English dates as the depositary writes them; the other languages keep Django's formats.

DATE_FORMAT is the long form of headings and citations ("30 June 2007"), SHORT_DATE_FORMAT
the depositary's form in tables ("12 Dec 2000"). In French they read "30 juin 2007" and
"12/12/2000" and in German "30. Juni 2007" and "12.12.2000".
"""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y H:i"
