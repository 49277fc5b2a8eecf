"""Demo registrations and applications for the demo city of demo.award.

This year's cycle is past its deadlines (it is in individual assessment), so the entries
cannot go through application_register, answer_save and application_submit, which check
the timeline against today. They are written directly instead, the way those services
write them: the code from the services' code helper, the eligibility mark from
submissions.eligibility, one answer per criterion with a saved revision, the unit
contacts' object permissions through services.grant_unit_access, and the audit entries
the services would have recorded, dated when each step happened.

Every entry exists in each state the pages show: submitted, draft (one of them given
more time, so its contact can still write), withdrawn, registration rejected and
registration pending, in both tracks; a few submitted ones report a deficit. Last year's
cycle, already decided, has the submitted entries behind last year's results.

Entries are keyed by (track, unit) and their values by their spec, so a second run on the
same day writes nothing; a run on a later day moves the dates along with the cycles'.
Answer texts are put together from banks of sentences per criterion, with the unit's own
words and figures, by random generators with fixed seeds.
"""

import datetime as dt
import math
import random
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType

from award import audit
from award.models import STOCKHOLM, AuditEntry, Phase, Track
from demo import award as award_demo
from submissions import eligibility, services
from submissions.models import Answer, AnswerRevision, Application

SEED = award_demo.SEED

QUALITY_AWARD = Track.Kind.QUALITY_AWARD
RENEWAL_PRIZE = Track.Kind.RENEWAL_PRIZE

# The states of an entry, as the overview page counts them.
SUBMITTED = "submitted"
DRAFT = "draft"
WITHDRAWN = "withdrawn"
REJECTED = "rejected"
PENDING = "pending"

INDIVIDUAL = Application.NomineeKind.INDIVIDUAL
MANAGER = Application.NomineeKind.MANAGER
TEAM = Application.NomineeKind.TEAM

FILM_HOST = f"https://film.{award_demo.EMAIL_DOMAIN}"


@dataclass(frozen=True)
class EntrySeed:
    unit: str  # the unit's name in award_demo.UNITS
    track: str
    state: str
    deficit_last_year: bool = False
    deficit_forecast: bool = False
    # Förnyelsepriset: who is nominated (a manager is the unit's head) and for what.
    nominee_kind: str = ""
    nominee_name: str = ""
    nominee_role: str = ""
    innovation: str = ""
    film: bool = False
    # Why SLK rejected the registration, or why the unit withdrew.
    reason: str = ""
    # A withdrawn entry that had been submitted first; a draft given more time.
    was_submitted: bool = False
    extended: bool = False


# This year's cycle: most quality award entries submitted, for the examiner teams to come.
CURRENT_ENTRIES = [
    EntrySeed("Förskolan Trädgården", QUALITY_AWARD, SUBMITTED),
    EntrySeed("Förskolan Trollskogen", QUALITY_AWARD, SUBMITTED, deficit_forecast=True),
    EntrySeed("Förskolan Fyrklövern", QUALITY_AWARD, SUBMITTED),
    EntrySeed("Montessoriförskolan Lärkan", QUALITY_AWARD, SUBMITTED),
    EntrySeed("Kista grundskola", QUALITY_AWARD, SUBMITTED),
    EntrySeed("Vällingbyskolan", QUALITY_AWARD, SUBMITTED),
    EntrySeed("Södermalmsskolan", QUALITY_AWARD, SUBMITTED, deficit_last_year=True),
    EntrySeed("Hemtjänst Bromma västra", QUALITY_AWARD, SUBMITTED),
    EntrySeed("Vård- och omsorgsboendet Solbacka", QUALITY_AWARD, SUBMITTED),
    EntrySeed("Hemtjänst Vasastan", QUALITY_AWARD, SUBMITTED),
    EntrySeed("Gruppbostaden Lärkstaden", QUALITY_AWARD, SUBMITTED),
    EntrySeed("Familjeenheten Farsta", QUALITY_AWARD, SUBMITTED),
    EntrySeed("Kista bibliotek", QUALITY_AWARD, SUBMITTED),
    EntrySeed(
        "Medeltidsmuseet",
        QUALITY_AWARD,
        DRAFT,
        extended=True,
        reason="Enhetschefen har varit sjukskriven under skrivperioden. Enheten får två veckor till för "
        "att slutföra bidraget.",
    ),
    EntrySeed("Nockebyhovs skola", QUALITY_AWARD, DRAFT),
    EntrySeed(
        "Hemtjänst Farsta",
        QUALITY_AWARD,
        WITHDRAWN,
        was_submitted=True,
        reason="Hemtjänst Farsta slås samman med en annan hemtjänstgrupp i förvaltningen och får en ny "
        "organisation under hösten. Vi vill hellre söka igen när den nya enheten har hittat sina "
        "arbetssätt.",
    ),
    EntrySeed(
        "Nattpatrullen Norrmalm",
        QUALITY_AWARD,
        REJECTED,
        reason="Enligt Norrmalms stadsdelsförvaltning har Nattpatrullen ingen egen budget utan ingår i "
        "hemtjänstens gemensamma budget. Chefen har därmed inte budgetansvar, vilket krävs för att "
        "enheten ska få delta. Hemtjänsten kan anmäla sig som en enhet med nattpatrullen inräknad.",
    ),
    EntrySeed("Stadsarkivet", QUALITY_AWARD, PENDING),
    EntrySeed(
        "Äldre direkt",
        RENEWAL_PRIZE,
        SUBMITTED,
        nominee_kind=TEAM,
        nominee_name="Kvällsteamet på Äldre direkt",
        innovation="kvallssamtal",
        film=True,
    ),
    EntrySeed(
        "Ekonomiskt bistånd Skärholmen",
        RENEWAL_PRIZE,
        SUBMITTED,
        nominee_kind=INDIVIDUAL,
        nominee_name="Leila Rahimi",
        nominee_role="socialsekreterare",
        innovation="sprakstod",
    ),
    EntrySeed(
        "Tensta bibliotek",
        RENEWAL_PRIZE,
        SUBMITTED,
        nominee_kind=TEAM,
        nominee_name="Arbetslaget för barn och unga på Tensta bibliotek",
        innovation="bokcykeln",
        film=True,
    ),
    EntrySeed("Förskolan Humlan", RENEWAL_PRIZE, SUBMITTED, nominee_kind=MANAGER, innovation="sagovaskan"),
    EntrySeed(
        "Uppsökande enheten",
        RENEWAL_PRIZE,
        SUBMITTED,
        deficit_forecast=True,
        nominee_kind=TEAM,
        nominee_name="Uppsökarteamet city",
        innovation="sjukskoterska_ute",
    ),
    EntrySeed(
        "Hemtjänst Vasastan",
        RENEWAL_PRIZE,
        DRAFT,
        nominee_kind=INDIVIDUAL,
        nominee_name="Erik Lindqvist",
        nominee_role="planerare",
        innovation="kontinuitet",
    ),
    EntrySeed(
        "Parklekarna Kungsholmen",
        RENEWAL_PRIZE,
        WITHDRAWN,
        nominee_kind=TEAM,
        nominee_name="Parkleksteamet",
        innovation="lordagsparklek",
        reason="Lördagsöppettiderna har bara pågått en säsong, och vi vill kunna visa resultat från ett "
        "helt år innan vi söker. Vi återkommer nästa år.",
    ),
    EntrySeed(
        "Dagverksamheten Lyktan",
        RENEWAL_PRIZE,
        REJECTED,
        nominee_kind=INDIVIDUAL,
        nominee_name="Birgitta Sjöberg",
        nominee_role="undersköterska",
        innovation="minnesvandring",
        reason="Minnesvandringarna är än så länge ett försök med en grupp och är inte införda i "
        "verksamheten. Förnyelsepriset belönar förnyelse som redan gör nytta i den ordinarie "
        "verksamheten. Välkomna att anmäla arbetet nästa år.",
    ),
    EntrySeed(
        "Boendestöd Enskede-Årsta-Vantör",
        RENEWAL_PRIZE,
        PENDING,
        nominee_kind=MANAGER,
        innovation="videoboendestod",
    ),
]

# Last year's cycle, already decided: the entries behind last year's results and a few more.
PREVIOUS_ENTRIES = [
    EntrySeed("Förskolan Solrosen", QUALITY_AWARD, SUBMITTED),
    EntrySeed("Vasa Real", QUALITY_AWARD, SUBMITTED),
    EntrySeed("Spånga grundskola", QUALITY_AWARD, SUBMITTED),
    EntrySeed("Hemtjänst Spånga", QUALITY_AWARD, SUBMITTED, deficit_last_year=True, deficit_forecast=True),
    EntrySeed("Gruppbostaden Ängsgården", QUALITY_AWARD, SUBMITTED),
    EntrySeed("Daglig verksamhet Ateljé Tensta", QUALITY_AWARD, SUBMITTED),
    EntrySeed("Kista bibliotek", QUALITY_AWARD, SUBMITTED),
    EntrySeed(
        "Bromma gymnasium",
        QUALITY_AWARD,
        WITHDRAWN,
        was_submitted=True,
        reason="Skolan har fått en ny rektor som vill gå igenom verksamhetsplanen innan vi tävlar.",
    ),
    EntrySeed(
        "Socialjouren",
        RENEWAL_PRIZE,
        SUBMITTED,
        nominee_kind=TEAM,
        nominee_name="Socialjourens chattgrupp",
        innovation="chatt",
        film=True,
    ),
    EntrySeed(
        "Vård- och omsorgsboendet Kristinehov",
        RENEWAL_PRIZE,
        SUBMITTED,
        nominee_kind=TEAM,
        nominee_name="Måltidsgruppen på Kristinehov",
        innovation="restaurangkvall",
    ),
    EntrySeed(
        "Medborgarkontoret Skärholmen",
        RENEWAL_PRIZE,
        SUBMITTED,
        nominee_kind=INDIVIDUAL,
        nominee_name="Hassan Abdi",
        nominee_role="samhällsvägledare",
        innovation="fixartid",
    ),
]

# Phases in which last year's submitted entries exist: once its writing is over.
PHASES_AFTER_WRITING = list(Phase)[list(Phase).index(Phase.ASSESSMENT) :]

# --- Words of each kind of work ---------------------------------------------------------

