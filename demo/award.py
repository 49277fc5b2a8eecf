"""Demo data for a local run: a believable city with its administrations and units, this
year's cycle in individual assessment, last year's cycle as history, and one demo account
per kind of user, all with the password DEMO_PASSWORD.

Everything is keyed by natural keys (organisation code, unit code, cycle year, track kind,
criterion number, username…) and a value is only written when it differs, so a second run
on the same day writes nothing. Random choices come from fixed seeds: every run builds the
same city. Units and people are numbered by their position in the lists below, so new
entries go at the end.
"""

import datetime as dt
import functools
import itertools
import random
import unicodedata
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.db import transaction

from award import models as award_models
from award import services
from award.models import (
    TIMELINE_FIELDS,
    AwardCycle,
    CommitteeMembership,
    CompetitionClass,
    Criterion,
    Organisation,
    PastResult,
    ScaleBand,
    ScoringScale,
    Track,
    Unit,
)
from award.roles import Role, add_role, roles_of

DEMO_PASSWORD = "demo"
SEED = 2019
# A reserved domain (RFC 2606): mail the demo sends can never reach a real city employee.
EMAIL_DOMAIN = "stockholm.example"

User = get_user_model()

# --- Administrations -------------------------------------------------------------------

ORGANISATIONS = [
    ("SDF-RK", "Rinkeby-Kista stadsdelsförvaltning", Organisation.Kind.DISTRICT),
    ("SDF-ST", "Spånga-Tensta stadsdelsförvaltning", Organisation.Kind.DISTRICT),
    ("SDF-HV", "Hässelby-Vällingby stadsdelsförvaltning", Organisation.Kind.DISTRICT),
    ("SDF-BR", "Bromma stadsdelsförvaltning", Organisation.Kind.DISTRICT),
    ("SDF-KH", "Kungsholmens stadsdelsförvaltning", Organisation.Kind.DISTRICT),
    ("SDF-NM", "Norrmalms stadsdelsförvaltning", Organisation.Kind.DISTRICT),
    ("SDF-SO", "Södermalms stadsdelsförvaltning", Organisation.Kind.DISTRICT),
    ("SDF-EAV", "Enskede-Årsta-Vantörs stadsdelsförvaltning", Organisation.Kind.DISTRICT),
    ("SDF-FA", "Farsta stadsdelsförvaltning", Organisation.Kind.DISTRICT),
    ("SDF-SK", "Skärholmens stadsdelsförvaltning", Organisation.Kind.DISTRICT),
    ("UTB", "Utbildningsförvaltningen", Organisation.Kind.SPECIALIST),
    ("SOF", "Socialförvaltningen", Organisation.Kind.SPECIALIST),
    ("KUF", "Kulturförvaltningen", Organisation.Kind.SPECIALIST),
    ("ALF", "Äldreförvaltningen", Organisation.Kind.SPECIALIST),
]

# --- Competition classes and units -----------------------------------------------------

# The 2019 competition classes, in order; a unit's kind of work is an index into this list.
COMPETITION_CLASSES = [
    "Förskola",
    "Skola",
    "Äldreomsorg",
    "Socialtjänst samt stöd och service till personer med funktionsnedsättning",
    "Andra verksamheter",
]
PRESCHOOL, SCHOOL, ELDERLY_CARE, SOCIAL_SERVICES, OTHER = range(len(COMPETITION_CLASSES))

# Staff counts drawn for each kind of work, including the head.
STAFF_RANGES = {
    PRESCHOOL: (8, 24),
    SCHOOL: (25, 80),
    ELDERLY_CARE: (15, 75),
    SOCIAL_SERVICES: (6, 35),
    OTHER: (5, 30),
}


@dataclass(frozen=True)
class UnitSeed:
    organisation: str
    name: str
    work: int
    # Set to show the eligibility rules: fewer than five staff, no operational plan, and
    # private providers (stockholmers_share given) below the 51 % the rules require.
    staff_count: int | None = None
    has_operational_plan: bool = True
    stockholmers_share: int | None = None

    @property
    def is_private_provider(self) -> bool:
        return self.stockholmers_share is not None


