"""The demo school's families and pupils: invented names, UPNs and group attributes.

Names are drawn at random from lists of common given names and surnames, so no generated
pupil is a real person. Siblings share a family: surname, ethnicity, free school meals,
English as an additional language, and the term-time holidays the attendance model gives them.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from rollbook.policy.upn import check_letter

YEAR_GROUPS = ("R", "1", "2", "3", "4")
CLASS_NAMES = {
    "R": ("R Oak", "R Ash"),
    "1": ("1 Birch", "1 Rowan"),
    "2": ("2 Willow", "2 Hazel"),
    "3": ("3 Cedar", "3 Maple"),
    "4": ("4 Elm", "4 Holly"),
}
CLASS_SIZE = 30

# Name lists by family heritage: (girls' names, boys' names, surnames).
NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "british": (
        ("Olivia", "Amelia", "Isla", "Ava", "Ivy", "Freya", "Lily", "Florence", "Evie", "Poppy", "Rosie",
         "Willow", "Elsie", "Maisie", "Phoebe", "Zoë", "Chloé", "Renée", "Matilda", "Harriet", "Nancy",
         "Edie", "Martha", "Ruby", "Bethany", "Lottie", "Imogen", "Hattie"),
        ("Oliver", "George", "Arthur", "Noah", "Leo", "Harry", "Oscar", "Archie", "Jack", "Alfie",
         "Freddie", "Theo", "Charlie", "Finley", "Reggie", "Tommy", "Joshua", "Rory", "Albie", "Stanley",
         "Ezra", "Jude", "Teddy", "Louie", "Ronnie", "Otis", "Hugo"),
        ("Ashworth", "Bramhall", "Crookes", "Dawson", "Ellison", "Fairbrother", "Greaves", "Hallam",
         "Ibbotson", "Jessop", "Kirkby", "Lockwood", "Marsden", "Nettleship", "Oxley", "Pickering",
         "Radcliffe", "Staniforth", "Thorpe", "Unwin", "Wragg", "Yeardley", "Barraclough", "Hinchliffe",
         "Sykes", "Cutts", "Furniss", "Goodlad", "Hoyland", "Mellor", "Revill", "Shirtcliffe", "Tingle",
         "Webster", "Bagshaw", "Cawthorne", "Dungworth", "Eyre", "Froggatt", "Hague", "Housley",
         "Ollerenshaw", "Pashley", "Senior", "Swift", "Trickett", "Wardle", "Hallam-Greaves", "Eyre-Dawson"),
    ),
    "irish": (
        ("Siobhán", "Aoife", "Niamh", "Saoirse", "Clodagh", "Orla", "Róisín"),
        ("Ciarán", "Seán", "Oisín", "Darragh", "Cian", "Pádraig", "Eoin"),
        ("O'Brien", "O’Neill", "O'Connor", "Kavanagh", "Doherty", "McCarthy", "Byrne", "Ó Ceallaigh"),
    ),
    "european": (
        ("Zofia", "Łucja", "Maja", "Ana-Maria", "Inês", "Eliška", "Réka", "Alessia", "Ioana"),
        ("Jakub", "Szymon", "Mateusz", "Andrei", "Tomás", "João", "Matěj", "Bence", "Luca", "Mihai"),
        ("Nowak", "Kowalczyk", "Wójcik", "Popescu", "Ionescu", "Ferreira", "Gonçalves", "Horváth",
         "Dvořák", "Kovács", "Rossi", "Novák", "Băluță"),
    ),
    "pakistani": (
        ("Aisha", "Maryam", "Zainab", "Hafsa", "Inaaya", "Hania", "Eshal", "Anaya"),
        ("Muhammad", "Ibrahim", "Yusuf", "Zayn", "Hamza", "Ayaan", "Musa", "Rayyan"),
        ("Hussain", "Khan", "Akhtar", "Mahmood", "Iqbal", "Rashid", "Qureshi", "Malik", "Shah", "Butt"),
    ),
    "bangladeshi": (
        ("Tahmina", "Ruqayyah", "Ayesha", "Nusaiba", "Safa", "Jannat"),
        ("Rayhan", "Tanvir", "Arif", "Zakariya", "Ismail", "Abdullah"),
        ("Uddin", "Rahman", "Ahmed", "Miah", "Chowdhury", "Islam", "Hoque"),
    ),
    "indian": (
        ("Anaya", "Diya", "Priya", "Saanvi", "Aadhya", "Simran", "Navleen"),
        ("Arjun", "Aarav", "Vihaan", "Rohan", "Ishaan", "Kabir", "Harjot"),
        ("Patel", "Sharma", "Singh", "Gill", "Mistry", "Chauhan", "Sandhu", "Parmar"),
    ),
    "african": (
        ("Adaeze", "Chiamaka", "Amara", "Ifeoluwa", "Nana", "Hodan", "Ayan", "Precious", "Esi"),
        ("Kwame", "Chidi", "Tobi", "Emeka", "Kofi", "Abdirahman", "Olumide", "Tendai"),
        ("Okafor", "Adeyemi", "Mensah", "Osei", "Mohamed", "Okonkwo", "Nwosu", "Adebayo", "Asante",
         "Warsame", "Moyo", "Farah"),
    ),
    "caribbean": (
        ("Jada", "Aaliyah", "Tia", "Nia", "Shanice"),
        ("Malachi", "Tyrese", "Kai", "Jayden", "Isaiah"),
        ("Campbell", "Francis", "Morgan", "Thompson", "Clarke", "Bailey", "Gayle"),
    ),
    "chinese": (
        ("Mei", "Yiling", "Xinyi", "Zihan", "Ruoxi"),
        ("Haoran", "Yichen", "Jun", "Zixuan", "Boyu"),
        ("Chen", "Wang", "Li", "Zhang", "Liu", "Huang", "Zhou"),
    ),
    "middle_eastern": (
        ("Layla", "Noor", "Rania", "Lana", "Sidra", "Hêvî"),
        ("Omar", "Karim", "Ali", "Yousef", "Rêbaz", "Adam"),
        ("Hamdan", "Haddad", "Mansour", "Ahmadi", "Al-Sayed", "Karimi", "Rasul"),
    ),
}


@dataclass(frozen=True)
class Ethnicity:
    """A DfE main ethnicity code with its share of families, its name lists and its EAL rate."""

    code: str
    weight: int
    heritages: tuple[str, ...]  # the first gives the surname; a second one makes mixed heritage
    eal_rate: float


ETHNICITIES = (
    Ethnicity("WBRI", 58, ("british",), 0.01),
    Ethnicity("WIRI", 2, ("irish",), 0.05),
    Ethnicity("WOTH", 8, ("european",), 0.75),
    Ethnicity("MWBC", 4, ("british", "caribbean"), 0.02),
    Ethnicity("MWBA", 2, ("british", "african"), 0.2),
    Ethnicity("MWAS", 2, ("british", "pakistani"), 0.2),
    Ethnicity("MOTH", 1, ("european", "middle_eastern"), 0.3),
    Ethnicity("AIND", 3, ("indian",), 0.6),
    Ethnicity("APKN", 8, ("pakistani",), 0.7),
    Ethnicity("ABAN", 3, ("bangladeshi",), 0.75),
    Ethnicity("BAFR", 5, ("african",), 0.55),
    Ethnicity("BCRB", 1, ("caribbean",), 0.05),
    Ethnicity("CHNE", 1, ("chinese",), 0.7),
    Ethnicity("OOTH", 2, ("middle_eastern",), 0.8),
    Ethnicity("REFU", 1, ("british",), 0.1),
)

# Families of these heritages may keep a festival on a school day (see ``terms.Observance``).
OBSERVANCE_BY_HERITAGE = {
    "pakistani": ("eid_al_fitr", 0.85),
    "bangladeshi": ("eid_al_fitr", 0.85),
    "middle_eastern": ("eid_al_fitr", 0.6),
    "african": ("eid_al_fitr", 0.25),
    "indian": ("diwali", 0.5),
}

FAMILY_SIZES = ((1, 70), (2, 25), (3, 5))
FSM_RATE = 0.25
# Pupil premium also covers pupils who had free school meals in the last six years.
PUPIL_PREMIUM_WITHOUT_FSM_RATE = 0.06
SEN_SUPPORT_RATE = {"F": 0.07, "M": 0.13}
EHC_PLAN_RATE = {"F": 0.01, "M": 0.02}
CHILD_IN_NEED_RATE = 0.03
YOUNG_CARER_RATE = 0.01
LOOKED_AFTER_PUPILS = 2
# The school's Unique Pupil Numbers begin with its LA number and DfE establishment number.
LA_CODE = "999"
ESTABLISHMENT_NUMBER = "2417"


@dataclass
class Family:
    number: int
    surname: str
    ethnicity: str
    heritages: tuple[str, ...]
    fsm: bool
    eal: bool
    observance: str | None
    children: list["DemoPupil"] = field(default_factory=list)


@dataclass
class DemoPupil:
    """One row of the bundle's ``pupils.csv``, plus the family the pupil belongs to."""

    upn: str
    surname: str
    forename: str
    date_of_birth: dt.date
    sex: str
    year_group: str
    class_name: str
    admission_date: dt.date
    family: Family
    leaving_date: dt.date | None = None
    sen: str = "N"
    fsm: bool = False
    pupil_premium: bool = False
    looked_after: bool = False
    child_in_need: bool = False
    young_carer: bool = False
    eal: bool = False
    ethnicity: str = ""

    @property
    def name(self) -> str:
        return f"{self.forename} {self.surname}"