WORDS = {
    award_demo.PRESCHOOL: {
        "verksamheten": "förskolan",
        "brukare": "barn",
        "brukarna": "barnen",
        "brukarnas": "barnens",
        "anhöriga": "vårdnadshavarna",
        "personalen": "pedagogerna",
        "enkaten": "stadens förskoleundersökning",
        "styrdokument": "läroplanen för förskolan",
        "karnprocess": "den pedagogiska dokumentationen",
        "mote": "utvecklingssamtalen",
        "nojdmatt": "andelen vårdnadshavare som är nöjda med förskolan som helhet",
        "kvalitetsmatt": "andelen vårdnadshavare som anser att förskolan stimulerar barnets språkutveckling",
        "processmatt": "andelen barn vars dokumentation har uppdaterats den senaste månaden",
        "exempel": "den språkutvecklande högläsningen i mindre grupper",
        "delaktighet": "temaarbetet och hur lekmiljöerna inomhus och utomhus ska se ut",
        "kompetens": "språkutvecklande arbetssätt och digitala verktyg i lärandet",
        "egenkontroll": "säkerheten i utemiljön",
        "processer": "inskolning, omsorg och undervisning under dagen, samverkan med hemmet och övergången "
        "till förskoleklass",
        "samverkan": "skolorna i området, barnavårdscentralen och den öppna förskolan",
        "overgang": "övergången till förskoleklass",
        "forbattringsomrade": "informationen till vårdnadshavarna om barnens lärande",
        "antal": (45, 110),
    },
    award_demo.SCHOOL: {
        "verksamheten": "skolan",
        "brukare": "elever",
        "brukarna": "eleverna",
        "brukarnas": "elevernas",
        "anhöriga": "vårdnadshavarna",
        "personalen": "lärarna",
        "enkaten": "stadens skolundersökning",
        "styrdokument": "skollagen och läroplanen",
        "karnprocess": "undervisningen",
        "mote": "utvecklingssamtalen",
        "nojdmatt": "andelen elever som är nöjda med skolan som helhet",
        "kvalitetsmatt": "andelen elever som når minst betyget E i alla ämnen",
        "processmatt": "andelen lektioner som följer den gemensamma lektionsstrukturen vid kollegiala "
        "observationer",
        "exempel": "den gemensamma lektionsstrukturen med tydliga mål och avslutning",
        "delaktighet": "lektionernas upplägg genom klassråd och elevråd",
        "kompetens": "formativ bedömning och språkutvecklande undervisning",
        "egenkontroll": "närvarorapportering",
        "processer": "undervisning, elevhälsa, bedömning och betygssättning samt övergångar mellan stadier",
        "samverkan": "förskolorna, fritidsgårdarna och socialtjänsten i området",
        "overgang": "övergångarna mellan stadierna",
        "forbattringsomrade": "elevernas upplevelse av studiero",
        "antal": (320, 880),
    },
    award_demo.ELDERLY_CARE: {
        "verksamheten": "verksamheten",
        "brukare": "äldre",
        "brukarna": "de äldre",
        "brukarnas": "de äldres",
        "anhöriga": "anhöriga",
        "personalen": "undersköterskorna",
        "enkaten": "Socialstyrelsens brukarundersökning",
        "styrdokument": "socialtjänstlagen och stadens äldreomsorgsprogram",
        "karnprocess": "genomförandeplanerna",
        "mote": "uppföljningssamtalen",
        "nojdmatt": "andelen äldre som sammantaget är nöjda med verksamheten",
        "kvalitetsmatt": "andelen äldre som känner sig trygga med stödet de får",
        "processmatt": "andelen genomförandeplaner som har följts upp inom sex månader",
        "exempel": "kontinuiteten, så att de äldre möter färre olika medarbetare",
        "delaktighet": "sina insatser och hur de ska utföras, vilket dokumenteras i genomförandeplanen",
        "kompetens": "demensvård, palliativ vård och läkemedelshantering",
        "egenkontroll": "läkemedelshantering",
        "processer": "start av insatser, det dagliga stödet enligt genomförandeplanen, "
        "läkemedelshantering och samverkan med hälso- och sjukvården",
        "samverkan": "biståndshandläggarna, hälso- och sjukvården och frivilligorganisationerna",
        "overgang": "hemgång från sjukhus",
        "forbattringsomrade": "möjligheten att påverka vid vilka tider insatserna ges",
        "antal": (45, 180),
    },
    award_demo.SOCIAL_SERVICES: {
        "verksamheten": "verksamheten",
        "brukare": "brukare",
        "brukarna": "brukarna",
        "brukarnas": "brukarnas",
        "anhöriga": "närstående",
        "personalen": "medarbetarna",
        "enkaten": "stadens brukarundersökning",
        "styrdokument": "socialtjänstlagen och LSS",
        "karnprocess": "planeringen av insatser",
        "mote": "uppföljningsmötena",
        "nojdmatt": "andelen brukare som sammantaget är nöjda med verksamheten",
        "kvalitetsmatt": "andelen brukare som anser att de får bestämma om saker som är viktiga för dem",
        "processmatt": "andelen genomförandeplaner som har följts upp i tid",
        "exempel": "de individuella scheman som gör dagen förutsägbar",
        "delaktighet": "sin vardag genom brukarråd och individuella planeringsmöten",
        "kompetens": "lågaffektivt bemötande och motiverande samtal",
        "egenkontroll": "genomförandeplaner",
        "processer": "mottagning och utredning, planering och genomförande av insatser samt uppföljning",
        "samverkan": "handläggarna, hälso- och sjukvården och brukarorganisationerna",
        "overgang": "övergången mellan olika insatser",
        "forbattringsomrade": "väntetiden till den första kontakten",
        "antal": (18, 240),
    },
    award_demo.OTHER: {
        "verksamheten": "verksamheten",
        "brukare": "besökare",
        "brukarna": "besökarna",
        "brukarnas": "besökarnas",
        "anhöriga": "medborgarna i närområdet",
        "personalen": "medarbetarna",
        "enkaten": "vår årliga besöksundersökning",
        "styrdokument": "nämndens verksamhetsplan",
        "karnprocess": "servicen i mötet med besökarna",
        "mote": "dialogmötena",
        "nojdmatt": "andelen besökare som ger verksamheten betyget bra eller mycket bra",
        "kvalitetsmatt": "andelen besökare som hittar det de söker vid sitt besök",
        "processmatt": "andelen ärenden som löses vid första kontakten",
        "exempel": "öppettiderna och bemötandet i entrén",
        "delaktighet": "programmet genom användarråd och öppna idéträffar",
        "kompetens": "bemötande, tillgänglighet och digitalt stöd till besökarna",
        "egenkontroll": "tillgänglighet",
        "processer": "mötet med besökaren, programverksamheten, service och information samt lokaler och "
        "tillgänglighet",
        "samverkan": "stadsdelsförvaltningen, skolorna och föreningslivet",
        "overgang": "hänvisningen av besökare till rätt instans",
        "forbattringsomrade": "kännedomen om vårt utbud bland dem som ännu inte besöker oss",
        "antal": (9000, 95000),
    },
}

# --- Sentence banks per criterion -------------------------------------------------------

