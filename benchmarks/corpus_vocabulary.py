"""What the synthetic corpus is drawn from: publishers, topics, table rows, prose wording.

Also the vocabularies (producers, places, measures) its specs name, written into the
corpus's flows/vocabularies by benchmarks.corpus. Changing anything here changes the
corpus's bytes: bump benchmarks.corpus.GENERATOR_VERSION.
"""

AGENCIES = [
    ("Federal Sentencing Office", "US federal", "primary_statistics"),
    ("State Crime Statistics Bureau", "Minnesota", "primary_statistics"),
    ("Regional Task Force Program", "Upper Midwest", "primary_statistics"),
    ("County Attorney's Office", "Hennepin County", "press_release"),
    ("City Police Department", "Minneapolis", "press_release"),
    ("Metro News Desk", "Minnesota", "news"),
    ("Child Safety Coalition", "US federal", "advocacy"),
]
# the vocabularies of the synthetic corpus: each publisher measured its own figures
PRODUCER_KINDS = {
    "Federal Sentencing Office": "federal_agency",
    "State Crime Statistics Bureau": "federal_agency",
    "Regional Task Force Program": "task_force",
    "County Attorney's Office": "city_government",
    "City Police Department": "police_department",
    "Metro News Desk": "unknown",
    "Child Safety Coalition": "nonprofit",
}
MEASURES = {  # measure id -> (unit, definition)
    "offenders-sentenced": ("count", "Number of offenders sentenced."),
    "share-of-offenders": ("percent", "Share of the offenders in the universe."),
    "change-in-offenders-sentenced": ("percent_change", "Change in offenders sentenced."),
    "sentence-months": ("months", "Length of the sentences imposed, in months."),
    "average-sentence-months": ("months", "Average length of the sentences, in months."),
    "reports-received": ("count", "Number of reports received."),
    "task-forces": ("count", "Number of task forces."),
}
PLACES = {  # jurisdiction -> (level, parent jurisdiction)
    "US federal": ("country", None),
    "Minnesota": ("state", "US federal"),
    "Upper Midwest": ("region", "US federal"),
    "Hennepin County": ("county", "Minnesota"),
    "Minneapolis": ("city", "Hennepin County"),
}
TOPICS = [
    "Production Offenses",
    "Non-Production Offenses",
    "Online Enticement",
    "Trafficking of Juveniles",
    "Sentencing Practices",
    "Investigations and Arrests",
]
TABLES = [
    ("Method of Production", ["Smartphone or Tablet", "Victim Produced", "Other Camera"]),
    ("Sexual Contact During Production", ["Offender Contact", "Co-participant Contact"]),
    ("Relationship to the Victim", ["Relative", "Person of Trust", "Internet Stranger"]),
    ("Age of the Victim", ["Infant or Toddler", "Prepubescent", "Pubescent"]),
    ("Platform Used", ["Social Media", "Messaging Application", "Gaming Platform"]),
    ("Type of Disposition", ["Plea Agreement", "Trial Conviction", "Dismissal"]),
    ("Sentence Relative to Guideline Range", ["Within Range", "Below Range", "Above Range"]),
    ("Criminal History", ["No Prior Record", "Prior Sex Offense", "Prior Other Offense"]),
    ("Distribution Conduct", ["Peer-to-Peer Network", "Email", "Cloud Storage"]),
    ("Victim Identification", ["Identified by Police", "Identified by Agency", "Unidentified"]),
]
OTHER_LABELS = [
    "Other",
    "Unknown",
    "Not Reported",
    "Pending Review",
    "Multiple Categories",
    "Referred Elsewhere",
    "Not Applicable",
    "Missing Information",
    "Under Review",
    "Declined to State",
    "Other Known",
    "Insufficient Information",
]
NOUNS = ["offenders", "cases", "reports", "victims", "investigations", "arrests"]
# number words for prose counts: read by csedata.numbers, each a ledger token
WORD_COUNTS = {21: "twenty-one", 34: "thirty-four", 47: "forty-seven", 58: "fifty-eight"}
RATIOS = [("one in three", "three"), ("one in four", "four"), ("one in five", "five")]
FRACTIONS = ["two-thirds", "three-quarters", "half"]