UNITS = [
    # Förskola
    UnitSeed("SDF-RK", "Förskolan Solrosen", PRESCHOOL),
    UnitSeed("SDF-RK", "Förskolan Blåbäret", PRESCHOOL, staff_count=4),
    UnitSeed("SDF-ST", "Förskolan Trädgården", PRESCHOOL),
    UnitSeed("SDF-ST", "Förskolan Sagoskogen", PRESCHOOL),
    UnitSeed("SDF-HV", "Förskolan Trollskogen", PRESCHOOL),
    UnitSeed("SDF-HV", "Förskolan Grönkulla", PRESCHOOL),
    UnitSeed("SDF-BR", "Förskolan Ekorren", PRESCHOOL),
    UnitSeed("SDF-BR", "Förskolan Nyckelpigan", PRESCHOOL),
    UnitSeed("SDF-KH", "Förskolan Fyrklövern", PRESCHOOL),
    UnitSeed("SDF-KH", "Förskolan Kastanjen", PRESCHOOL),
    UnitSeed("SDF-NM", "Förskolan Vasaparken", PRESCHOOL),
    UnitSeed("SDF-NM", "Förskolan Observatoriet", PRESCHOOL),
    UnitSeed("SDF-SO", "Förskolan Mariaberget", PRESCHOOL),
    UnitSeed("SDF-SO", "Förskolan Vita Bergen", PRESCHOOL),
    UnitSeed("SDF-EAV", "Förskolan Humlan", PRESCHOOL),
    UnitSeed("SDF-EAV", "Montessoriförskolan Lärkan", PRESCHOOL, stockholmers_share=93),
    UnitSeed("SDF-FA", "Förskolan Regnbågen", PRESCHOOL, has_operational_plan=False),
    UnitSeed("SDF-SK", "Förskolan Skogsgläntan", PRESCHOOL),
    # Skola
    UnitSeed("UTB", "Rinkebyskolan", SCHOOL),
    UnitSeed("UTB", "Kista grundskola", SCHOOL),
    UnitSeed("UTB", "Tensta gymnasium", SCHOOL),
    UnitSeed("UTB", "Spånga grundskola", SCHOOL),
    UnitSeed("UTB", "Hässelby villastads skola", SCHOOL),
    UnitSeed("UTB", "Vällingbyskolan", SCHOOL),
    UnitSeed("UTB", "Bromma gymnasium", SCHOOL),
    UnitSeed("UTB", "Nockebyhovs skola", SCHOOL),
    UnitSeed("UTB", "Kungsholmens grundskola", SCHOOL),
    UnitSeed("UTB", "Adolf Fredriks musikklasser", SCHOOL),
    UnitSeed("UTB", "Vasa Real", SCHOOL),
    UnitSeed("UTB", "Södermalmsskolan", SCHOOL),
    UnitSeed("UTB", "Enskedefältets skola", SCHOOL),
    UnitSeed("UTB", "Farsta grundskola", SCHOOL),
    UnitSeed("UTB", "Skärholmsskolan", SCHOOL),
    UnitSeed("UTB", "Västbergaskolan", SCHOOL),
    # Äldreomsorg
    UnitSeed("SDF-BR", "Hemtjänst Bromma västra", ELDERLY_CARE),
    UnitSeed("SDF-RK", "Hemtjänst Kista", ELDERLY_CARE),
    UnitSeed("SDF-ST", "Hemtjänst Spånga", ELDERLY_CARE),
    UnitSeed("SDF-HV", "Hemtjänst Vällingby", ELDERLY_CARE),
    UnitSeed("SDF-KH", "Hemtjänst Kungsholmen norra", ELDERLY_CARE),
    UnitSeed("SDF-NM", "Hemtjänst Vasastan", ELDERLY_CARE),
    UnitSeed("SDF-SO", "Hemtjänst Södermalm östra", ELDERLY_CARE),
    UnitSeed("SDF-FA", "Hemtjänst Farsta", ELDERLY_CARE),
    UnitSeed("SDF-SO", "Vård- och omsorgsboendet Kristinehov", ELDERLY_CARE),
    UnitSeed("SDF-EAV", "Vård- och omsorgsboendet Solbacka", ELDERLY_CARE, stockholmers_share=97),
    UnitSeed("SDF-HV", "Vård- och omsorgsboendet Hässelbygården", ELDERLY_CARE),
    UnitSeed("SDF-FA", "Vård- och omsorgsboendet Farstagården", ELDERLY_CARE, stockholmers_share=88),
    UnitSeed("SDF-SK", "Dagverksamheten Lyktan", ELDERLY_CARE),
    UnitSeed("SDF-NM", "Nattpatrullen Norrmalm", ELDERLY_CARE),
    UnitSeed("ALF", "Äldre direkt", ELDERLY_CARE),
    UnitSeed("ALF", "Trygg hemgång", ELDERLY_CARE),
    # Socialtjänst samt stöd och service till personer med funktionsnedsättning
    UnitSeed("SDF-NM", "Gruppbostaden Lärkstaden", SOCIAL_SERVICES),
    UnitSeed("SDF-BR", "Gruppbostaden Ängsgården", SOCIAL_SERVICES),
    UnitSeed("SDF-ST", "Daglig verksamhet Ateljé Tensta", SOCIAL_SERVICES),
    UnitSeed("SDF-RK", "Daglig verksamhet Kreativa Kista", SOCIAL_SERVICES, stockholmers_share=74),
    UnitSeed("SDF-HV", "Korttidsvistelsen Solgläntan", SOCIAL_SERVICES, stockholmers_share=38),
    UnitSeed("SDF-RK", "Barn och unga Rinkeby", SOCIAL_SERVICES),
    UnitSeed("SDF-SK", "Ekonomiskt bistånd Skärholmen", SOCIAL_SERVICES),
    UnitSeed("SDF-FA", "Familjeenheten Farsta", SOCIAL_SERVICES),
    UnitSeed("SDF-SO", "Socialtjänstens mottagning Södermalm", SOCIAL_SERVICES),
    UnitSeed("SDF-EAV", "Boendestöd Enskede-Årsta-Vantör", SOCIAL_SERVICES),
    UnitSeed("SOF", "Socialjouren", SOCIAL_SERVICES),
    UnitSeed("SOF", "Uppsökande enheten", SOCIAL_SERVICES),
    UnitSeed("SOF", "Stödboendet Fyrbåken", SOCIAL_SERVICES),
    UnitSeed("SOF", "Personligt ombud Stockholm", SOCIAL_SERVICES),
    UnitSeed("SDF-SO", "Servicebostaden Hornstull", SOCIAL_SERVICES, stockholmers_share=45),
    # Andra verksamheter
    UnitSeed("KUF", "Kista bibliotek", OTHER),
    UnitSeed("KUF", "Tensta bibliotek", OTHER),
    UnitSeed("KUF", "Stadsbiblioteket", OTHER),
    UnitSeed("KUF", "Bokbussen", OTHER, staff_count=3),
    UnitSeed("KUF", "Kulturskolan Söderort", OTHER),
    UnitSeed("KUF", "Medeltidsmuseet", OTHER),
    UnitSeed("KUF", "Stadsarkivet", OTHER),
    UnitSeed("SDF-BR", "Parkenheten Bromma", OTHER),
    UnitSeed("SDF-SO", "Parkenheten Södermalm", OTHER),
    UnitSeed("SDF-RK", "Fritidsgården Husby", OTHER, has_operational_plan=False),
    UnitSeed("SDF-HV", "Fritidsgården Vällingby", OTHER),
    UnitSeed("SDF-SK", "Medborgarkontoret Skärholmen", OTHER),
    UnitSeed("SDF-FA", "Mötesplats Farsta", OTHER, staff_count=4),
    UnitSeed("SDF-KH", "Parklekarna Kungsholmen", OTHER),
    UnitSeed("SDF-EAV", "Samhällsvägledningen Enskede-Årsta-Vantör", OTHER),
]