# Each criterion's answer is its paragraphs in order. A paragraph keeps its first sentence
# and a random selection of the others, in order. {placeholders} are the unit's words
# and figures drawn for the answer.
QUALITY_AWARD_TEXTS = {
    "Ledarskap och styrning": [
        [
            "{enheten} ingår i {forvaltningen} och har {staff} medarbetare inklusive chefen.",
            "Vårt uppdrag utgår från {styrdokument}, kommunfullmäktiges budget och {forvaltningens} "
            "verksamhetsplan.",
            "Varje höst bryter ledningsgruppen ned nämndens mål till tre eller fyra egna åtaganden för "
            "{verksamheten}, formulerade så att {brukarna} och {anhöriga} kan förstå dem.",
            "Åtagandena tas fram på en gemensam planeringsdag där alla medarbetare deltar, och de följs upp "
            "i stadens system för integrerad ledning och styrning (ILS) varje tertial.",
            "?Våra värderingar – respekt, delaktighet och professionalitet – formulerades av medarbetarna "
            "själva {ar3} och används i dag när vi rekryterar, i medarbetarsamtalen och när vi diskuterar "
            "svåra situationer.",
        ],
        [
            "Vi fattar beslut utifrån fakta.",
            "Inför varje tertialuppföljning sammanställer vi resultat från {enkaten}, avvikelser, "
            "synpunkter och ekonomi i en gemensam översikt.",
            "Översikten gås igenom på arbetsplatsträffen, där arbetslagen själva analyserar vad resultaten "
            "beror på och föreslår åtgärder.",
            "När resultaten {ar2} visade att {nojdmatt} hade sjunkit, var det arbetslagens analys som pekade "
            "ut orsaken, och åtgärderna beslutades gemensamt.",
            "?Vi har lärt oss att inte nöja oss med medelvärden: vi bryter ned resultaten per grupp och per "
            "fråga för att se var skillnaderna finns.",
        ],
        [
            "Ledarskapet bygger på tillit och tydliga mandat.",
            "Arbetslagen har egna budgetramar för material och kompetensutveckling och fattar själva beslut "
            "inom dem.",
            "Varje arbetslag har en samordnare som tillsammans med chefen ansvarar för att planeringen blir "
            "av och följs upp.",
            "Chefen finns i verksamheten och avsätter fasta tider varje vecka för att vara med i det dagliga "
            "arbetet.",
            "?Nya medarbetare får en introduktion där uppdraget, värderingarna och våra arbetssätt gås "
            "igenom, och en erfaren kollega som mentor under de första månaderna.",
        ],
        [
            "Vi utvärderar också ledarskapet.",
            "Frågorna om ledarskap i medarbetarenkäten gås igenom i ledningsgruppen, och chefen redovisar "
            "för alla medarbetare vad som ska förändras.",
            "Efter medarbetarenkäten {ar1} ändrade vi arbetsplatsträffarnas upplägg så att mer tid går till "
            "verksamhetsfrågor och mindre till information, som i stället skickas ut skriftligt.",
            "Ledningsgruppen gör varje år en självvärdering mot kriterierna i stadens kvalitetsutmärkelse "
            "och väljer ut två förbättringsområden att arbeta med.",
            "?Nästa steg är att göra uppföljningen tätare, så att vi kan agera inom veckor i stället för "
            "inom månader när något går åt fel håll.",
        ],
        [
            (
                "Verksamhetsplanen är vårt viktigaste styrdokument, och den är kort med avsikt: alla "
                "medarbetare ska kunna läsa och använda den.",
                "Verksamhetsplanen är kort och konkret, eftersom den ska användas i vardagen och inte "
                "bara finnas i en pärm.",
            ),
            "Den innehåller våra åtaganden, de aktiviteter som ska leda dit och de indikatorer vi följer, "
            "med ett målvärde för varje indikator.",
            "Varje aktivitet har en ansvarig medarbetare och ett datum för uppföljning.",
            "?I verksamhetsberättelsen i slutet av året beskriver vi vad som gick bra och vad som inte gick "
            "som planerat, och lärdomarna tas med in i nästa års plan.",
        ],
        [
            "Ett exempel på hur styrningen har förbättrats är arbetet med {exempel}.",
            "Det började med att resultaten i {enkaten} visade att {brukarna} och {anhöriga} var mindre "
            "nöjda på det området än vi hade trott.",
            "Ledningsgruppen gav ett arbetslag i uppdrag att ta fram förslag, med tid avsatt i schemat och "
            "ett tydligt mål att följa upp.",
            "Förslagen prövades under en termin, och de som fungerade är nu en del av våra rutiner.",
            "?Arbetet visade oss värdet av att ge uppdrag med både mandat och tid, och vi arbetar nu på "
            "samma sätt med andra förbättringsområden.",
        ],
    ],
    "Medborgarens och brukarens fokus": [
        [
            "{enheten} möter varje år omkring {antal} {brukare}, med stor variation i ålder, språk och "
            "behov.",
            "?En del av dem har ett annat modersmål än svenska, och därför har vi kartlagt vilka språk som "
            "talas och tagit fram information på de vanligaste språken.",
            "Vi ser {brukarna} och {anhöriga} som medskapare: det är deras behov som avgör hur vi "
            "organiserar arbetet.",
        ],
        [
            "Vi tar reda på behov och förväntningar på flera sätt: genom {enkaten}, genom {mote} och genom "
            "de vardagliga samtalen.",
            "Eftersom enkäten bara ger en bild en gång om året kompletterar vi den med några korta "
            "pulsfrågor till {brukarna} varje månad.",
            "{anhöriga} bjuds in till ett dialogmöte per termin, där vi redovisar resultat och tillsammans "
            "diskuterar vad vi ska prioritera.",
            "?Vid {mote} används en gemensam mall, så att vi kan sammanställa vad som tas upp och se mönster "
            "över tid.",
        ],
        [
            "Synpunkter och klagomål registreras i stadens system för synpunktshantering och besvaras inom "
            "fem arbetsdagar.",
            "Under {ar1} fick vi {n_synpunkter} synpunkter, och ungefär en tredjedel av dem var beröm.",
            "Varje månad går ledningsgruppen igenom synpunkterna och letar efter återkommande teman, inte "
            "bara enskilda ärenden.",
            "Flera synpunkter handlade om {exempel}. Vi bjöd in dem som hade hört av sig, tog fram ett "
            "förslag tillsammans och följde upp efter tre månader.",
        ],
        [
            "Delaktighet är en grundsten i vårt arbete.",
            "{brukarna} är med och påverkar {delaktighet}.",
            "Vi återkopplar alltid vad synpunkterna har lett till, på anslagstavlan, i nyhetsbrevet och på "
            "dialogmötena, under rubriken ”Ni sa – vi gjorde”.",
            "?Det har gjort att fler hör av sig: när {brukarna} ser att det leder till förändring blir det "
            "meningsfullt att säga vad man tycker.",
        ],
        [
            "Information och tillgänglighet är en förutsättning för dialog.",
            "Vi har sett över vår information på webben och i {verksamheten} tillsammans med {brukarna} och "
            "skrivit om den på ett enklare språk.",
            "?Vid behov använder vi tolk, bildstöd eller andra hjälpmedel, så att alla kan göra sig "
            "förstådda.",
            "?Vi följer också hur lätt det är att komma i kontakt med oss, och svarstiden i telefon har "
            "blivit kortare de senaste åren.",
        ],
        [
            "Kunskapen om {brukarnas} behov styr planeringen.",
            "Inför ett nytt år går vi igenom resultaten från {enkaten}, synpunkterna och det som har kommit "
            "fram vid {mote}, och varje åtagande i verksamhetsplanen ska kunna kopplas till något av det.",
            "?På så sätt blir det tydligt för både medarbetarna och {brukarna} varför vi prioriterar som vi "
            "gör.",
        ],
    ],
    "Medarbetarnas engagemang och delaktighet": [
        [
            "Medarbetarna är vår viktigaste resurs, och vi arbetar medvetet för att alla ska vara delaktiga "
            "i att planera, följa upp och förbättra verksamheten.",
            "Alla medarbetare deltar i planeringsdagarna i augusti och januari, där vi går igenom "
            "resultaten och bestämmer vad vi ska förbättra.",
            "På arbetsplatsträffarna, som hålls varannan vecka, har förbättringsarbetet en fast punkt på "
            "dagordningen.",
            "Varje arbetslag har en förbättringstavla där idéer, pågående åtgärder och resultat synliggörs.",
        ],
        [
            "Kompetensutvecklingen utgår från verksamhetens mål.",
            "Varje medarbetare har en individuell plan som tas fram i medarbetarsamtalet och följs upp i "
            "lönesamtalet.",
            "Under de senaste åren har vi prioriterat {kompetens}, eftersom analysen av våra resultat visade "
            "att det var där behovet var störst.",
            "Vi använder den egna kompetensen: medarbetare som har gått en utbildning leder sedan ett "
            "lärande samtal för kollegorna.",
            "?Vi har {n_handledare} medarbetare som är utbildade handledare och tar emot studenter, vilket "
            "också är ett sätt att rekrytera.",
        ],
        [
            "Arbetsmiljön följs upp systematiskt tillsammans med skyddsombudet.",
            "Vi gör skyddsronder två gånger om året och en årlig uppföljning av den organisatoriska och "
            "sociala arbetsmiljön.",
            "När sjukfrånvaron ökade {ar2} gick vi igenom den tillsammans med företagshälsovården och "
            "införde bland annat tidiga rehabiliteringssamtal och ett tydligare sätt att fördela "
            "arbetsuppgifterna.",
            "?Medarbetarenkätens resultat gås igenom i varje arbetslag, och varje lag väljer ut ett område "
            "att arbeta vidare med.",
        ],
        [
            "Medarbetarnas idéer tas till vara genom idétavlan och stadens innovationsstöd.",
            "Under {ar1} kom det in {n_forslag} förbättringsförslag, och ungefär hälften har genomförts helt "
            "eller delvis.",
            "Ett förslag från en medarbetare ledde till att vi förändrade arbetet med {exempel}, och i dag "
            "har arbetssättet spridits till flera enheter.",
            "Vi vet att arbetssätten fungerar eftersom medarbetarindex har ökat och personalomsättningen har "
            "minskat, vilket framgår av redovisningen av våra verksamhetsresultat.",
        ],
        [
            "Medarbetarsamtalen är en viktig del av delaktigheten.",
            "Alla medarbetare har ett samtal med chefen varje år, och samtalet utgår från verksamhetens mål "
            "och den egna rollen i att nå dem.",
            "?Inför samtalet fyller medarbetaren i en kort självskattning, som gör samtalet bättre förberett "
            "och mer jämlikt.",
            "?Vi följer upp att alla samtal blir av, och under {ar1} hade samtliga medarbetare haft sitt "
            "samtal före sommaren.",
        ],
        [
            "Vi tar vara på den mångfald av erfarenheter och språk som finns i arbetsgruppen.",
            "Flera medarbetare talar samma språk som {brukarna} och {anhöriga}, och det använder vi medvetet "
            "när vi planerar.",
            "?Vi uppmärksammar också det som går bra: varje arbetsplatsträff börjar med att någon berättar om "
            "en förbättring eller ett gott exempel från veckan.",
        ],
    ],
    "Processer och ständiga förbättringar": [
        [
            "Vi har kartlagt våra viktigaste processer: {processer}.",
            "Varje process har en processägare i ledningsgruppen och ett par mått som vi följer regelbundet.",
            "?Processerna är beskrivna i enkla flödesscheman i ledningssystemet, och de används när nya "
            "medarbetare introduceras.",
            "När vi kartlade arbetet med {karnprocess} upptäckte vi flera onödiga moment och "
            "dubbeldokumentation, som vi tog bort.",
        ],
        [
            "Förbättringsarbetet följer en enkel cykel: planera, genomföra, studera och agera (PGSA).",
            "Varje förbättring börjar med en beskrivning av problemet och av hur vi ska veta att en "
            "förändring är en förbättring.",
            "Vi prövar förändringar i liten skala, ofta i ett arbetslag under några veckor, innan de införs "
            "i hela {verksamheten}.",
            "Under {ar1} genomförde vi {n_pgsa} förbättringscykler, och resultaten redovisades på "
            "arbetsplatsträffarna.",
        ],
        [
            "Avvikelser rapporteras i stadens avvikelsesystem.",
            "Vi har arbetat för att det ska vara självklart att rapportera, och antalet rapporterade "
            "avvikelser har därför ökat samtidigt som de allvarliga har blivit färre.",
            "Varje avvikelse analyseras av den som är närmast, och mönster tas upp i ledningsgruppen varje "
            "månad.",
            "Egenkontroller görs enligt en årsplan och omfattar bland annat dokumentation, {egenkontroll} och "
            "hygien.",
            "?Resultaten av egenkontrollerna återkopplas till arbetslagen samma månad.",
        ],
        [
            "Ett exempel är arbetet med {exempel}.",
            "Utgångsläget var att {nojdmatt} låg under stadens genomsnitt.",
            "Vi gjorde en orsaksanalys tillsammans med medarbetarna och {brukarna}, prövade tre förändringar "
            "i liten skala och behöll de två som gav effekt.",
            "Efter ett år hade resultatet förbättrats tydligt, och arbetssättet ingår nu i våra rutiner.",
            "?Vi lärde oss att det tar tid att förändra vanor, och att det behövs uppföljning även efter att "
            "en förbättring har införts.",
        ],
        [
            "Vi mäter att processerna fungerar.",
            "För varje process har vi valt ut ett par mått, till exempel {processmatt}, som följs upp varje "
            "månad på en gemensam tavla.",
            "När ett mått går åt fel håll gör arbetslaget en kort analys, och åtgärden följs upp på nästa "
            "tavelmöte.",
            "?Måtten har vi valt tillsammans med medarbetarna, så att de speglar det som är viktigt i det "
            "dagliga arbetet och inte bara det som är lätt att räkna.",
        ],
        [
            "Digitaliseringen har gett oss nya möjligheter att förbättra processerna.",
            "Vi har ersatt flera pappersblanketter med digitala formulär, vilket har minskat dubbelarbetet "
            "och gjort det lättare att följa upp.",
            "?Varje ny digital lösning prövas först i ett arbetslag och utvärderas innan den införs fullt ut.",
        ],
    ],
    "Samverkan och spridning av goda exempel": [
        [
            "Vi samverkar regelbundet med {samverkan}.",
            "Samverkan utgår från {brukarnas} behov och följs upp i gemensamma möten två gånger per termin.",
            "Formerna för samverkan är nedskrivna i överenskommelser, så att de inte hänger på enskilda "
            "personer.",
            "Tillsammans med våra samverkansparter har vi tagit fram en gemensam rutin för {overgang}, som "
            "har gjort att färre {brukare} faller mellan stolarna.",
        ],
        [
            "Vi lär av andra genom studiebesök och nätverk.",
            "Under de senaste två åren har vi besökt flera enheter som har vunnit eller fått "
            "hedersomnämnande i stadens kvalitetsutmärkelse.",
            "Vi deltar i {forvaltningens} kvalitetsnätverk, där enheterna delar erfarenheter av "
            "förbättringsarbete.",
            "?Flera av våra arbetssätt, till exempel förbättringstavlorna, har vi hämtat från andra enheter "
            "och anpassat till oss.",
        ],
        [
            "Vi delar gärna med oss av det som fungerar.",
            "Vårt arbete med {exempel} har presenterats på stadens kvalitetsmässa och i {forvaltningens} "
            "nätverk.",
            "Under {ar1} tog vi emot {n_studiebesok} studiebesök från andra enheter, både inom och utanför "
            "staden.",
            "Två andra enheter har tagit efter vårt arbetssätt, och vi har hjälpt dem att komma i gång.",
            "?Vi har också beskrivit arbetet i stadens exempelbank, så att fler kan ta del av det.",
        ],
        [
            "Vi ser spridning som en del av uppdraget: det som gör nytta för {brukarna} hos oss kan göra "
            "nytta för fler stockholmare.",
            "Därför avsätter ledningsgruppen tid varje termin för att ta emot besök och för att själva "
            "besöka andra.",
        ],
        [
            "Samverkan inom den egna förvaltningen är lika viktig.",
            "Vi ingår i ett nätverk med andra enheter i {forvaltningen}, där vi delar kompetens, vikarier och "
            "lokaler när det behövs.",
            "?Nätverket har också gjort det lättare att samordna kompetensutvecklingen, så att vi kan gå "
            "utbildningar tillsammans och dela på kostnaden.",
        ],
        [
            "Vi samverkar också med civilsamhället.",
            "Tillsammans med föreningar och frivilliga i området ordnar vi aktiviteter som {brukarna} själva "
            "har efterfrågat.",
            "?Samarbetet följs upp en gång om året tillsammans med föreningarna, och vi bestämmer gemensamt "
            "vad vi ska fortsätta med.",
        ],
    ],
    "Resultat för medborgarna": [
        [
            "Vi följer {nojdmatt} i {enkaten}.",
            "Resultatet har utvecklats från {p0} procent {ar3} till {p1} procent {ar2} och {p2} procent "
            "{ar1}.",
            "{mal_text}",
            "?Som jämförelse var genomsnittet i staden {p_stad} procent samma år.",
            "Förbättringen förklarar vi främst med arbetet med {exempel}, som {brukarna} och {anhöriga} "
            "särskilt lyfter fram i fritextsvaren.",
        ],
        [
            "Ett annat viktigt mått är {kvalitetsmatt}.",
            "Det har ökat från {q0} procent {ar3} till {q2} procent {ar1}.",
            "Målet i vår verksamhetsplan är {q_mal} procent {ar}, och vi följer utvecklingen varje tertial.",
            "När vi bryter ned resultatet ser vi att skillnaderna mellan grupperna har minskat, vilket var "
            "ett av våra åtaganden.",
        ],
        [
            "Antalet klagomål har minskat från {k0} till {k2} mellan {ar3} och {ar1}, samtidigt som antalet "
            "synpunkter totalt har ökat.",
            "Vi tolkar det som att fler vill och vågar säga vad de tycker, och att vi tar hand om "
            "synpunkterna bättre.",
            "Svarstiden på synpunkter var i genomsnitt {svarstid} arbetsdagar {ar1}, jämfört med stadens "
            "riktvärde på tio arbetsdagar.",
            "?Frågan om bemötande har legat på en hög nivå alla tre åren, mellan {b0} och {b1} procent.",
        ],
        [
            "Vi jämför oss med liknande verksamheter i staden och i andra kommuner, i Kolada och i vårt "
            "nätverk.",
            "Jämförelserna visar att vi ligger bland den bästa fjärdedelen när det gäller nöjdhet och "
            "bemötande, men att vi har mer att göra när det gäller {forbattringsomrade}.",
            "Där har vi satt ett nytt mål för {ar}, och åtgärderna är beskrivna i verksamhetsplanen.",
            "Sammantaget visar resultaten en positiv trend över tre år för de flesta mått som är viktiga för "
            "{brukarna}, och vi kan koppla förbättringarna till konkreta förändringar i hur vi arbetar.",
        ],
        [
            "Vi följer också upp våra egna åtaganden i verksamhetsplanen.",
            "Av de {n_indikatorer} indikatorer vi följde {ar1} nådde vi målvärdet för {n_nadda}, och för de "
            "övriga var utvecklingen positiv.",
            "Resultaten redovisas i verksamhetsberättelsen och i stadens system för integrerad ledning och "
            "styrning.",
            "?Vi redovisar alltid resultaten också för {brukarna} och {anhöriga}, på dialogmötena och i "
            "nyhetsbrevet.",
        ],
        [
            "Resultaten skiljer sig mellan olika grupper, och det analyserar vi noga.",
            "De som har varit hos oss kortare tid är något mindre nöjda än de som har varit hos oss länge, "
            "vilket har lett till att vi har förbättrat hur vi tar emot den som är ny.",
            "?Vi har också sett att resultaten är lägre bland dem som har ett annat modersmål än svenska, och "
            "där har vi infört information på fler språk och tolk vid {mote}.",
        ],
        [
            "Förbättringsarbetet syns också i enskilda mått.",
            "Efter att vi förändrade arbetet med {exempel} ökade andelen nöjda med just det området från {t0} "
            "till {t2} procent på två år.",
            "?Det är ett av de tydligaste exemplen på att en förändring i arbetssättet har lett till ett "
            "bättre resultat för {brukarna}.",
        ],
    ],
    "Verksamhetsresultat och analys": [
        [
            "Medarbetarindex i stadens medarbetarenkät har ökat från {m0} till {m2} mellan {ar3} och {ar1}, "
            "och det ligger nu över genomsnittet i {forvaltningen}.",
            "?Frågan om möjligheten att påverka det egna arbetet har ökat mest, vilket vi kopplar till "
            "arbetet med förbättringstavlorna.",
            "Sjukfrånvaron har minskat från {s0} procent {ar3} till {s2} procent {ar1}, och det är "
            "korttidsfrånvaron som har minskat mest.",
            "Personalomsättningen var {oms} procent {ar1}, jämfört med {oms0} procent tre år tidigare.",
        ],
        [
            "{ekonomi}",
            "Vi följer ekonomin månadsvis tillsammans med förvaltningens controller och gör en prognos varje "
            "månad från mars.",
            "?Ekonomin är en stående punkt på ledningsgruppens möten, och arbetslagen får en egen "
            "uppföljning av sina budgetramar.",
        ],
        [
            "För {karnprocess} följer vi {processmatt}.",
            "Andelen har ökat från {e0} procent till {e2} procent på tre år.",
            "Antalet rapporterade avvikelser har ökat, medan andelen allvarliga avvikelser har minskat från "
            "{a0} till {a2} procent.",
            "Vi har också miljömål enligt stadens miljöprogram: genom fler digitala möten och en samordnad "
            "inköpsplanering har resorna i tjänsten och förbrukningen av material minskat med {svinn} "
            "procent sedan {ar3}.",
        ],
        [
            "Vi analyserar resultaten två gånger om året, i ledningsgruppen och på en gemensam analysdag "
            "med alla medarbetare.",
            "Analysen utgår från tre frågor: vad ser vi, vad beror det på och vad ska vi göra? Svaren leder "
            "till de prioriteringar som skrivs in i nästa års verksamhetsplan.",
            "Analysen av sjukfrånvaron {ar2} visade till exempel att den var högst i de arbetslag som hade "
            "flest vikarier, vilket ledde till att vi inrättade en egen vikariepool.",
            "Där trenderna inte är positiva, som för {forbattringsomrade}, har vi satt in åtgärder och följer "
            "upp dem tätare.",
        ],
        [
            "Medarbetarnas kompetens har utvecklats.",
            "Andelen medarbetare med relevant utbildning har ökat från {u0} till {u2} procent sedan {ar3}, "
            "och alla medarbetare har en aktuell plan för sin kompetensutveckling.",
            "?Vi har också kunnat rekrytera till samtliga lediga tjänster under {ar1}, vilket inte var fallet "
            "tre år tidigare.",
        ],
        [
            "Effektiviteten har förbättrats.",
            "Tiden som medarbetarna lägger på dokumentation har minskat sedan vi förenklade rutinerna, och "
            "den tid som har frigjorts används i mötet med {brukarna}.",
            "?Vi jämför våra nyckeltal med andra enheter i {forvaltningen} varje år och ligger i nivå med "
            "eller bättre än genomsnittet för de flesta.",
        ],
    ],
}

