"""The words of the benchmark archive: names, places and sentences in a county council's own
vocabulary, drawn by a seeded generator so that every run fills the same text.

The text only has to be realistic enough for search to do real work: English words that
stem, a few thousand distinct terms, common words (budget, school) and rare ones (a small
town's name), and documents of a few hundred words.
"""

import random

FIRST_NAMES = (
    "Alan", "Alice", "Andrew", "Anne", "Barbara", "Bernard", "Carl", "Catherine", "Charles", "Christine",
    "David", "Deborah", "Derek", "Eddie", "Elizabeth", "Frank", "Gail", "Geoff", "Graham", "Hazel",
    "Ian", "Irene", "Jackie", "James", "Janice", "Jean", "John", "Joyce", "Julie", "Keith", "Kevin",
    "Lesley", "Lorraine", "Malcolm", "Margaret", "Mark", "Marcus", "Matthew", "Michael", "Mohammed",
    "Munsif", "Nikki", "Paul", "Peter", "Phillippa", "Rachel", "Richard", "Robert", "Sandra", "Shaun",
    "Stephen", "Susan", "Terry", "Tony", "Yousuf", "Zafar",
)  # fmt: skip
SURNAMES = (
    "Ahmed", "Ali", "Ashton", "Atkinson", "Barnes", "Berry", "Brindle", "Brown", "Buckley", "Clifford",
    "Cooney", "Crossley", "Dad", "Dawson", "De Molfetta", "Driver", "Edwards", "Ellard", "Evans",
    "Fillis", "Gibson", "Gooch", "Green", "Hargreaves", "Harrison", "Hennessy", "Holgate", "Howarth",
    "Hughes", "Iddon", "Jones", "Kay", "Kennedy", "Khan", "Lord", "Martin", "Mein", "Molineux", "Moss",
    "Oades", "Parkinson", "Perks", "Potter", "Rigby", "Riggott", "Salter", "Sedgewick", "Serridge",
    "Shedwick", "Smith", "Snape", "Swarbrick", "Tomlinson", "Turner", "Walker", "Watson", "Whipp",
    "Wilkins", "Yates",
)  # fmt: skip
PARTIES = (
    "Conservative",
    "Conservative",
    "Conservative",
    "Labour",
    "Labour",
    "Liberal Democrat",
    "Green",
    "Independent",
)
PLACES = (
    "Accrington", "Adlington", "Bacup", "Barnoldswick", "Brierfield", "Burnley", "Carnforth", "Chorley",
    "Clayton-le-Moors", "Clitheroe", "Colne", "Darwen", "Earby", "Fleetwood", "Garstang", "Great Harwood",
    "Haslingden", "Heysham", "Hyndburn", "Kirkham", "Lancaster", "Leyland", "Longridge", "Lytham St Annes",
    "Morecambe", "Nelson", "Ormskirk", "Oswaldtwistle", "Padiham", "Penwortham", "Poulton-le-Fylde",
    "Preesall", "Preston", "Rawtenstall", "Ribble Valley", "Rossendale", "Silverdale", "Skelmersdale",
    "Thornton-Cleveleys", "Whalley", "Whitworth", "Wyre",
)  # fmt: skip
DIVISION_SUFFIXES = ("North", "South", "East", "West", "Central", "Rural")

OFFICER_TITLES = (
    "Director of Highways and Transport", "Director of Finance", "Director of Public Health",
    "Director of Adult Services", "Director of Children's Services", "Director of Education and Skills",
    "Head of Legal and Democratic Services", "Head of Service, Waste Management", "Head of Service, Libraries",
    "Head of Service, Asset Management", "Head of Service, Procurement", "Head of Service, Planning and Environment",
    "Head of Service, Business Intelligence", "Head of Service, Highways", "Head of Service, Education Improvement",
    "Democratic Services Officer", "Senior Democratic Services Officer", "Chief Internal Auditor",
    "Pension Fund Manager", "Senior Solicitor", "Principal Planning Officer", "Corporate Risk Manager",
)  # fmt: skip