def unit_code(position: int) -> str:
    return f"E{position + 1:03d}"


def unit_contact_username(position: int) -> str:
    return f"enhet{position + 1:0{max(2, len(str(len(UNITS))))}d}"


# --- People ----------------------------------------------------------------------------

FIRST_NAMES = [
    "Anna", "Maria", "Karin", "Sara", "Emma", "Elin", "Johanna", "Linnéa", "Ida", "Malin",
    "Helena", "Eva", "Ingrid", "Kerstin", "Lena", "Annika", "Sofia", "Fatima", "Amina", "Leila",
    "Hanna", "Camilla", "Therese", "Jenny", "Åsa", "Birgitta", "Ulrika", "Mikael", "Johan", "Erik",
    "Lars", "Anders", "Per", "Karl", "Peter", "Magnus", "Fredrik", "Daniel", "Jonas", "Henrik",
    "Mattias", "Stefan", "Oskar", "Gustav", "Björn", "Ali", "Mohammed", "Ahmed", "Hassan", "Nikola",
    "Tomas", "Ola", "Patrik", "Kristoffer", "Elias", "Viktor", "Marcus", "Yusuf", "Göran", "Zeynep",
]  # fmt: skip
LAST_NAMES = [
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson",
    "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson", "Bengtsson", "Lindberg",
    "Lindqvist", "Lindström", "Lundberg", "Lundgren", "Berg", "Bergström", "Sandberg", "Forsberg",
    "Sjöberg", "Wallin", "Engström", "Holm", "Ekström", "Nyström", "Björk", "Åberg", "Hedlund",
    "Sundqvist", "Öberg", "Falk", "Mohammadi", "Hosseini", "Yilmaz", "Ahmadi", "Kovačević",
    "Nieminen", "Virtanen", "Abdi", "Haddad", "Rahimi", "Dahlberg", "Strand", "Blom", "Ek",
]  # fmt: skip

JUDGES = ["domare1", "domare2", "domare3"]  # the first chairs the committee
EXAMINER_COUNT = 30

# Positions in the pool of names, so that adding units never renames an examiner.
_SLK_PERSON = 0
_JUDGE_PEOPLE = 1
_EXAMINER_PEOPLE = 10
_HEAD_PEOPLE = 60


@functools.cache
def people() -> list[tuple[str, str]]:
    """Distinct (first name, last name) pairs in a fixed order."""
    pairs = list(itertools.product(FIRST_NAMES, LAST_NAMES))
    rng = random.Random(f"{SEED}-people")  # noqa: S311  (reproducible demo data, not secrets)
    return rng.sample(pairs, _HEAD_PEOPLE + len(UNITS))


def email_for(first_name: str, last_name: str) -> str:
    local = f"{first_name}.{last_name}".lower()
    ascii_local = unicodedata.normalize("NFKD", local).encode("ascii", "ignore").decode()
    return f"{ascii_local}@{EMAIL_DOMAIN}"


# --- Criteria and scale ----------------------------------------------------------------


@dataclass(frozen=True)
class CriterionSeed:
    title: str
    kind: str
    weight: int
    max_length: int
    applicant_guidance: str
    examiner_guidance: str