def make_upn(la_code: str, establishment: str, allocated_year: int, serial: int) -> str:
    """Return a permanent UPN: check letter, LA number, establishment number, year, serial."""
    body = f"{la_code}{establishment}{allocated_year % 100:02d}{serial:03d}"
    return check_letter(body) + body


def birth_range(year_group: str, start_year: int) -> tuple[dt.date, dt.date]:
    """Return the first and last dates of birth (inclusive) of a year group in an academic year.

    A child joins Reception in the September after their fourth birthday, so Reception in
    2025/26 contains children born from 1 September 2020 to 31 August 2021.
    """
    years_above_reception = 0 if year_group == "R" else int(year_group)
    born_from = start_year - 5 - years_above_reception
    return dt.date(born_from, 9, 1), dt.date(born_from + 1, 8, 31)


def _random_date(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def _random_weekday(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    day = _random_date(rng, first, last)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return max(day, first)


def _pick_ethnicity(rng: random.Random) -> Ethnicity:
    return rng.choices(ETHNICITIES, weights=[e.weight for e in ETHNICITIES])[0]


def _family_surname(rng: random.Random, heritages: tuple[str, ...]) -> str:
    first = rng.choice(NAMES[heritages[0]][2])
    if len(heritages) == 1:
        return first
    second = rng.choice(NAMES[heritages[1]][2])
    roll = rng.random()
    if roll < 0.3 and "-" not in first and "-" not in second:
        return f"{first}-{second}"
    return first if roll < 0.65 else second


def _forename(rng: random.Random, family: Family, sex: str, taken_forenames: set[str]) -> str:
    heritage = rng.choice(family.heritages)
    girls, boys, _ = NAMES[heritage]
    options = [name for name in (girls if sex == "F" else boys) if name not in taken_forenames]
    return rng.choice(options or list(girls if sex == "F" else boys))


def make_families(rng: random.Random, places: dict[str, int]) -> list[tuple[Family, list[str]]]:
    """Return families, each with the year groups of its children, filling every place once.

    Siblings are in different year groups. ``places`` maps a year group to its number of places.
    """
    free = dict(places)
    families: list[tuple[Family, list[str]]] = []
    while any(free.values()):
        size = rng.choices([s for s, _ in FAMILY_SIZES], weights=[w for _, w in FAMILY_SIZES])[0]
        open_groups = [group for group in YEAR_GROUPS if free[group] > 0]
        groups = rng.sample(open_groups, min(size, len(open_groups)))
        for group in groups:
            free[group] -= 1

        ethnicity = _pick_ethnicity(rng)
        observance = None
        for heritage in ethnicity.heritages:
            festival = OBSERVANCE_BY_HERITAGE.get(heritage)
            if festival and rng.random() < festival[1]:
                observance = festival[0]
        family = Family(
            number=len(families) + 1,
            surname=_family_surname(rng, ethnicity.heritages),
            ethnicity=ethnicity.code,
            heritages=ethnicity.heritages,
            fsm=rng.random() < FSM_RATE,
            eal=rng.random() < ethnicity.eal_rate,
            observance=observance,
        )
        families.append((family, sorted(groups, key=YEAR_GROUPS.index)))
    return families


def _ensure_featured_surnames(rng: random.Random, families: list[Family]) -> None:
    """Give three families a straight apostrophe, a curly apostrophe and a hyphen in the surname.

    Importers and exports must keep these characters intact, so every seed has them.
    """
    featured = ("O'Brien", "O’Neill", "Hallam-Greaves")
    present = {f.surname for f in families}
    candidates = [f for f in families if f.ethnicity in {"WBRI", "WIRI"} and f.surname not in featured]
    for surname in featured:
        if surname in present or not candidates:
            continue
        family = candidates.pop(rng.randrange(len(candidates)))
        family.surname = surname


def make_pupil(
    rng: random.Random,
    family: Family,
    year_group: str,
    start_year: int,
    upn: str,
    taken_forenames: set[str],
) -> DemoPupil:
    """Return a pupil of ``family`` in ``year_group``, with a class still to be assigned."""
    sex = rng.choice("FM")
    forename = _forename(rng, family, sex, taken_forenames)
    taken_forenames.add(forename)
    born_from, born_to = birth_range(year_group, start_year)
    reception_start = dt.date(start_year - (0 if year_group == "R" else int(year_group)), 9, 1)
    admission = reception_start
    if year_group != "R" and rng.random() < 0.12:
        # Joined in an earlier year, after Reception had started.
        admission = _random_weekday(rng, reception_start + dt.timedelta(days=30), dt.date(start_year, 7, 15))

    roll = rng.random()
    sen = "N"
    if roll < EHC_PLAN_RATE[sex]:
        sen = "E"
    elif roll < EHC_PLAN_RATE[sex] + SEN_SUPPORT_RATE[sex]:
        sen = "K"
    return DemoPupil(
        upn=upn,
        surname=family.surname,
        forename=forename,
        date_of_birth=_random_date(rng, born_from, born_to),
        sex=sex,
        year_group=year_group,
        class_name="",
        admission_date=admission,
        family=family,
        sen=sen,
        fsm=family.fsm,
        pupil_premium=family.fsm or rng.random() < PUPIL_PREMIUM_WITHOUT_FSM_RATE,
        child_in_need=rng.random() < CHILD_IN_NEED_RATE,
        young_carer=rng.random() < YOUNG_CARER_RATE,
        eal=family.eal,
        ethnicity=family.ethnicity,
    )


def make_pupils(rng: random.Random, start_year: int) -> list[DemoPupil]:
    """Return the school's pupils on roll at the start of the year: two full classes per year group."""
    places = {group: CLASS_SIZE * len(CLASS_NAMES[group]) for group in YEAR_GROUPS}
    families_with_groups = make_families(rng, places)
    _ensure_featured_surnames(rng, [family for family, _ in families_with_groups])

    serials: dict[int, int] = {}
    taken_forenames: dict[str, set[str]] = {}
    pupils: list[DemoPupil] = []
    for family, groups in families_with_groups:
        for group in groups:
            entry_year = start_year - (0 if group == "R" else int(group))
            serials[entry_year] = serials.get(entry_year, 0) + 1
            upn = make_upn(LA_CODE, ESTABLISHMENT_NUMBER, entry_year, serials[entry_year])
            used_in_family = taken_forenames.setdefault(family.surname, set())
            pupil = make_pupil(rng, family, group, start_year, upn, used_in_family)
            family.children.append(pupil)
            pupils.append(pupil)

    _assign_classes(rng, pupils)
    _assign_looked_after(rng, pupils)
    _ensure_featured_forename(rng, pupils)
    return pupils


def _assign_classes(rng: random.Random, pupils: list[DemoPupil]) -> None:
    for group in YEAR_GROUPS:
        members = [p for p in pupils if p.year_group == group]
        rng.shuffle(members)
        names = CLASS_NAMES[group]
        for index, pupil in enumerate(members):
            pupil.class_name = names[index % len(names)]


def _assign_looked_after(rng: random.Random, pupils: list[DemoPupil]) -> None:
    only_children = [p for p in pupils if len(p.family.children) == 1]
    for pupil in rng.sample(only_children, LOOKED_AFTER_PUPILS):
        pupil.looked_after = True
        pupil.pupil_premium = True


def _ensure_featured_forename(rng: random.Random, pupils: list[DemoPupil]) -> None:
    """Give one girl the forename Zoë, so every seed has a diaeresis in a forename."""
    if any(p.forename == "Zoë" for p in pupils):
        return
    girls = [p for p in pupils if p.sex == "F" and p.family.ethnicity == "WBRI"]
    if girls:
        rng.choice(girls).forename = "Zoë"


def make_joiner(rng: random.Random, start_year: int, admission: dt.date, taken_upns: set[str]) -> DemoPupil:
    """Return a Year 3 pupil who moves in from another local authority's school mid-year."""
    ethnicity = next(e for e in ETHNICITIES if e.code == "BAFR")
    family = Family(
        number=0,
        surname=_family_surname(rng, ethnicity.heritages),
        ethnicity=ethnicity.code,
        heritages=ethnicity.heritages,
        fsm=True,
        eal=True,
        observance=None,
    )
    serial = 1
    while (upn := make_upn("373", "2105", start_year - 3, serial)) in taken_upns:
        serial += 1
    pupil = make_pupil(rng, family, "3", start_year, upn, set())
    pupil.class_name = CLASS_NAMES["3"][0]
    pupil.admission_date = admission
    family.children.append(pupil)
    return pupil