# Committee names of a large county council (40). The kind follows Committee.Kind.
COMMITTEES = (
    ("Full Council", "full_council"),
    ("Cabinet", "cabinet"),
    ("Cabinet Committee on Performance Improvement", "cabinet_committee"),
    ("Cabinet Committee on Asset Management", "cabinet_committee"),
    ("Cabinet Committee on Highways Investment", "cabinet_committee"),
    ("Cabinet Committee on Children's Services Transformation", "cabinet_committee"),
    ("Audit, Risk and Governance Committee", "audit"),
    ("Pension Fund Committee", "other"),
    ("Local Pension Board", "other"),
    ("Employment Committee", "other"),
    ("Development Control Committee", "regulatory"),
    ("Regulatory Committee", "regulatory"),
    ("Lancashire Health and Wellbeing Board", "other"),
    ("Health Scrutiny Committee", "scrutiny"),
    ("Health Steering Group", "scrutiny"),
    ("Internal Scrutiny Committee", "scrutiny"),
    ("External Scrutiny Committee", "scrutiny"),
    ("Education Scrutiny Committee", "scrutiny"),
    ("Children's Services Scrutiny Committee", "scrutiny"),
    ("Adult Services Scrutiny Committee", "scrutiny"),
    ("Environment, Economic Growth and Transport Scrutiny Committee", "scrutiny"),
    ("Budget Scrutiny Review Panel", "scrutiny"),
    ("Community, Cultural and Corporate Services Scrutiny Committee", "scrutiny"),
    ("Corporate Parenting Board", "other"),
    ("Standards Committee", "other"),
    ("Student Support Appeals Committee", "other"),
    ("Lancashire Local - Burnley", "other"),
    ("Lancashire Local - Chorley", "other"),
    ("Lancashire Local - Fylde", "other"),
    ("Lancashire Local - Hyndburn", "other"),
    ("Lancashire Local - Lancaster", "other"),
    ("Lancashire Local - Pendle", "other"),
    ("Lancashire Local - Preston", "other"),
    ("Lancashire Local - Ribble Valley", "other"),
    ("Lancashire Local - Rossendale", "other"),
    ("Lancashire Local - South Ribble", "other"),
    ("Lancashire Local - West Lancashire", "other"),
    ("Lancashire Local - Wyre", "other"),
    ("Joint Consultative Committee", "other"),
    ("Lancashire Schools Forum", "other"),
)

VENUES = (
    ("Cabinet Room 'C' - The Duke of Lancaster Room", "County Hall, Preston"),
    ("Committee Room 'A' - The Tudor Room", "County Hall, Preston"),
    ("Committee Room 'B' - The Diamond Jubilee Room", "County Hall, Preston"),
    ("Council Chamber", "County Hall, Preston"),
    ("Committee Room 'D' - The Henry Bolingbroke Room", "County Hall, Preston"),
    ("Council Chamber", "Burnley Town Hall, Manchester Road, Burnley"),
    ("Banqueting Suite", "Lancaster Town Hall, Dalton Square, Lancaster"),
    ("Council Chamber", "Chorley Town Hall, Market Street, Chorley"),
)