APPROACH = Criterion.Kind.APPROACH
RESULTS = Criterion.Kind.RESULTS

QUALITY_AWARD_CRITERIA = [
    CriterionSeed(
        "Ledarskap och styrning",
        APPROACH,
        100,
        6000,
        "Beskriv hur ledningen tydliggör enhetens uppdrag, mål och värderingar och hur målen i stadens "
        "budget och nämndens verksamhetsplan bryts ned till er egen verksamhet. Redogör för hur ni följer "
        "upp verksamheten, fattar beslut utifrån fakta och skapar förutsättningar för medarbetarna att ta "
        "ansvar. Ge konkreta exempel på hur arbetssätten har förbättrats.",
        "Bedöm om ledningens arbetssätt är systematiskt, känt i hela enheten och kopplat till enhetens mål "
        "och lokala förutsättningar. Leta efter belägg för att styrningen följs upp och förbättras, inte "
        "bara beskrivs. Notera om ledarskapet främjar delaktighet och lärande.",
    ),
    CriterionSeed(
        "Medborgarens och brukarens fokus",
        APPROACH,
        150,
        6000,
        "Beskriv vilka era medborgare och brukare är, hur ni tar reda på deras behov och förväntningar och "
        "hur ni för dialog med dem. Redogör för hur synpunkter och klagomål tas om hand och hur kunskapen "
        "används för att utveckla verksamheten. Visa hur brukarna är delaktiga i utformningen av insatserna.",
        "Bedöm hur väl enheten känner sina brukares behov och hur systematiskt kunskapen omsätts i "
        "förbättringar. Sök exempel där dialog med medborgarna har lett till förändring. Ett arbetssätt som "
        "samlar in synpunkter utan att återkoppla eller agera ger en lägre bedömning.",
    ),
    CriterionSeed(
        "Medarbetarnas engagemang och delaktighet",
        APPROACH,
        100,
        6000,
        "Beskriv hur medarbetarna görs delaktiga i planering, uppföljning och förbättringsarbete. Redogör "
        "för hur ni arbetar med kompetensutveckling, arbetsmiljö och medarbetarsamtal och hur ni tar "
        "tillvara medarbetarnas idéer. Berätta hur ni vet att arbetssätten fungerar.",
        "Bedöm om delaktigheten är inbyggd i enhetens arbetssätt eller beror på enskilda personer. Titta "
        "efter kopplingen mellan kompetensutveckling och verksamhetens mål och hur resultaten från "
        "medarbetarenkäten används. Styrkor ska kunna beläggas med exempel ur tävlingsbidraget.",
    ),
    CriterionSeed(
        "Processer och ständiga förbättringar",
        APPROACH,
        150,
        6000,
        "Beskriv enhetens viktigaste processer, hur de är utformade utifrån brukarnas behov och hur ni mäter "
        "att de fungerar. Redogör för hur ni arbetar systematiskt med förbättringar, till exempel med "
        "förbättringscykler, avvikelsehantering och egenkontroller. Ge exempel på förbättringar från de "
        "senaste åren och vad de ledde till.",
        "Bedöm om processerna är kartlagda, har ägare och mått och om förbättringsarbetet följer en tydlig "
        "cykel av planering, genomförande, uppföljning och lärande. Leta efter spår av ständiga "
        "förbättringar över flera år. Enstaka projekt utan uppföljning är ett förbättringsområde.",
    ),
    CriterionSeed(
        "Samverkan och spridning av goda exempel",
        APPROACH,
        100,
        6000,
        "Beskriv hur ni samverkar med andra enheter, förvaltningar, myndigheter och civilsamhället för att "
        "skapa nytta för medborgarna. Redogör för hur ni lär av andra och hur ni sprider era egna goda "
        "exempel, inom och utanför staden. Ge exempel på arbetssätt som andra har tagit efter.",
        "Bedöm om samverkan är planerad och följs upp och om enheten aktivt söker och delar kunskap. "
        "Stadens program för kvalitetsutveckling betonar att goda exempel ska spridas: värdera konkreta "
        "belägg för spridning högt. Notera hur enheten tar emot och använder andras erfarenheter.",
    ),
    CriterionSeed(
        "Resultat för medborgarna",
        RESULTS,
        250,
        8000,
        "Redovisa resultat som visar vilken nytta verksamheten gör för medborgarna och brukarna, till "
        "exempel brukarundersökningar, måluppfyllelse och kvalitetsindikatorer. Visa trender över minst tre "
        "år och jämför med era mål, med staden i övrigt och med liknande verksamheter. Koppla resultaten "
        "till de mål och åtaganden ni har satt utifrån era lokala förutsättningar och analysera vad de beror "
        "på.",
        "Bedöm resultatens nivå, trender och jämförelser och hur väl de täcker det som är viktigast för "
        "brukarna. Resultat ska alltid vara kopplade till enhetens mål: siffror utan mål eller analys ger en "
        "lägre bedömning. Kontrollera att påståenden om förbättringar stöds av redovisade data.",
    ),
    CriterionSeed(
        "Verksamhetsresultat och analys",
        RESULTS,
        150,
        8000,
        "Redovisa resultat för verksamhetens effektivitet, ekonomi, medarbetare och miljö, till exempel "
        "sjukfrånvaro, medarbetarindex och budgetutfall. Beskriv hur ni analyserar resultaten och hur "
        "analysen leder till prioriteringar och förbättringar. Visa trender och jämförelser där det går.",
        "Bedöm om enheten har relevanta mått för sina viktigaste processer och hur resultaten har utvecklats "
        "över tid. Lägg särskild vikt vid analysen: förstår enheten varför resultaten ser ut som de gör, och "
        "leder analysen till åtgärder? Saknade trender eller jämförelser är förbättringsområden.",
    ),
]