RENEWAL_PRIZE_TEXTS = {
    "Bakgrund och utmaning": [
        [
            "Utgångsläget var att {problem}.",
            "{tidigare}",
            "Det märktes både i vår statistik och i samtalen med {malgrupp}, och medarbetarna lyfte frågan "
            "på flera arbetsplatsträffar.",
            "?Vi insåg att mer av samma sak inte skulle lösa problemet: vi behövde tänka om.",
        ],
        [
            "{drivare}",
            "Innan vi började räknade vi under en månad hur ofta problemet uppstod, så att vi skulle kunna "
            "se om förändringen gjorde skillnad.",
            "Utmaningen var att hitta en lösning inom befintlig budget och med de medarbetare vi redan har.",
        ],
        [
            "Behovet bekräftades när vi frågade {malgrupp} själva.",
            "?I samtal och vid våra ordinarie uppföljningar beskrev flera av dem samma sak: det som fanns "
            "fungerade inte för dem.",
            "Det blev utgångspunkten för arbetet: förnyelsen skulle utgå från deras behov och inte från hur "
            "vi var vana att organisera oss.",
        ],
    ],
    "Det nya": [
        [
            "Förnyelsen, som vi kallar {namn}, är {beskrivning}.",
            "Det nya är att {nytt}.",
            "{teknik}",
        ],
        [
            "Idén kom från {ide_kalla}, och vi prövade den först i liten skala under {pilot_veckor} veckor.",
            "Under försöket träffades arbetsgruppen varje vecka för att gå igenom vad som fungerade och "
            "justera arbetssättet.",
            "{malgrupp} var med i utformningen och gav synpunkter på allt från tider till hur informationen "
            "skulle se ut.",
            "Vi har inte hittat något motsvarande arbetssätt i staden, och i vår omvärldsbevakning har vi "
            "bara hittat enstaka liknande exempel i andra kommuner.",
        ],
        [
            "Förnyelsen skiljer sig från hur vi arbetade tidigare på flera sätt.",
            "Den utgår från {malgrupp} i stället för från våra egna rutiner, den är enkel att använda och "
            "medarbetarna får själva anpassa arbetssättet efter behoven.",
            "?Den har också krävt ett annat förhållningssätt av oss: att pröva, följa upp och ändra, i "
            "stället för att planera allt i detalj innan vi börjar.",
        ],
    ],
    "Resultat och nytta för medborgarna": [
        [
            "{resultat}",
            "I en uppföljande enkät svarade {nojd} procent av de tillfrågade att de är nöjda eller mycket "
            "nöjda med det nya arbetssättet.",
            "En av dem som har mött det nya arbetssättet uttryckte det så här: ”{citat}”",
        ],
        [
            "Förnyelsen gör också nytta för verksamheten: medarbetarna lägger mindre tid på att reda ut "
            "missförstånd och akuta situationer och mer tid på det som gör skillnad för {malgrupp}.",
            "Vi följer upp resultaten varje månad och redovisar dem i tertialrapporterna till nämnden.",
            "?Resultaten är fortfarande tidiga, men trenden har varit stabil sedan starten.",
        ],
        [
            "Vi jämför med utgångsläget.",
            "Mätningen vi gjorde innan vi började gör det möjligt att se förändringen, och vi har fortsatt att "
            "mäta på samma sätt sedan dess.",
            "?Underlaget har också granskats av förvaltningens kvalitetsutvecklare.",
        ],
    ],
    "Spridning och uppskalning": [
        [
            "Förnyelsen kan spridas till andra verksamheter, eftersom den bygger på arbetssätt och verktyg "
            "som redan finns i staden.",
            "Vi har skrivit en kort handledning med rutiner, mallar och erfarenheter från försöket, som "
            "andra kan använda.",
            "{spridning}",
        ],
        [
            "Det som krävs för att lyckas är framför allt en chef som ger utrymme att pröva, och medarbetare "
            "som får tid att lära sig arbetssättet.",
            "?Kostnaden för att komma i gång är låg; den största investeringen är tid för utbildning under de "
            "första veckorna.",
            "{film}",
        ],
        [
            "Vi har redan börjat berätta om arbetet.",
            "Förnyelsen har presenterats i {forvaltningens} ledningsgrupp och i stadens nätverk för "
            "innovation, och vi tar gärna emot studiebesök.",
            "?Intresset har varit stort, och flera verksamheter har hört av sig för att få veta mer.",
        ],
    ],
    "Hållbarhet": [
        [
            "{namn} är i dag en del av den ordinarie verksamheten och finns beskriven i våra rutiner.",
            "Ansvaret ligger hos enhetschefen, och arbetssättet ingår i introduktionen av nya medarbetare, "
            "så att det inte hänger på enskilda eldsjälar.",
            "Förnyelsen finansieras inom enhetens ordinarie budget. {finansiering}",
        ],
        [
            "Förnyelsen bidrar till social hållbarhet genom att stärka tryggheten och delaktigheten för "
            "{malgrupp}.",
            "Den bidrar också till ekonomisk hållbarhet, eftersom den minskar behovet av dyrare insatser "
            "senare.",
            "?Vi följer upp arbetssättet varje år för att se att det fortfarande gör nytta, och justerar det "
            "när behoven förändras.",
        ],
        [
            "Förnyelsen bidrar också till ekologisk hållbarhet.",
            "{miljo}",
        ],
    ],
}