SERVICES = (
    "the revenue budget", "the capital programme", "the highways maintenance contract",
    "home to school transport", "the adult social care charging policy", "the local transport plan",
    "the special educational needs and disabilities service", "the waste management strategy",
    "flood risk management", "the pension fund investment strategy", "library opening hours",
    "the treasury management strategy", "children's centres", "the public health grant",
    "residential care fees", "bus service subsidies", "street lighting", "the minerals and waste local plan",
    "school place planning", "the corporate risk register", "household waste recycling centres",
    "the youth justice plan", "foster care allowances", "the domestic abuse strategy", "road safety schemes",
    "the broadband delivery programme", "county farms", "the museums service", "winter gritting",
    "public rights of way", "the enterprise zone", "apprenticeships", "the council tax precept",
    "the medium term financial strategy", "agency staffing", "the property rationalisation programme",
    "early help services", "the carers strategy", "integrated care", "the countryside service",
    "the internal audit plan", "the annual governance statement", "procurement of cleaning services",
    "the registration service", "trading standards", "the school improvement service", "post-16 transport",
    "the dementia strategy", "drug and alcohol treatment services", "cycling and walking infrastructure",
)  # fmt: skip
SUBJECTS = (
    "The County Council", "The Cabinet", "The Committee", "The Cabinet Member", "Officers", "The Director",
    "The Head of Service", "The Chair", "Members", "The working group", "The Scrutiny Committee",
    "The Health and Wellbeing Board", "The Section 151 Officer", "The Monitoring Officer", "Internal Audit",
)  # fmt: skip
VERBS = (
    "has approved", "is asked to note", "will review", "recommends changes to", "has consulted on",
    "continues to monitor", "proposes to extend", "agreed to defer", "raised concerns about",
    "welcomed the progress on", "requested a further report on", "noted the overspend on",
    "supported the proposals for", "considered the options for", "received an update on",
    "has commissioned a review of", "endorsed the priorities for", "will re-tender", "is invited to comment on",
    "delegated authority in respect of",
)  # fmt: skip
QUALIFIERS = (
    "for {year}", "in {place}", "following consultation with {group}", "within the agreed budget",
    "subject to the approval of Full Council", "by the end of the financial year",
    "in line with the Care Act 2014", "as set out in Appendix {letter}", "across all districts",
    "with effect from 1 April {year_start}", "for a further period of two years", "in partnership with {group}",
    "at a cost of £{money} million", "to address a shortfall of {percent} per cent",
    "in accordance with the Council's Procurement Rules", "pending the outcome of the judicial review",
    "following the Ofsted inspection", "in response to the petition from residents of {place}",
)  # fmt: skip
GROUPS = (
    "schools", "parish councils", "the NHS", "district councils", "service users", "trade unions", "carers",
    "the Environment Agency", "Lancashire Constabulary", "the Local Enterprise Partnership", "bus operators",
    "providers", "young people", "the voluntary, community and faith sector", "Highways England",
    "the clinical commissioning groups", "head teachers", "governors", "parents",
)  # fmt: skip
OTHER_SENTENCES = (
    "The overall cost of {service} is estimated at £{money} million, an increase of {percent} per cent on the previous year.",
    "A report on {service} in {place} was considered by the Committee in {month} {year_start}.",
    "Performance against the target for {service} was rated {rag} at the end of quarter {quarter}.",
    "Residents of {place} responded to the consultation on {service} in large numbers.",
    "The risk that {service} cannot be delivered within the budget is rated {rag}.",
    "There are no significant legal or financial implications arising from this report.",
    "An equality impact assessment of {service} has been completed and is attached.",
    "The contract for {service} expires on 31 March {year_end} and a procurement exercise is under way.",
    "Savings of £{money} million from {service} are assumed in the medium term financial strategy.",
    "Members asked how {service} would be affected in {place} and officers agreed to respond in writing.",
    "The number of complaints about {service} fell by {percent} per cent over the year.",
    "Demand for {service} continues to rise, particularly in {place} and {place2}.",
)  # fmt: skip
RAGS = ("red", "amber", "green")
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

REPORT_TITLES = (
    "{Service}: Update", "{Service}: Options for the Future", "Proposed Changes to {service}",
    "{Service} - Annual Report {year}", "Procurement Report: {service}", "Review of {service} in {place}",
    "Quarter {quarter} Performance Monitoring: {service}", "Money Matters {year}: {service}",
    "Consultation on {service}", "Award of Contract for {service}", "{Service} Strategy {year}",
    "Response to the Petition on {service} in {place}",
)  # fmt: skip
APPENDIX_TITLES = (
    "Equality Impact Assessment", "Financial Summary", "Consultation Responses", "Site Plan",
    "Risk Register Extract", "Performance Dashboard", "Letter from the Department for Education",
    "Draft Policy", "Options Appraisal", "Terms of Reference", "Summary of Savings Proposals",
    "Map of the Affected Area", "Legal Advice", "Business Case", "Action Plan", "Statutory Guidance",
)  # fmt: skip
EXEMPT_REASONS = (
    "The report contains commercially sensitive information about the tenders received; disclosure "
    "before the contract is awarded would prejudice the Council's position.",
    "The appendix contains the personal information of named individuals who would not expect it to be made public.",
    "The report contains legal advice to which legal professional privilege attaches.",
)
OTHER_ITEMS = (
    "Work Programme", "Forward Plan", "Questions from Members of the Public", "Petitions",
    "Report of the Chair", "Membership of Panels and Working Groups", "Notice of Motion",
)  # fmt: skip