# Förnyelsepriset's criteria are also the questions of its application form.
RENEWAL_PRIZE_CRITERIA = [
    CriterionSeed(
        "Bakgrund och utmaning",
        APPROACH,
        150,
        3000,
        "Beskriv utgångsläget: vilket problem eller vilken möjlighet ledde till förnyelsen, och för vilka "
        "medborgare eller brukare. Berätta vem som har drivit arbetet: en enskild medarbetare, en chef eller "
        "ett arbetslag.",
        "Bedöm om utmaningen är tydligt beskriven och förankrad i medborgarnas eller brukarnas behov. Notera "
        "om utgångsläget är belagt med fakta, så att förändringen går att bedöma.",
    ),
    CriterionSeed(
        "Det nya",
        APPROACH,
        250,
        3000,
        "Beskriv vad som är nytt och hur det skiljer sig från hur ni eller andra arbetade tidigare. Det kan "
        "vara en ny tjänst, ett nytt arbetssätt eller en ny användning av digital teknik. Berätta hur idén "
        "togs fram och prövades.",
        "Bedöm hur nyskapande förnyelsen är i sitt sammanhang, inte bara för den egna enheten. "
        "Förnyelsepriset belönar förnyelse som har höjt kvaliteten, ökat effektiviteten, bidragit till en "
        "hållbar utveckling eller förenklat arbetet.",
    ),
    CriterionSeed(
        "Resultat och nytta för medborgarna",
        RESULTS,
        300,
        3000,
        "Redovisa vilka resultat förnyelsen har gett och vilken nytta den gör för medborgarna. Visa gärna "
        "mått från före och efter förändringen, brukarnas egna omdömen och effekter på kostnader eller "
        "arbetstid.",
        "Bedöm om resultaten är belagda och om de kan kopplas till förnyelsen. Tidiga resultat kan räcka, "
        "men en påstådd nytta utan underlag ger en lägre bedömning.",
    ),
    CriterionSeed(
        "Spridning och uppskalning",
        APPROACH,
        200,
        3000,
        "Beskriv hur förnyelsen kan spridas till andra enheter eller förvaltningar och vad som krävs för "
        "det. Berätta om den redan har tagits efter någon annanstans. Länka gärna till en kort film som "
        "visar arbetet.",
        "Bedöm hur lätt förnyelsen kan föras över till andra verksamheter och om spridning redan har skett. "
        "En förnyelse som bara fungerar under unika förutsättningar får en lägre bedömning.",
    ),
    CriterionSeed(
        "Hållbarhet",
        APPROACH,
        100,
        3000,
        "Beskriv hur förnyelsen lever vidare i den ordinarie verksamheten, vem som äger den och hur den "
        "finansieras. Redogör för hur den bidrar till social, ekologisk eller ekonomisk hållbarhet.",
        "Bedöm om förnyelsen är förankrad i verksamheten och inte beroende av enskilda eldsjälar eller "
        "tillfälliga medel. Notera dess bidrag till en hållbar utveckling.",
    ),
]

TRACKS = [
    (
        Track.Kind.QUALITY_AWARD,
        "Kvalitetsutmärkelsen",
        "Stadens kvalitetsutmärkelse stimulerar enheterna att utveckla kvaliteten och lyfter fram goda "
        "exempel. Enheten beskriver sina arbetssätt och resultat utifrån kriterierna och får en "
        "återföringsrapport med styrkor och förbättringsområden.",
        COMPETITION_CLASSES,
        QUALITY_AWARD_CRITERIA,
    ),
    (
        Track.Kind.RENEWAL_PRIZE,
        "Förnyelsepriset",
        "Förnyelsepriset belönar förnyelse som har höjt kvaliteten, ökat effektiviteten, bidragit till en "
        "hållbar utveckling eller förenklat arbetet. En enskild medarbetare, en chef eller ett arbetslag kan "
        "nomineras.",
        [],
        RENEWAL_PRIZE_CRITERIA,
    ),
]