# For a criterion SLK has added or renamed: still a believable answer.
GENERIC_TEXT = [
    [
        "{enheten} arbetar systematiskt med de frågor kriteriet tar upp.",
        "Arbetet utgår från {styrdokument} och från de mål vi själva har satt för {verksamheten}.",
        "Vi följer upp arbetet varje tertial och använder resultaten för att bestämma vad vi ska förbättra.",
    ],
    [
        "{brukarna} och {anhöriga} är delaktiga genom {mote} och genom {enkaten}.",
        "Medarbetarna är med och analyserar resultaten på arbetsplatsträffarna och föreslår åtgärder.",
        "Det vi har lärt oss delar vi med andra enheter i {forvaltningens} nätverk.",
    ],
]

INNOVATIONS = {
    "kvallssamtal": {
        "namn": "Trygghetssamtal på kvällen",
        "beskrivning": "ett schemalagt videosamtal varje kväll till äldre som bor ensamma, där samma "
        "medarbetare ringer på en tid som den äldre själv har valt",
        "nytt": "vi ringer upp innan oron uppstår, i stället för att vänta på att den äldre ska höra av sig",
        "problem": "allt fler äldre som bor ensamma ringde oss på kvällarna, ofta flera gånger, för att de "
        "kände sig oroliga och ensamma",
        "malgrupp": "äldre som bor ensamma",
        "tidigare": "Tidigare kunde de äldre bara nå oss genom att själva ringa, och samtalen kom ofta sent "
        "på kvällen när oron redan hade blivit stor.",
        "resultat": "Antalet oplanerade samtal på kvällstid har minskat med {r1} procent, och antalet larm "
        "till hemtjänsten från samma grupp har minskat med {r2} procent.",
        "tal": {"r1": (35, 55), "r2": (15, 30)},
        "citat": "Nu vet jag att någon ringer klockan sju, och då kan jag vänta med att oroa mig.",
        "digital": True,
    },
    "sprakstod": {
        "namn": "Ansökan med språkstöd",
        "beskrivning": "en bokad genomgång av ansökan om ekonomiskt bistånd, där den sökande får hjälp på "
        "sitt eget språk att fylla i e-tjänsten och förstå vilka underlag som behövs",
        "nytt": "vi hjälper den sökande att göra rätt från början, i stället för att begära in "
        "kompletteringar i efterhand",
        "problem": "mer än hälften av ansökningarna var ofullständiga när de kom in, vilket gav långa "
        "handläggningstider och många kompletteringar",
        "malgrupp": "sökande med begränsade kunskaper i svenska",
        "tidigare": "Tidigare skickade vi ett brev med en lista över vad som saknades, ofta flera gånger i "
        "samma ärende.",
        "resultat": "Andelen kompletta ansökningar har ökat från {r0} till {r1} procent, och den "
        "genomsnittliga handläggningstiden har minskat med {r2} dagar.",
        "tal": {"r0": (38, 46), "r1": (78, 88), "r2": (8, 15)},
        "citat": "För första gången förstod jag vad ni behövde av mig, och jag fick beslutet innan hyran "
        "skulle betalas.",
        "digital": True,
    },
    "bokcykeln": {
        "namn": "Bokcykeln",
        "beskrivning": "en lastcykel med böcker, läsplattor och sittkuddar som bibliotekarierna cyklar ut "
        "med till gårdar, parker och lekplatser under sommarlovet och på helgerna",
        "nytt": "biblioteket kommer till barnen där de redan är, i stället för att vänta på att de ska "
        "hitta till oss",
        "problem": "utlåningen till barn sjönk kraftigt under sommarlovet, och många barn i området besökte "
        "aldrig biblioteket",
        "malgrupp": "barn och unga i området och deras familjer",
        "tidigare": "Tidigare var vårt läsfrämjande arbete i stort sett begränsat till bibliotekets egna "
        "lokaler och skolklassernas besök.",
        "resultat": "Under förra sommaren mötte Bokcykeln över {r1} barn, och utlåningen till barn under "
        "sommarlovet ökade med {r2} procent jämfört med året innan.",
        "tal": {"r1": (900, 1600), "r2": (20, 45)},
        "citat": "Min dotter har aldrig velat läsa, men nu väntar hon på cykeln varje tisdag.",
        "digital": False,
    },
    "sagovaskan": {
        "namn": "Sagoväskan",
        "beskrivning": "en väska med bilderböcker, ljudböcker och samtalskort på familjens eget språk, som "
        "barnen tar med hem en vecka i taget",
        "nytt": "hemspråket blir en resurs i barnens svenska språkutveckling, och vårdnadshavarna blir "
        "delaktiga i det förskolan arbetar med",
        "problem": "många barn hade ett begränsat ordförråd på både svenska och hemspråket, och "
        "vårdnadshavarna visste inte hur de kunde stötta språkutvecklingen hemma",
        "malgrupp": "barnen och deras vårdnadshavare",
        "tidigare": "Tidigare fick vårdnadshavarna information om språkutveckling på föräldramöten, som "
        "många inte kom till.",
        "resultat": "I dag lånar {r1} procent av barnen hem Sagoväskan regelbundet, och i vår uppföljning av "
        "ordförrådet ser vi en tydlig förbättring hos {r2} procent av barnen.",
        "tal": {"r1": (70, 90), "r2": (55, 75)},
        "citat": "Vi läser på arabiska hemma och pratar om samma bok på svenska på förskolan. Det har "
        "blivit vår kvällsstund.",
        "digital": False,
    },
    "sjukskoterska_ute": {
        "namn": "Uppsökande med sjuksköterska",
        "beskrivning": "uppsökande arbete där socialsekreterare och en sjuksköterska från regionens "
        "beroendevård går ut tillsammans och kan erbjuda vård direkt på plats",
        "nytt": "socialtjänstens och hälso- och sjukvårdens insatser ges samtidigt, på gatan, i stället för "
        "i två olika system med var sin väntetid",
        "problem": "många av de personer i hemlöshet som vi mötte hade obehandlade sår, infektioner och "
        "beroendeproblem men sökte inte vård förrän det blev akut",
        "malgrupp": "personer i hemlöshet",
        "tidigare": "Tidigare kunde vi bara hänvisa till vårdcentralen eller akuten, och de flesta kom "
        "aldrig dit.",
        "resultat": "Under det första året fick {r1} personer vård direkt på plats, och antalet akuta "
        "sjukhusbesök bland dem vi har kontakt med minskade med {r2} procent.",
        "tal": {"r1": (140, 260), "r2": (20, 35)},
        "citat": "Ni kom till mig. Ingen annan har gjort det på flera år.",
        "digital": False,
    },
    "kontinuitet": {
        "namn": "Fast omsorgsteam",
        "beskrivning": "ett sätt att planera där varje äldre har ett fast team på högst fem medarbetare, "
        "som läggs in i schemat först, innan övriga besök fördelas",
        "nytt": "kontinuiteten planeras in från början, i stället för att bli det som blir över när schemat "
        "är lagt",
        "problem": "de äldre mötte i genomsnitt sexton olika medarbetare under två veckor, och många kände "
        "sig otrygga när det hela tiden kom nya ansikten",
        "malgrupp": "äldre med hemtjänst",
        "tidigare": "Tidigare lade planeraren schemat utifrån körvägar och tider, och kontinuiteten följdes "
        "inte upp.",
        "resultat": "Antalet olika medarbetare som en äldre möter under två veckor har minskat från sexton "
        "till {r1}, och andelen äldre som känner sig trygga med hemtjänsten har ökat med {r2} "
        "procentenheter.",
        "tal": {"r1": (6, 8), "r2": (9, 16)},
        "citat": "Nu vet jag vem som kommer, och jag slipper förklara allting från början.",
        "digital": True,
    },
    "lordagsparklek": {
        "namn": "Öppen parklek på lördagar",
        "beskrivning": "parklekar som har öppet på lördagar i samarbete med idrottsföreningar och "
        "frivilliga, med aktiviteter som familjerna själva har önskat",
        "nytt": "föreningar och frivilliga driver verksamheten tillsammans med oss, så att vi kan ha öppet "
        "när familjerna är lediga",
        "problem": "parklekarna var stängda just de dagar då flest familjer hade tid att besöka dem",
        "malgrupp": "barnfamiljerna i stadsdelen",
        "tidigare": "Tidigare hade parklekarna bara öppet på vardagar.",
        "resultat": "De lördagar vi har haft öppet har vi haft i genomsnitt {r1} besökare, och {r2} procent "
        "av dem hade aldrig besökt en parklek tidigare.",
        "tal": {"r1": (120, 260), "r2": (25, 45)},
        "citat": "Äntligen något vi kan göra tillsammans hela familjen på helgen.",
        "digital": False,
    },
    "minnesvandring": {
        "namn": "Digitala minnesvandringar",
        "beskrivning": "samtalsgrupper där deltagarna med hjälp av en surfplatta och stadens bildarkiv "
        "vandrar i kvarter där de har bott och arbetat",
        "nytt": "bilder från deltagarnas egna kvarter blir utgångspunkt för samtalen, i stället för "
        "allmänna minnesaktiviteter",
        "problem": "många av deltagarna med demenssjukdom var oroliga och passiva på eftermiddagarna",
        "malgrupp": "personer med demenssjukdom",
        "tidigare": "Tidigare hade vi allmänna aktiviteter som högläsning och sång, som inte nådde alla.",
        "resultat": "Medarbetarna har noterat färre tillfällen av oro på eftermiddagarna, från i genomsnitt "
        "{r1} till {r2} tillfällen i veckan.",
        "tal": {"r1": (9, 12), "r2": (3, 5)},
        "citat": "Där låg mjölkaffären! Där köpte jag mjölk varje morgon.",
        "digital": True,
    },
    "videoboendestod": {
        "namn": "Boendestöd via video",
        "beskrivning": "korta, täta boendestödssamtal via video som komplement till hembesöken, för de "
        "brukare som själva vill ha det så",
        "nytt": "brukaren kan välja att få stöd i vardagen oftare och kortare, på tider som passar hen",
        "problem": "många brukare behövde stöd flera gånger under dagen, men hembesök kunde bara ges ett par "
        "gånger i veckan",
        "malgrupp": "brukare med psykisk funktionsnedsättning",
        "tidigare": "Tidigare var hembesöket det enda sättet att ge boendestöd.",
        "resultat": "De brukare som har valt videostöd får i genomsnitt {r1} kontakter i veckan i stället "
        "för två, och {r2} procent av dem säger att vardagen har blivit lättare.",
        "tal": {"r1": (5, 8), "r2": (70, 85)},
        "citat": "Det är lättare att komma ur sängen när jag vet att vi ska ses på skärmen klockan nio.",
        "digital": True,
    },
    "chatt": {
        "namn": "Chatta med socialjouren",
        "beskrivning": "en chatt där barn, unga och vuxna kan kontakta socialjouren anonymt under kvällar "
        "och nätter",
        "nytt": "den som behöver hjälp kan ta den första kontakten skriftligt och anonymt, utan att behöva "
        "ringa",
        "problem": "unga i kris hörde sällan av sig själva, eftersom tröskeln att ringa en myndighet var för "
        "hög",
        "malgrupp": "barn och unga i kris",
        "tidigare": "Tidigare kunde man bara nå socialjouren per telefon.",
        "resultat": "Chatten hade {r1} kontakter under det första året, och {r2} procent av dem gällde "
        "personer som inte tidigare hade haft kontakt med socialtjänsten.",
        "tal": {"r1": (1100, 2100), "r2": (40, 60)},
        "citat": "Jag hade aldrig ringt. Men att skriva gick.",
        "digital": True,
    },
    "restaurangkvall": {
        "namn": "Restaurangkväll på boendet",
        "beskrivning": "en middag i veckan som serveras som på restaurang, med meny, dukade bord och "
        "möjlighet att välja mellan flera rätter",
        "nytt": "måltiden blir en upplevelse och en social händelse, och de boende väljer själva",
        "problem": "många boende åt för lite, och andelen med ofrivillig viktnedgång var hög",
        "malgrupp": "de boende",
        "tidigare": "Tidigare serverades alla måltider på samma sätt, med en rätt och fasta tider.",
        "resultat": "Andelen boende med ofrivillig viktnedgång har minskat från {r0} till {r1} procent, och "
        "matsvinnet har minskat med {r2} procent.",
        "tal": {"r0": (18, 24), "r1": (7, 11), "r2": (20, 35)},
        "citat": "Det är som förr, när vi gick ut och åt på lördagarna.",
        "digital": False,
    },
    "fixartid": {
        "namn": "Digital fixartid",
        "beskrivning": "bokade stunder där medborgare får hjälp att skaffa e-legitimation och använda "
        "samhällets e-tjänster, på sitt eget språk",
        "nytt": "vi hjälper medborgarna att klara sig själva digitalt, i stället för att göra ärendet åt dem "
        "varje gång",
        "problem": "allt fler tjänster krävde e-legitimation, och många äldre och nyanlända i området stod "
        "utanför",
        "malgrupp": "äldre och nyanlända som saknar e-legitimation",
        "tidigare": "Tidigare hjälpte vi besökarna med enskilda ärenden, och samma personer kom tillbaka "
        "gång på gång.",
        "resultat": "Under året fick {r1} personer hjälp att skaffa e-legitimation, och {r2} procent av dem "
        "har sedan klarat sina ärenden själva.",
        "tal": {"r1": (300, 650), "r2": (60, 80)},
        "citat": "Nu kan jag se min pension och boka tid på vårdcentralen utan att fråga mina barn.",
        "digital": True,
    },
}