# Sites named in some documents (planning applications, highway works): 400 names, each in a
# few dozen documents, so that a search for one has a handful of results to rank.
SITE_FIRST = (
    "Hollin", "Whinney", "Moor", "Brock", "Caton", "Hesket", "Scar", "Thorn", "Crag", "Ling",
    "Hagg", "Wray", "Fell", "Birk", "Gisburn", "Holme", "Stubb", "Clough", "Dale", "Lumb",
)  # fmt: skip
SITE_SECOND = (
    "hurst", "field", "ley", "side", "brow", "gate", "croft", "wood", "bank", "thwaite",
    "holme", "clough", "head", "shaw", "rigg", "royd", "stead", "garth", "worth", "ton",
)  # fmt: skip
SITE_KINDS = ("Lane", "Road", "Street", "Close", "Avenue", "Farm", "Quarry")
SITES = tuple(
    f"{first}{second} {SITE_KINDS[(i * len(SITE_SECOND) + j) % len(SITE_KINDS)]}"
    for i, first in enumerate(SITE_FIRST)
    for j, second in enumerate(SITE_SECOND)
)

# Search queries for the benchmark: common words (thousands of matches to rank) and a rare
# site name (a few dozen).
COMMON_QUERY = "school transport"
RARE_QUERY = SITES[0]  # "Hollinhurst Lane"
TOPIC_SHARE = 0.85  # the share of a paper's sentences about its own subject


class Corpus:
    """A seeded source of names and text. Text is composed from pools of sentences, made
    once, so that filling 100,000 documents costs little more than choosing from lists.
    A paper has a subject (one of SERVICES): most of its sentences are about it, as real
    papers are, so that a search term matches the papers about it and a few others."""

    def __init__(self, seed: int, per_topic: int = 300, general: int = 5_000):
        self.random = random.Random(seed)
        self.general = [self._sentence() for _ in range(general)]
        self.topics = {service: [self._sentence(service) for _ in range(per_topic)] for service in SERVICES}

    def _fill(self, template: str, service: str | None = None) -> str:
        r = self.random
        year = r.randint(2016, 2026)
        service = service or r.choice(SERVICES)
        return template.format(
            service=service,
            Service=service[4:].capitalize() if service.startswith("the ") else service.capitalize(),
            place=r.choice(PLACES),
            place2=r.choice(PLACES),
            group=r.choice(GROUPS),
            letter="ABCDE"[r.randrange(5)],
            year=f"{year}/{(year + 1) % 100:02d}",
            year_start=year,
            year_end=year + r.randint(1, 3),
            money=f"{r.uniform(0.1, 40):.1f}",
            percent=r.randint(2, 35),
            rag=r.choice(RAGS),
            quarter=r.randint(1, 4),
            month=r.choice(MONTHS),
        )

    def _sentence(self, service: str | None = None) -> str:
        r = self.random
        if r.random() < 0.35:
            return self._fill(r.choice(OTHER_SENTENCES), service)
        qualifier = self._fill(r.choice(QUALIFIERS))
        return f"{r.choice(SUBJECTS)} {r.choice(VERBS)} {service or r.choice(SERVICES)} {qualifier}."

    def topic(self) -> str:
        return self.random.choice(SERVICES)

    def sentences(self, low: int, high: int, topic: str | None = None) -> str:
        r = self.random
        count = r.randint(low, high)
        if topic is None:
            return " ".join(r.choices(self.general, k=count))
        own = sum(r.random() < TOPIC_SHARE for _ in range(count))
        return " ".join(r.choices(self.topics[topic], k=own) + r.choices(self.general, k=count - own))

    def paragraphs(self, count_low: int, count_high: int, low: int = 3, high: int = 6, topic: str | None = None) -> str:
        """Rich text (HTML) of a few paragraphs."""
        count = self.random.randint(count_low, count_high)
        return "".join(f"<p>{self.sentences(low, high, topic)}</p>" for _ in range(count))

    def report_title(self, topic: str) -> str:
        return self._fill(self.random.choice(REPORT_TITLES), topic)

    def site(self) -> str:
        return f"The site at {self.random.choice(SITES)}, {self.random.choice(PLACES)}, is shown on the plan."

    def person(self) -> str:
        return f"{self.random.choice(FIRST_NAMES)} {self.random.choice(SURNAMES)}"