# Baldrige's bands, with descriptors for approach criteria and for results criteria.
SCALE_BANDS = {
    APPROACH: [
        (0, 5, "Inget systematiskt arbetssätt framgår. Informationen är anekdotisk och arbetssättet är inte "
         "infört."),
        (10, 25, "Början till ett systematiskt arbetssätt för kriteriets grundläggande krav. Arbetssättet är "
         "infört i liten omfattning, och problem löses mest när de uppstår."),
        (30, 45, "Ett systematiskt arbetssätt som svarar mot kriteriets grundläggande krav. Det är infört i "
         "delar av verksamheten, och de första stegen mot utvärdering och förbättring är tagna."),
        (50, 65, "Ett systematiskt, ändamålsenligt arbetssätt som svarar mot kriteriets huvudsakliga krav. "
         "Det är väl infört, utvärderas och förbättras och är kopplat till enhetens mål."),
        (70, 85, "Ett systematiskt, effektivt arbetssätt som i stort sett svarar mot kriteriets alla krav. "
         "Det är infört i hela verksamheten, förbättras genom faktabaserad utvärdering och lärande och är "
         "väl integrerat med enhetens mål."),
        (90, 100, "Ett systematiskt, effektivt arbetssätt som är fullt infört i hela verksamheten och svarar "
         "mot kriteriets alla krav. Det förbättras ständigt genom lärande och innovation och är en förebild "
         "för andra."),
    ],
    RESULTS: [
        (0, 5, "Inga resultat redovisas, eller resultaten är svaga. Trender och jämförelser saknas, och "
         "resultaten är inte kopplade till enhetens mål."),
        (10, 25, "Ett fåtal resultat redovisas, och några visar förbättring eller god nivå. Trender och "
         "jämförelser saknas i stort sett."),
        (30, 45, "Förbättringar eller god nivå redovisas för många av de resultat som är viktiga för "
         "enheten. Vissa trender framgår, och jämförelser börjar användas."),
        (50, 65, "Förbättrade trender eller god nivå redovisas för de flesta viktiga resultat. Jämförelser "
         "visar god nivå på flera områden, och resultaten är kopplade till enhetens mål."),
        (70, 85, "Goda till utmärkta resultat och förbättrade trender över flera år inom de flesta viktiga "
         "områden. Jämförelser visar en hög nivå, och analysen förklarar resultaten."),
        (90, 100, "Utmärkta resultat och trender över flera år inom alla viktiga områden, tydligt kopplade "
         "till enhetens mål. Jämförelser visar ledande nivå, och enheten är en förebild för andra."),
    ],
}  # fmt: skip

# Days from the day the seed runs, chosen so that the current cycle is in its individual
# assessment phase. Last year's cycle has the same dates one year earlier.
TIMELINE_OFFSETS = {
    "registration_opens": -120,
    "registration_closes": -75,
    "application_deadline": -20,
    "assessment_deadline": 14,
    "consensus_deadline": 28,
    "first_committee_meeting": 35,
    "site_visits_start": 42,
    "site_visits_end": 56,
    "final_committee_meeting": 63,
    "ceremony_date": 70,
    "feedback_release": 77,
}

# (unit, years before the current cycle, track, outcome): winners one and two years back are
# still barred by the two-year rule, one three years back may enter again, and honourable
# mentions bar nothing.
QUALITY_AWARD = Track.Kind.QUALITY_AWARD
RENEWAL_PRIZE = Track.Kind.RENEWAL_PRIZE
WINNER = PastResult.Outcome.WINNER
HONOURABLE_MENTION = PastResult.Outcome.HONOURABLE_MENTION
PAST_RESULTS = [
    ("Förskolan Solrosen", 1, QUALITY_AWARD, WINNER),
    ("Rinkebyskolan", 2, QUALITY_AWARD, WINNER),
    ("Hemtjänst Bromma västra", 3, QUALITY_AWARD, WINNER),
    ("Kista bibliotek", 4, QUALITY_AWARD, WINNER),
    ("Kista bibliotek", 1, QUALITY_AWARD, HONOURABLE_MENTION),
    ("Vällingbyskolan", 5, QUALITY_AWARD, WINNER),
    ("Gruppbostaden Ängsgården", 1, QUALITY_AWARD, HONOURABLE_MENTION),
    ("Förskolan Ekorren", 2, QUALITY_AWARD, HONOURABLE_MENTION),
    ("Socialjouren", 1, RENEWAL_PRIZE, WINNER),
    ("Parkenheten Södermalm", 2, RENEWAL_PRIZE, WINNER),
    ("Parkenheten Södermalm", 4, QUALITY_AWARD, HONOURABLE_MENTION),
    ("Vård- och omsorgsboendet Kristinehov", 1, RENEWAL_PRIZE, HONOURABLE_MENTION),
]

# The models the seed fills, with the Swedish words for the summary.
COUNTED_MODELS = [
    (Organisation, "förvaltningar"),
    (Unit, "enheter"),
    (User, "användare"),
    (AwardCycle, "omgångar"),
    (Track, "tävlingsspår"),
    (CompetitionClass, "tävlingsklasser"),
    (Criterion, "kriterier"),
    (ScoringScale, "bedömningsskalor"),
    (ScaleBand, "nivåer i skalorna"),
    (CommitteeMembership, "ledamotskap i domarkommittén"),
    (PastResult, "tidigare resultat"),
]


# --- Writing ---------------------------------------------------------------------------