IDEA_SOURCES = [
    "en medarbetare på en arbetsplatsträff",
    "ett brukarråd",
    "ett studiebesök i en annan kommun",
    "en workshop med medarbetare och brukare",
]
SPREADING = [
    "Två enheter i andra stadsdelsförvaltningar har redan börjat arbeta på samma sätt, och vi har hjälpt "
    "dem i gång.",
    "En enhet i {forvaltningen} prövar nu arbetssättet, och fler har visat intresse.",
    "Arbetssättet har presenterats på stadens innovationsdag, och flera verksamheter har sedan gjort "
    "studiebesök hos oss.",
]
FUNDING = [
    "Den inledande utvecklingen fick stöd från stadens innovationsfond.",
    "Försöksperioden finansierades med förvaltningens utvecklingsmedel.",
]

# How much of the answers a draft or a pending registration has written: the share of
# criteria answered, and of the paragraphs of the last one.
DRAFT_SHARE = {DRAFT: 0.6, PENDING: 0.3, WITHDRAWN: 0.4, REJECTED: 0.0}


# --- Text -------------------------------------------------------------------------------

# The chance that a sentence marked optional is left out of an answer.
OPTIONAL_LEFT_OUT = 0.35


def _percent(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def _thousands(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def _figures(rng: random.Random, *, year: int) -> dict[str, str]:
    """The figures an answer quotes: trends over three years, consistent with each other."""
    p0 = rng.randint(70, 80)
    p1 = p0 + rng.randint(2, 6)
    p2 = min(p1 + rng.randint(2, 6), 97)
    goal = p2 + rng.choice([-3, -1, 2, 3])
    q0 = rng.randint(55, 70)
    k0 = rng.randint(12, 25)
    b0 = rng.randint(86, 92)
    m0 = rng.randint(70, 76)
    s0 = rng.uniform(6.5, 9.5)
    e0 = rng.randint(55, 70)
    a0 = rng.randint(18, 30)
    indicators = rng.randint(8, 12)
    t0 = rng.randint(60, 72)
    u0 = rng.randint(55, 70)
    mal_text = (
        f"Vårt mål för {year - 1} var {goal} procent, och det har vi nått."
        if goal <= p2
        else f"Vårt mål för {year - 1} var {goal} procent; vi är inte där ännu, men utvecklingen går åt "
        "rätt håll."
    )
    return {
        "p0": str(p0),
        "p1": str(p1),
        "p2": str(p2),
        "mal_text": mal_text,
        "p_stad": str(p0 + rng.randint(-2, 3)),
        "q0": str(q0),
        "q2": str(q0 + rng.randint(6, 15)),
        "q_mal": str(q0 + rng.randint(16, 20)),
        "k0": str(k0),
        "k2": str(k0 - rng.randint(4, 9)),
        "svarstid": str(rng.randint(3, 6)),
        "b0": str(b0),
        "b1": str(b0 + rng.randint(2, 5)),
        "m0": str(m0),
        "m2": str(m0 + rng.randint(4, 9)),
        "s0": _percent(s0),
        "s2": _percent(s0 - rng.uniform(1.5, 3.5)),
        "oms0": str(rng.randint(14, 22)),
        "oms": str(rng.randint(7, 12)),
        "e0": str(e0),
        "e2": str(min(e0 + rng.randint(12, 25), 97)),
        "a0": str(a0),
        "a2": str(a0 - rng.randint(6, 12)),
        "svinn": str(rng.randint(15, 40)),
        "n_synpunkter": str(rng.randint(15, 60)),
        "n_forslag": str(rng.randint(20, 60)),
        "n_pgsa": str(rng.randint(6, 15)),
        "n_studiebesok": str(rng.randint(4, 12)),
        "n_handledare": str(rng.randint(2, 6)),
        "n_indikatorer": str(indicators),
        "n_nadda": str(indicators - rng.randint(1, 3)),
        "t0": str(t0),
        "t2": str(t0 + rng.randint(10, 20)),
        "u0": str(u0),
        "u2": str(min(u0 + rng.randint(8, 18), 98)),
        "nojd": str(rng.randint(82, 96)),
        "pilot_veckor": rng.choice(["sex", "åtta", "tio", "tolv"]),
    }


def _economy(spec: EntrySeed, rng: random.Random, *, year: int) -> str:
    deficit = _percent(rng.uniform(1.5, 4.0))
    if spec.deficit_last_year and spec.deficit_forecast:
        return (
            f"Ekonomin är vår största utmaning. {year - 1} redovisade vi ett underskott på {deficit} procent "
            "av budgeten, och årets prognos visar också ett underskott, om än mindre, främst på grund av "
            "höga kostnader för vikarier och ökade lokalkostnader."
        )
    if spec.deficit_last_year:
        return (
            f"{year - 1} redovisade vi ett underskott på {deficit} procent av budgeten, främst på grund av "
            "höga kostnader för vikarier under en period med hög sjukfrånvaro. Tillsammans med förvaltningen "
            "tog vi fram en åtgärdsplan, och årets prognos visar en ekonomi i balans."
        )
    if spec.deficit_forecast:
        return (
            f"Årets prognos visar ett underskott på {deficit} procent av budgeten, som främst beror på ökade "
            "lokalkostnader efter en flytt. Vi har tagit fram en åtgärdsplan tillsammans med förvaltningens "
            "controller."
        )
    return "Ekonomin är i balans: de senaste tre åren har budgetutfallet legat inom en procent av budgeten."


def _sentence(template: str, words: dict) -> str:
    text = template.format_map(words).strip()
    return text[:1].upper() + text[1:]


def _compose(paragraphs, words: dict, rng: random.Random, *, max_length: int, share: float = 1.0) -> str:
    """Paragraphs of sentences from a bank. A tuple offers alternative wordings, and a
    sentence marked with a leading "?" may be left out; a draft stops part way. Sentences
    are dropped from the end until the text fits within max_length."""
    chosen = []
    for paragraph in paragraphs:
        sentences = []
        for template in paragraph:
            if isinstance(template, tuple):
                template = rng.choice(template)
            if template.startswith("?"):
                if rng.random() < OPTIONAL_LEFT_OUT:
                    continue
                template = template[1:]
            sentence = _sentence(template, words)
            if sentence:
                sentences.append(sentence)
        chosen.append(sentences)
    if share < 1.0:
        chosen = chosen[: max(1, round(len(chosen) * share))]
    chosen = [p for p in chosen if p]
    text = "\n\n".join(" ".join(p) for p in chosen)
    while len(text) > max_length and chosen:
        chosen[-1].pop()
        chosen = [p for p in chosen if p]
        text = "\n\n".join(" ".join(p) for p in chosen)
    return text


def _unit_words(unit, *, position: int, year: int, rng: random.Random) -> dict:
    work = award_demo.UNITS[position].work
    words = {key: value for key, value in WORDS[work].items() if key != "antal"}
    low, high = WORDS[work]["antal"]
    count = rng.randint(low, high)
    organisation = unit.organisation.name
    return {
        **words,
        "antal": _thousands(round(count, -2) if count > 5000 else round(count / 5) * 5),
        "enheten": unit.name,
        "staff": str(unit.staff_count),
        "forvaltningen": organisation,
        "forvaltningens": organisation + "s",
        "ar": str(year),
        "ar1": str(year - 1),
        "ar2": str(year - 2),
        "ar3": str(year - 3),
    }


def _renewal_words(spec: EntrySeed, application_nominee: str, rng: random.Random, base: dict) -> dict:
    innovation = INNOVATIONS[spec.innovation]
    figures = {name: str(rng.randint(*span)) for name, span in innovation["tal"].items()}
    if spec.nominee_kind == INDIVIDUAL:
        driver = (
            f"Förnyelsen har drivits av {application_nominee}, {spec.nominee_role} hos oss, som fick idén och "
            "har lett arbetet sedan starten med stöd av enhetschefen."
        )
    elif spec.nominee_kind == MANAGER:
        driver = (
            f"Förnyelsen har drivits av enhetschefen {application_nominee}, som har gett medarbetarna tid och "
            "mandat att pröva nya vägar och själv varit med i försöket."
        )
    else:
        driver = (
            f"Förnyelsen har drivits av ett arbetslag, {application_nominee}, där alla har bidragit med idéer "
            "och prövat arbetssättet i praktiken."
        )
    words = {
        **base,
        **{key: value for key, value in innovation.items() if isinstance(value, str)},
        "resultat": innovation["resultat"].format_map(figures),
        "drivare": driver,
        "teknik": "Tekniken finns redan i staden; det nyskapande ligger i hur vi använder den och hur arbetet "
        "är organiserat runt den."
        if innovation["digital"]
        else "Förnyelsen kräver ingen ny teknik: det nyskapande ligger i hur arbetet är organiserat.",
        "ide_kalla": rng.choice(IDEA_SOURCES),
        "spridning": rng.choice(SPREADING).format_map(base),
        "finansiering": rng.choice(FUNDING),
        "film": "En kort film som visar arbetet finns på länken i bidraget." if spec.film else "",
        "miljo": "Eftersom en del av kontakterna sker digitalt har resorna minskat, och med dem utsläppen."
        if innovation["digital"]
        else "Vi har valt material som går att återanvända, och vi tar oss fram till fots, med cykel eller "
        "med kollektivtrafik.",
    }
    return words


# --- Timeline of an entry ---------------------------------------------------------------


def _at(day: dt.date, rng: random.Random, *, earliest: int = 8, latest: int = 16) -> dt.datetime:
    """A moment of a working day in Stockholm, in whole minutes."""
    return dt.datetime.combine(
        day, dt.time(rng.randint(earliest, latest), rng.choice(range(0, 60, 5))), tzinfo=STOCKHOLM
    )


@dataclass
class Moments:
    registered: dt.datetime
    decided: dt.datetime | None = None
    extended: dt.datetime | None = None
    written: dt.datetime | None = None
    submitted: dt.datetime | None = None
    withdrawn: dt.datetime | None = None
    extended_to: dt.date | None = None

    @property
    def last(self) -> dt.datetime:
        return max(
            m
            for m in (
                self.registered,
                self.decided,
                self.extended,
                self.written,
                self.submitted,
                self.withdrawn,
            )
            if m is not None
        )


def _moments(spec: EntrySeed, cycle, rng: random.Random, *, today: dt.date) -> Moments:
    """When each step happened, within the cycle's own timeline and before today."""
    opens, closes, deadline = cycle.registration_opens, cycle.registration_closes, cycle.application_deadline
    days = lambda n: dt.timedelta(days=n)  # noqa: E731
    if spec.state == PENDING:  # registered in the last hours, still waiting for SLK
        return Moments(registered=_at(closes, rng, earliest=14), written=_at(deadline - days(3), rng))
    span = max((closes - opens).days - 5, 0)
    registered = _at(opens + days(rng.randint(0, span)), rng)
    decided = _at(registered.date() + days(rng.randint(1, 5)), rng)
    moments = Moments(registered=registered, decided=decided)
    if spec.state == REJECTED:
        return moments
    writing_days = max((deadline - decided.date()).days, 1)
    if spec.state == SUBMITTED or spec.was_submitted:
        moments.submitted = _at(deadline - days(rng.randint(0, min(10, writing_days - 1))), rng, latest=22)
        moments.written = moments.submitted - dt.timedelta(minutes=rng.randint(20, 240))
    else:
        moments.written = _at(deadline - days(rng.randint(8, min(20, max(writing_days - 1, 8)))), rng)
    if spec.state == WITHDRAWN:
        if spec.was_submitted:
            after = max(min((today - deadline).days - 1, 12), 1)
            moments.withdrawn = _at(deadline + days(rng.randint(1, after)), rng)
        else:
            moments.withdrawn = moments.written + dt.timedelta(days=rng.randint(1, 4))
    if spec.extended:  # given two more weeks after the deadline, as application_extend allows
        moments.extended = _at(max(today - days(1), deadline), rng)
        moments.extended_to = moments.extended.date() + days(14)
    return moments


# --- Writing ----------------------------------------------------------------------------


class _Audit:
    """The audit entries the services would have written, one per action and application,
    dated when the step happened."""

    def __init__(self):
        self.content_type = ContentType.objects.get_for_model(Application)

    def ensure(self, application, action: str, *, actor, at: dt.datetime, changes=None, reason=""):
        existing = AuditEntry.objects.filter(
            content_type=self.content_type, object_id=str(application.pk), action=action
        ).first()
        if existing is None:
            existing = audit.record(
                actor=actor, action=action, target=application, changes=changes, reason=reason
            )
        award_demo.update_changed(AuditEntry, existing, {"at": at, "changes": changes or {}})


def _application_values(spec, *, unit, track, contact, slk, moments, result, nominee_name, competition_class):
    approved = Application.RegistrationStatus.APPROVED
    registration_status = {
        PENDING: Application.RegistrationStatus.PENDING,
        REJECTED: Application.RegistrationStatus.REJECTED,
    }.get(spec.state, approved)
    status = {
        SUBMITTED: Application.Status.SUBMITTED,
        WITHDRAWN: Application.Status.WITHDRAWN,
    }.get(spec.state, Application.Status.DRAFT)
    renewal = not track.has_classes
    return {
        "competition_class_id": competition_class.pk if competition_class else None,
        "head_has_full_responsibility": True,
        "deficit_last_year": spec.deficit_last_year,
        "deficit_forecast": spec.deficit_forecast,
        "nominee_kind": spec.nominee_kind if renewal else "",
        "nominee_name": nominee_name if renewal else "",
        "registered_by_id": contact.pk,
        "registered_at": moments.registered,
        "registration_status": registration_status,
        "registration_decided_by_id": slk.pk if moments.decided else None,
        "registration_decided_at": moments.decided,
        "registration_decision_reason": spec.reason if spec.state == REJECTED else "",
        "award_eligible": result.award_eligible,
        "eligibility_note": result.note,
        "status": status,
        "film_url": f"{FILM_HOST}/fornyelsepriset/{track.cycle.year}/{unit.code.lower()}"
        if spec.film
        else "",
        "deadline_extended_to": moments.extended_to,
        "submitted_at": moments.submitted,
        "submitted_by_id": contact.pk if moments.submitted else None,
        "withdrawn_at": moments.withdrawn,
        "withdrawn_by_id": contact.pk if moments.withdrawn else None,
        "withdraw_reason": spec.reason if spec.state == WITHDRAWN else "",
        "updated_at": moments.last,
    }


def _seed_answers(application, texts: dict, *, contact, written: dt.datetime | None) -> None:
    """One answer per criterion, as application_register creates them, holding the text the
    unit saved (version 1 and its revision, as answer_save writes them)."""
    answers = {a.criterion_id: a for a in application.answers.all()}
    missing = [c for c in texts if c.pk not in answers]
    if missing:
        Answer.objects.bulk_create(Answer(application=application, criterion=c) for c in missing)
        answers = {a.criterion_id: a for a in application.answers.all()}
    revisions = []
    for criterion, text in texts.items():
        answer = answers[criterion.pk]
        if answer.text != text:
            answer.text = text
            answer.version += 1
            answer.updated_by = contact
            answer.save(update_fields=["text", "version", "updated_by"])
            revisions.append(
                AnswerRevision(
                    answer=answer, version=answer.version, text=text, saved_by=contact, saved_at=written
                )
            )
        if answer.version and written is not None:
            award_demo.update_changed(Answer, answer, {"updated_at": written})
    AnswerRevision.objects.bulk_create(revisions)


def _seed_entry(spec: EntrySeed, track, *, data: dict, today: dt.date, audit_log: _Audit) -> Application:
    units = data["units"]
    position = next(i for i, unit in enumerate(units) if unit.name == spec.unit)
    unit = units[position]
    contact = data["users"]["unit_contacts"][position]
    slk = data["users"]["slk"]
    cycle = track.cycle
    rng = random.Random(f"{SEED}-{cycle.year}-{track.kind}-{unit.code}")  # noqa: S311  (demo data)

    result = eligibility.check(
        unit=unit,
        track=track,
        head_has_full_responsibility=True,
        deficit_last_year=spec.deficit_last_year,
        deficit_forecast=spec.deficit_forecast,
    )
    if not result.can_register:  # the demo's own lists must follow the rules
        raise ValueError(f"Demodata: {unit.name} kan inte anmälas till {track}: {result.refusals}")

    competition_class = None
    if track.has_classes:
        class_name = award_demo.COMPETITION_CLASSES[award_demo.UNITS[position].work]
        competition_class = track.classes.filter(name=class_name).first() or track.classes.first()
    nominee_name = (
        (unit.head_name if spec.nominee_kind == MANAGER else spec.nominee_name) if spec.nominee_kind else ""
    )
    moments = _moments(spec, cycle, rng, today=today)
    values = _application_values(
        spec,
        unit=unit,
        track=track,
        contact=contact,
        slk=slk,
        moments=moments,
        result=result,
        nominee_name=nominee_name,
        competition_class=competition_class,
    )

    application = Application.objects.filter(track=track, unit=unit).first()
    if application is None:
        application = Application(track=track, unit=unit, code=services._next_code(track), **values)
        application.save()
    award_demo.update_changed(Application, application, values)

    # The texts, from generators seeded per criterion so one answer never shifts another.
    criteria = list(track.criteria.all())
    complete = spec.state == SUBMITTED or spec.was_submitted  # submitting needs every answer
    answered = len(criteria) if complete else math.ceil(len(criteria) * DRAFT_SHARE[spec.state])
    base = _unit_words(unit, position=position, year=cycle.year, rng=rng)
    texts = {}
    for index, criterion in enumerate(criteria):
        text_rng = random.Random(f"{SEED}-{cycle.year}-{track.kind}-{unit.code}-{criterion.number}")  # noqa: S311
        words = {
            **base,
            **_figures(text_rng, year=cycle.year),
            "ekonomi": _economy(spec, text_rng, year=cycle.year),
        }
        if track.has_classes:
            bank = QUALITY_AWARD_TEXTS.get(criterion.title, GENERIC_TEXT)
        else:
            words = _renewal_words(spec, nominee_name, text_rng, words)
            bank = RENEWAL_PRIZE_TEXTS.get(criterion.title, GENERIC_TEXT)
        if index < answered:
            share = 0.5 if not complete and index == answered - 1 else 1.0
            texts[criterion] = _compose(bank, words, text_rng, max_length=criterion.max_length, share=share)
        else:
            texts[criterion] = ""
    _seed_answers(application, texts, contact=contact, written=moments.written)

    # The contacts' access, exactly as the register service grants it.
    services.grant_unit_access(application)

    audit_log.ensure(
        application,
        "application.register",
        actor=contact,
        at=moments.registered,
        changes={"award_eligible": application.award_eligible, "note": application.eligibility_note},
    )
    if moments.decided:
        approved = spec.state != REJECTED
        audit_log.ensure(
            application,
            "application.registration_approved" if approved else "application.registration_rejected",
            actor=slk,
            at=moments.decided,
            changes={"registration_status": ["pending", application.registration_status]},
            reason=application.registration_decision_reason,
        )
    if moments.extended:
        audit_log.ensure(
            application,
            "application.extend",
            actor=slk,
            at=moments.extended,
            changes={"deadline_extended_to": [None, moments.extended_to.isoformat()]},
            reason=spec.reason,
        )
    if moments.submitted:
        audit_log.ensure(application, "application.submit", actor=contact, at=moments.submitted)
    if moments.withdrawn:
        old = Application.Status.SUBMITTED if spec.was_submitted else Application.Status.DRAFT
        audit_log.ensure(
            application,
            "application.withdraw",
            actor=contact,
            at=moments.withdrawn,
            changes={"status": [old, "withdrawn"]},
            reason=spec.reason,
        )
    return application


# --- Summary ----------------------------------------------------------------------------

STATE_WORDS = [
    (SUBMITTED, "inlämnade", "inlämnat"),
    (DRAFT, "utkast", "utkast"),
    (WITHDRAWN, "återtagna", "återtaget"),
    (PENDING, "anmälningar väntar på beslut", "anmälan väntar på beslut"),
    (REJECTED, "avslagna anmälningar", "avslagen anmälan"),
]


def state_of(application: Application) -> str:
    """The entry's one state, as the demo's summary counts it."""
    if application.registration_status == Application.RegistrationStatus.REJECTED:
        return REJECTED
    if application.status == Application.Status.WITHDRAWN:
        return WITHDRAWN
    if application.registration_status == Application.RegistrationStatus.PENDING:
        return PENDING
    return application.status


def summary_line(cycle) -> str:
    applications = list(Application.objects.filter(track__cycle=cycle).select_related("track"))
    states = [state_of(a) for a in applications]
    parts = []
    for state, plural, singular in STATE_WORDS:
        n = states.count(state)
        if n:
            parts.append(f"{n} {singular if n == 1 else plural}")
    per_track = ", ".join(
        f"{track.name} {sum(1 for a in applications if a.track_id == track.pk)}"
        for track in cycle.tracks.all()
    )
    return f"Tävlingsbidrag {cycle.year}: {len(applications)} ({', '.join(parts)}); {per_track}."


def seed(data, *, today):
    """Add the registrations and applications of both cycles to the demo city built by
    demo.award.build; returns the summary lines."""
    cycles = data["cycles"]
    current = cycles[today.year]
    previous = cycles.get(today.year - 1)
    plan = []
    if previous is not None and previous.phase_on(today) in PHASES_AFTER_WRITING:
        plan.append((previous, PREVIOUS_ENTRIES))
    plan.append((current, CURRENT_ENTRIES))
    audit_log = _Audit()
    for cycle, entries in plan:
        tracks = {track.kind: track for track in cycle.tracks.select_related("cycle")}
        for kind in (QUALITY_AWARD, RENEWAL_PRIZE):  # codes are numbered in this order
            for spec in entries:
                if spec.track == kind:
                    _seed_entry(spec, tracks[kind], data=data, today=today, audit_log=audit_log)
    return [summary_line(cycle) for cycle, _entries in reversed(plan)]