def _upsert(model, lookup: dict, values: dict):
    """Get or create by the natural key in `lookup`; write only the values that differ."""
    obj, created = model.objects.get_or_create(**lookup, defaults=values)
    if not created:
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        for name in changed:
            setattr(obj, name, values[name])
        if changed:
            obj.save(update_fields=changed)
    return obj


def update_changed(model, obj, values: dict) -> None:
    """Write only the values that differ, with a queryset update so auto_now fields keep
    the seeded value; the object is brought up to date too."""
    changed = {name: value for name, value in values.items() if getattr(obj, name) != value}
    if changed:
        model.objects.filter(pk=obj.pk).update(**changed)
        for name, value in changed.items():
            setattr(obj, name, value)


class _DemoPassword:
    """Password hashing is deliberately slow, so every demo account shares one hash and an
    account whose stored hash already matches DEMO_PASSWORD is left alone. The password is
    set directly, not through a form, so the password validators stay strict for real
    passwords."""

    def __init__(self):
        self._hash = None
        self._matches = {}

    def apply(self, user) -> None:
        matches = self._matches.get(user.password)
        if matches is None:
            matches = self._matches[user.password] = check_password(DEMO_PASSWORD, user.password)
        if matches:
            return
        if self._hash is None:
            user.set_password(DEMO_PASSWORD)
            self._hash = user.password
            self._matches[self._hash] = True
        else:
            user.password = self._hash
        user.save(update_fields=["password"])


def seed_organisations() -> dict[str, Organisation]:
    return {
        code: _upsert(Organisation, {"code": code}, {"name": name, "kind": kind})
        for code, name, kind in ORGANISATIONS
    }


def seed_units(organisations: dict[str, Organisation]) -> list[Unit]:
    """The units, in the order of UNITS; their heads are the people from _HEAD_PEOPLE on."""
    rng = random.Random(f"{SEED}-staff")  # noqa: S311  (reproducible demo data)
    units = []
    for position, spec in enumerate(UNITS):
        drawn = rng.randint(*STAFF_RANGES[spec.work])  # always drawn, so overrides shift nothing
        first_name, last_name = people()[_HEAD_PEOPLE + position]
        values = {
            "organisation_id": organisations[spec.organisation].pk,
            "name": spec.name,
            "head_name": f"{first_name} {last_name}",
            "head_email": email_for(first_name, last_name),
            "staff_count": spec.staff_count or drawn,
            "has_operational_plan": spec.has_operational_plan,
            "is_private_provider": spec.is_private_provider,
            "stockholmers_share": spec.stockholmers_share,
        }
        units.append(_upsert(Unit, {"code": unit_code(position)}, values))
    return units


def _seed_user(username: str, person: tuple[str, str], role: Role, password: _DemoPassword, **extra):
    first_name, last_name = person
    values = {
        "first_name": first_name,
        "last_name": last_name,
        "email": email_for(first_name, last_name),
        "is_active": True,
        "is_staff": False,
        "is_superuser": False,
        **extra,
    }
    user = _upsert(User, {"username": username}, values)
    password.apply(user)
    # Adding a group the user already has would still write (an insert that ignores conflicts).
    if role not in roles_of(user):
        add_role(user, role)
    return user


def seed_users(units: list[Unit]) -> dict:
    """The demo accounts: SLK (staff, never superuser), the judges, the examiners and one
    contact per unit, who is the unit's head."""
    password = _DemoPassword()
    pool = people()
    slk = _seed_user("slk", pool[_SLK_PERSON], Role.SLK, password, is_staff=True)
    judges = [
        _seed_user(username, pool[_JUDGE_PEOPLE + i], Role.COMMITTEE, password)
        for i, username in enumerate(JUDGES)
    ]
    examiners = [
        _seed_user(f"examinator{i + 1:02d}", pool[_EXAMINER_PEOPLE + i], Role.EXAMINER, password)
        for i in range(EXAMINER_COUNT)
    ]
    linked = set(Unit.contacts.through.objects.values_list("unit_id", "user_id"))
    unit_contacts = []
    for position, unit in enumerate(units):
        user = _seed_user(
            unit_contact_username(position), pool[_HEAD_PEOPLE + position], Role.UNIT_CONTACT, password
        )
        if (unit.pk, user.pk) not in linked:
            unit.contacts.add(user)
        unit_contacts.append(user)
    return {"slk": slk, "judges": judges, "examiners": examiners, "unit_contacts": unit_contacts}


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def cycle_timeline(year: int, *, today: dt.date) -> dict[str, dt.date]:
    """Dates relative to `today`, moved to `year`: the current year's cycle is in individual
    assessment, earlier cycles have the same dates whole years before."""
    return {
        name: _years_later(today + dt.timedelta(days=TIMELINE_OFFSETS[name]), year - today.year)
        for name in TIMELINE_FIELDS
    }


def seed_scale(cycle: AwardCycle) -> ScoringScale:
    scale = _upsert(ScoringScale, {"cycle": cycle}, {"step": ScoringScale.Step.FIVE})
    for kind, bands in SCALE_BANDS.items():
        for low, high, descriptor in bands:
            _upsert(
                ScaleBand,
                {"scale": scale, "kind": kind, "low": low},
                {"high": high, "descriptor": descriptor},
            )
    return scale


def seed_tracks(cycle: AwardCycle) -> list[Track]:
    tracks = []
    for kind, name, description, classes, criteria in TRACKS:
        track = _upsert(Track, {"cycle": cycle, "kind": kind}, {"name": name, "description": description})
        for order, class_name in enumerate(classes):
            _upsert(CompetitionClass, {"track": track, "name": class_name}, {"order": order})
        for number, spec in enumerate(criteria, start=1):
            _upsert(
                Criterion,
                {"track": track, "number": number},
                {
                    "title": spec.title,
                    "kind": spec.kind,
                    "weight": spec.weight,
                    "max_length": spec.max_length,
                    "applicant_guidance": spec.applicant_guidance,
                    "examiner_guidance": spec.examiner_guidance,
                },
            )
        tracks.append(track)
    return tracks


def seed_committee(cycle: AwardCycle, judges: list) -> None:
    chair, *members = judges
    # One chair per cycle is a database constraint: clear any other chair first.
    other_chairs = cycle.committee.filter(is_chair=True).exclude(user=chair)
    if other_chairs.exists():
        other_chairs.update(is_chair=False)
    for user in members:
        _upsert(CommitteeMembership, {"cycle": cycle, "user": user}, {"is_chair": False})
    _upsert(CommitteeMembership, {"cycle": cycle, "user": chair}, {"is_chair": True})


def seed_cycle(year: int, *, today: dt.date, judges: list) -> AwardCycle:
    """A complete cycle for `year` (timeline, tracks, classes, criteria, scale, committee),
    opened through the service unless it already is. Re-running moves its dates to keep
    them relative to `today`."""
    timeline = cycle_timeline(year, today=today)
    AwardCycle(year=year, **timeline).clean()
    cycle = _upsert(AwardCycle, {"year": year}, timeline)
    seed_tracks(cycle)
    seed_scale(cycle)
    seed_committee(cycle, judges)
    if cycle.status == AwardCycle.Status.DRAFT:
        cycle = services.cycle_open(cycle=cycle, by=None)
    return cycle


def seed_past_results(units: list[Unit], *, year: int) -> None:
    by_name = {unit.name: unit for unit in units}
    for unit_name, years_before, track_kind, outcome in PAST_RESULTS:
        _upsert(
            PastResult,
            {"unit": by_name[unit_name], "year": year - years_before, "track_kind": track_kind},
            {"outcome": outcome},
        )


def model_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model, _label in COUNTED_MODELS}


def write_summary(stdout, counts: dict[str, int], users: dict, extra_lines=()) -> None:
    totals = ", ".join(f"{counts[model.__name__]} {label}" for model, label in COUNTED_MODELS)

    def span(accounts):
        return f"{accounts[0].username}–{accounts[-1].username}"

    chair = users["judges"][0].username
    accounts = [
        (users["slk"].username, "SLK-administratör, kommer åt /admin/"),
        (span(users["judges"]), f"domarkommittén ({chair} är ordförande)"),
        (span(users["examiners"]), "examinatorer"),
        (span(users["unit_contacts"]), "enhetskontakter, en per enhet och enhetens chef"),
    ]
    width = max(len(name) for name, _description in accounts)
    lines = [
        "Demodata klar.",
        f"  {totals}.",
        *(f"  {line}" for line in extra_lines),
        f'Demokonton, alla med lösenordet "{DEMO_PASSWORD}":',
        *(f"  {name.ljust(width)}  {description}" for name, description in accounts),
    ]
    for line in lines:
        stdout.write(line + "\n")


def build(*, today: dt.date) -> dict:
    """Build or refresh the demo city and its cycles; returns what later stages seed from."""
    organisations = seed_organisations()
    units = seed_units(organisations)
    users = seed_users(units)
    cycles = {
        year: seed_cycle(year, today=today, judges=users["judges"]) for year in (today.year - 1, today.year)
    }
    seed_past_results(units, year=today.year)
    return {"organisations": organisations, "units": units, "users": users, "cycles": cycles}


def seed(*, stdout=None, extensions=()) -> dict[str, int]:
    """Build or refresh the demo data in one transaction and return the number of rows of
    each counted model. Each extension (a later stage's demo data) is called with the
    built data and today's date inside the same transaction and returns lines for the
    summary. Running it again the same day writes nothing."""
    extra_lines = []
    with transaction.atomic():
        today = award_models.today()
        data = build(today=today)
        for extend in extensions:
            extra_lines.extend(extend(data, today=today) or [])
        # A line may be a callable, read once every extension has run: a later stage may
        # add to what an earlier one counts, and a second run must print the same summary.
        extra_lines = [line() if callable(line) else line for line in extra_lines]
        counts = model_counts()
    # Printed after the commit: a closed output pipe must not undo the seed.
    if stdout is not None:
        write_summary(stdout, counts, data["users"], extra_lines)
    return counts
