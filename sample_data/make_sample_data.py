#!/usr/bin/env python3
"""Generate the Northwind Labs sample training-data pipeline in this folder.

Everything here is invented: Northwind Labs, its people, customers, vendors, web
domains, publishers and models. The script uses only the standard library and a
fixed seed, so running it again reproduces every file byte for byte:

    python sample_data/make_sample_data.py            # (re)write the files
    python sample_data/make_sample_data.py --check    # regenerate into a temp dir, compare
    python sample_data/make_sample_data.py --out DIR  # write somewhere else

Each pipeline step (text extraction, language filtering, PII scrubbing, question/answer
extraction, code extraction, deduplication, held-out set writing, mixing, tokenising,
training, evaluation) is imitated by a small, real piece of code below, so the record
counts in `lineage.yaml` are the line counts of the files. The script rewrites only the
entries listed in GENERATED; README.md and this script are written by hand.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import random
import re
import shutil
import struct
import sys
import tempfile
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from string import Template
from typing import Any, ClassVar

SEED = 20250601
HERE = Path(__file__).resolve().parent

# Top-level entries of sample_data/ that this script owns (deleted and rewritten).
GENERATED = [
    "web_crawl",
    "forum_scrape",
    "licensed_corpus",
    "public_datasets",
    "code",
    "user_data",
    "synthetic",
    "processed",
    "models",
    "evals",
    "bad",
    "help_centre",
    "lineage.yaml",
]

Record = dict[str, Any]


def rng_for(part: str) -> random.Random:
    """An independent random stream per part, so tuning one part leaves the others alone."""
    return random.Random(f"{SEED}:{part}")


# ---------------------------------------------------------------------------------------
# Writing files
# ---------------------------------------------------------------------------------------


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


def write_jsonl(path: Path, records: Iterable[Record]) -> int:
    lines = [json.dumps(r, ensure_ascii=False) + "\n" for r in records]
    write_text(path, "".join(lines))
    return len(lines)


def write_json(path: Path, obj: Any) -> None:
    write_text(path, json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    write_text(path, buf.getvalue())


def iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def at(rng: random.Random, start: str, days: int) -> datetime:
    """A random second within `days` days from `start` (YYYY-MM-DD)."""
    base = datetime.strptime(start, "%Y-%m-%d").replace(tzinfo=UTC)
    return base + timedelta(seconds=rng.randrange(days * 86400))


def uuid_from(rng: random.Random) -> str:
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"


# ---------------------------------------------------------------------------------------
# Invented people and contact details (all fake: example.* e-mail, 555-01xx numbers)
# ---------------------------------------------------------------------------------------

FIRST_NAMES = [
    "Maria",
    "James",
    "Aisha",
    "Tomasz",
    "Mei",
    "Daniel",
    "Fatima",
    "Oliver",
    "Priyanka",
    "Lucas",
    "Ngozi",
    "Sofia",
    "Kenji",
    "Hannah",
    "Mateo",
    "Chloe",
    "Ibrahim",
    "Elena",
    "Samuel",
    "Grace",
    "Arjun",
    "Zoe",
    "Kwame",
    "Ingrid",
    "Diego",
    "Leila",
    "Patrick",
    "Yuki",
    "Amara",
    "Henrik",
    "Rosa",
    "Tariq",
    "Nora",
    "Felix",
    "Adaeze",
    "Camille",
]
LAST_NAMES = [
    "Gonzalez",
    "Whitfield",
    "Bello",
    "Kowalski",
    "Chen",
    "Okonkwo",
    "Haddad",
    "Brennan",
    "Natarajan",
    "Moreau",
    "Eze",
    "Lindgren",
    "Tanaka",
    "Fischer",
    "Alvarez",
    "Dubois",
    "Rahman",
    "Petrova",
    "Mensah",
    "Hollis",
    "Kapoor",
    "Sorensen",
    "Quayle",
    "Ferreira",
    "Adeyemi",
    "Novak",
    "Castellano",
    "Yilmaz",
    "Abernathy",
    "Iyer",
]
AREA_CODES = ["206", "312", "415", "503", "617", "720", "919", "512"]
STREETS = [
    "Maple Street",
    "Harbor Road",
    "Elm Avenue",
    "Quarry Lane",
    "Birch Road",
    "Station Street",
    "Orchard Avenue",
    "Mill Lane",
]
CITIES = ["Springfield", "Riverton", "Lakeside", "Fairview", "Brookhaven", "Westfield"]
EMAIL_DOMAINS = ["example.com", "example.org", "example.net"]
SUPPORT_AGENTS = ["Jonas Pereira", "Keisha Barnes", "Wei Lin", "Rachel Oduya"]


def make_customer(rng: random.Random, used: set[str]) -> Record:
    while True:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        if f"{first} {last}" not in used:
            break
    used.add(f"{first} {last}")
    style = rng.randrange(3)
    local = [f"{first}.{last}", f"{first[0]}{last}", f"{first}{rng.randrange(10, 99)}"][style]
    return {
        "name": f"{first} {last}",
        "email": f"{local.lower()}@{rng.choice(EMAIL_DOMAINS)}",
        "phone": f"+1 ({rng.choice(AREA_CODES)}) 555-01{rng.randrange(100):02d}",
        "address": f"{rng.randrange(2, 990)} {rng.choice(STREETS)}, {rng.choice(CITIES)}",
    }


# ---------------------------------------------------------------------------------------
# Text banks: customer-support topics, invented products
# ---------------------------------------------------------------------------------------

TOPICS: dict[str, Record] = {
    "router": {
        "tried": "I have already restarted it twice.",
        "products": ["Northwind Mesh X2 router", "Aurora LinkPro AX3000", "Bluefin HomeHub 5"],
        "titles": [
            "How to fix your {product} when it keeps dropping Wi-Fi",
            "Why your {product} slows down in the evening",
            "Resetting the {product} without losing your settings",
            "Choosing the best wireless channel for the {product}",
        ],
        "symptom": [
            "keeps dropping the Wi-Fi connection",
            "is very slow every evening",
            "shows a blinking orange light",
            "will not let my laptop connect",
        ],
        "sentences": [
            "Most dropouts on the {product} are caused by interference from neighbouring "
            "networks on the same channel.",
            "Open the admin page at 192.168.1.1 and look at the wireless settings.",
            "Switching from channel 6 to channel {n} often fixes evening slowdowns.",
            "Place the router in a central, raised spot away from microwaves and cordless phones.",
            "A firmware update released this spring fixed a memory leak that caused random "
            "restarts.",
            "If the status light blinks orange, the router has lost its connection to the modem.",
            "Power-cycle the modem first, wait {minutes} minutes, then power on the router.",
            "Mesh satellites should be no more than two rooms apart for a stable backhaul.",
            "Band steering can confuse older devices, so try giving the 2.4 GHz band its "
            "own network name.",
            "Write down your custom settings before a factory reset, because the reset "
            "erases them.",
        ],
    },
    "printer": {
        "tried": "I have already switched it off and on again.",
        "products": ["Kestrel P200 printer", "Kestrel P450 all-in-one", "Inkwell Jet 3"],
        "titles": [
            "What to do when the {product} says it is offline",
            "Fixing streaky prints on the {product}",
            "Setting up the {product} on a new Wi-Fi network",
        ],
        "symptom": [
            "says it is offline even though it is on",
            "prints faint streaks on every page",
            "jams after a few pages",
            "disappeared from my computer after a router change",
        ],
        "sentences": [
            "An offline printer has usually lost its Wi-Fi connection after a router change.",
            "Print a network configuration page to see which network the {product} has joined.",
            "Run the head-cleaning cycle no more than {n} times in a row.",
            "Streaks that stay after cleaning usually mean the cartridge is nearly empty.",
            "Remove the paper tray and check for small torn pieces near the rollers.",
            "Use paper between 70 and 90 grams per square metre to avoid jams.",
            "Remove the printer from your computer and add it again with the current driver.",
            "Keep the printer and the computer on the same network band during setup.",
        ],
    },
    "thermostat": {
        "tried": "I have already replaced the batteries.",
        "products": ["Northwind Thermo S", "Northwind Thermo S2", "Climacore T5 thermostat"],
        "titles": [
            "Why the {product} does not hold the temperature",
            "Wiring the {product}: a plain-language guide",
            "Saving energy with schedules on the {product}",
        ],
        "symptom": [
            "does not hold the temperature I set",
            "shows a low battery warning every day",
            "lost its schedule overnight",
            "says there is no power to the C wire",
        ],
        "sentences": [
            "Turn off power to the heating system at the breaker before touching any wires.",
            "The {product} needs a common wire for steady power on most systems.",
            "A daily low-battery warning usually means the C wire is missing or loose.",
            "Schedules are stored in the cloud and come back once the device reconnects.",
            "Lowering the set point by {n} degrees at night saves noticeable energy.",
            "Calibrate the temperature sensor if the reading differs from a room thermometer.",
            "Keep the thermostat away from direct sunlight and kitchen heat.",
            "Adaptive recovery starts heating early so the room is warm on time.",
        ],
    },
    "billing": {
        "tried": "I have already checked the billing FAQ.",
        "products": ["Northwind Home Plus plan", "Northwind Protect plan", "Aurora Cloud plan"],
        "titles": [
            "Understanding the charges on your {product} invoice",
            "How refunds work for the {product}",
            "Changing the payment card on your {product}",
        ],
        "symptom": [
            "charged me twice this month",
            "still charges me after I cancelled",
            "shows a price I did not agree to",
            "will not accept my new card",
        ],
        "sentences": [
            "A pending authorisation can look like a double charge for up to {n} days.",
            "Refunds go back to the original payment method within five business days.",
            "Cancelling stops the next renewal but does not refund the current period.",
            "Prices shown in the app include tax for your region.",
            "Update the card in Account, then Billing, before the renewal date.",
            "Keep the invoice number handy when you contact billing support.",
            "Annual plans can be switched to monthly at the next renewal.",
            "Promotional prices end after the first {n} months unless stated otherwise.",
        ],
    },
    "returns": {
        "tried": "I have already looked at the returns page.",
        "products": [
            "Brightline 4K streaming stick",
            "Tidewater SoundBar 300",
            "Halcyon Air purifier",
        ],
        "titles": [
            "Returning a {product}: what you need to know",
            "Warranty claims for the {product}",
            "What counts as damage in transit for the {product}",
        ],
        "symptom": [
            "arrived with a cracked case",
            "stopped working after two weeks",
            "is missing the remote control",
            "was delivered to the wrong address",
        ],
        "sentences": [
            "Most retailers accept returns within {n} days if the item is in its original box.",
            "Photograph any damage before you throw away the packaging.",
            "The limited warranty covers manufacturing faults for one year.",
            "A return label can be printed from the order page.",
            "Refurbished replacements are sent once the faulty unit has been received.",
            "Accidental damage is not covered unless you bought an extended plan.",
            "Keep the serial number, which is printed under the device, for any claim.",
            "Items that arrive damaged should be reported within 48 hours.",
        ],
    },
    "account": {
        "tried": "I have already tried resetting my password.",
        "products": ["Northwind Home app", "Northwind account", "Aurora Connect app"],
        "titles": [
            "Resetting your password for the {product}",
            "Turning on two-step verification in the {product}",
            "What to do if your {product} was locked",
        ],
        "symptom": [
            "locked me out after a password reset",
            "never sends the verification code",
            "says my e-mail address is already in use",
            "logs me out every few minutes",
        ],
        "sentences": [
            "Password reset links expire after {minutes} minutes for your security.",
            "Check the spam folder if the verification code does not arrive.",
            "Two-step verification protects the account even if the password leaks.",
            "After five failed attempts the account is locked for one hour.",
            "Sign out of all devices from the security page if you see unknown logins.",
            "Authenticator apps work without a mobile signal, unlike text messages.",
            "Recovery codes should be stored somewhere safe and offline.",
            "Clearing the app cache fixes most repeated sign-out problems.",
        ],
    },
    "speaker": {
        "tried": "I have already unplugged it for a minute.",
        "products": ["Northwind Chime mini", "Tidewater Voice mini", "Northwind Chime Max"],
        "titles": [
            "The {product} does not respond: a checklist",
            "Pairing the {product} with Bluetooth devices",
            "Improving voice recognition on the {product}",
        ],
        "symptom": [
            "does not respond to the wake word",
            "keeps disconnecting from Bluetooth",
            "plays music at random volumes",
            "cannot find my smart plugs",
        ],
        "sentences": [
            "Make sure the microphone mute button is not switched on.",
            "Move the speaker at least {n} centimetres away from walls for clearer audio.",
            "Voice training takes about {minutes} minutes and improves recognition.",
            "Bluetooth pairing mode lasts two minutes after you hold the action button.",
            "Smart plugs must be on the 2.4 GHz band to be discovered.",
            "Routines can set the volume automatically at certain times of day.",
            "A factory reset removes all linked devices and routines.",
            "Firmware updates install overnight when the speaker is idle.",
        ],
    },
    "laptop": {
        "tried": "I have already installed all updates.",
        "products": ["Corvid Book 14 laptop", "Corvid Book Pro 16", "Corvid Slate 13"],
        "titles": [
            "Why the {product} battery drains so fast",
            "Stopping the {product} from overheating",
            "Getting the {product} to sleep properly",
        ],
        "symptom": [
            "loses battery even when it is asleep",
            "gets very hot when I watch videos",
            "will not wake from sleep",
            "shows a battery service warning",
        ],
        "sentences": [
            "Background apps that sync files are the most common cause of battery drain.",
            "Battery health below {n} percent is normal after a few years of use.",
            "Keep the air vents clear and use the laptop on a hard surface.",
            "Update the firmware, because power bugs are often fixed there.",
            "Fast startup can stop the laptop from sleeping correctly.",
            "Dim the screen and turn off keyboard lighting to gain extra hours.",
            "A swollen battery must be replaced by a service centre, not at home.",
            "Check the power report to see which apps woke the laptop.",
        ],
    },
}
TOPIC_NAMES = list(TOPICS)

GENERIC_SENTENCES = [
    "Before you start, write down any settings you changed recently.",
    "If nothing helps, contact the manufacturer with your serial number ready.",
    "These steps take about {minutes} minutes in total.",
    "Readers report that this fix works for most people on the first try.",
    "We tested this on three households over {n} weeks.",
    "Always keep the receipt and the original box for the first month.",
    "Some menus differ slightly between firmware versions.",
    "Let us know in the comments if this worked for you.",
]

FOREIGN: dict[str, Record] = {
    "de": {
        "titles": ["Router neu starten: so geht es", "Drucker offline? Das hilft"],
        "sentences": [
            "Starten Sie den Router neu und warten Sie zwei Minuten, bevor Sie die "
            "Verbindung testen.",
            "Wenn die Lampe orange blinkt, ist die Verbindung zum Modem unterbrochen.",
            "Der Drucker muss mit dem gleichen Netzwerk wie der Computer verbunden sein.",
            "Notieren Sie Ihre Einstellungen, bevor Sie das Gerät zurücksetzen.",
            "Die Rücksendung ist innerhalb von 30 Tagen kostenlos, wenn die Ware unbeschädigt ist.",
            "Bei Fragen zur Rechnung hilft Ihnen der Kundendienst gerne weiter.",
        ],
    },
    "fr": {
        "titles": ["Votre routeur est lent ? Nos conseils", "Retourner un produit en ligne"],
        "sentences": [
            "Redémarrez le routeur et attendez deux minutes avant de tester la connexion.",
            "Si le voyant clignote en orange, la connexion avec le modem est perdue.",
            "Le remboursement est effectué sur votre moyen de paiement dans les cinq jours.",
            "Vérifiez que votre imprimante est connectée au même réseau que votre ordinateur.",
            "Notez vos paramètres avant de réinitialiser l'appareil.",
            "Pour toute question sur votre facture, contactez le service client.",
        ],
    },
    "es": {
        "titles": ["Cómo reiniciar el router paso a paso", "Devoluciones y garantía"],
        "sentences": [
            "Reinicie el router y espere dos minutos antes de probar la conexión.",
            "Si la luz parpadea en naranja, se ha perdido la conexión con el módem.",
            "La devolución es gratuita durante los primeros 30 días si el producto está "
            "en su caja.",
            "Compruebe que la impresora está conectada a la misma red que el ordenador.",
            "Anote su configuración antes de restablecer el dispositivo.",
            "Para cualquier duda sobre la factura, contacte con el servicio de atención "
            "al cliente.",
        ],
    },
    "nl": {
        "titles": ["Router opnieuw opstarten: zo werkt het", "Retourneren en garantie"],
        "sentences": [
            "Start de router opnieuw op en wacht twee minuten voordat u de verbinding test.",
            "Als het lampje oranje knippert, is de verbinding met het modem verbroken.",
            "Retourneren is gratis binnen 30 dagen als het product in de doos zit.",
            "Controleer of de printer met hetzelfde netwerk is verbonden als de computer.",
            "Schrijf uw instellingen op voordat u het apparaat terugzet.",
            "Voor vragen over uw factuur kunt u contact opnemen met de klantenservice.",
        ],
    },
}


def words(text: str) -> list[str]:
    return text.split()


STOPWORDS: dict[str, list[str]] = {
    "en": words(
        "the and to of a in is it you that your for on with if this be are or not can "
        "before after from at by as was have an will"
    ),
    "de": words(
        "der die das und ist nicht sie zu den mit von ein eine auf für wenn bevor werden "
        "ihr ihre es im dem des wie"
    ),
    "fr": words(
        "le la les et est pas vous de des un une pour avec dans que votre si sur en au du avant"
    ),
    "es": words("el la los las y es no de que en un una para con su si por del al antes está"),
    "nl": words("de het een en is niet u van met op voor als uw dat te naar bij ook"),
}


def fill(rng: random.Random, template: str, product: str) -> str:
    return template.format(
        product=product,
        n=rng.choice([3, 5, 7, 10, 11, 14, 20, 30, 80]),
        minutes=rng.choice([2, 5, 10, 15, 30]),
    )


def sentences(rng: random.Random, topic: str, product: str, k: int, generic: bool = True) -> str:
    bank = list(TOPICS[topic]["sentences"])
    if generic:
        bank += GENERIC_SENTENCES
    return " ".join(fill(rng, s, product) for s in rng.sample(bank, min(k, len(bank))))


def paragraphs(rng: random.Random, topic: str, product: str, k: int) -> list[str]:
    """k paragraphs of 2-4 sentences, no sentence used twice on a page."""
    bank = rng.sample(TOPICS[topic]["sentences"] + GENERIC_SENTENCES, k * 4)
    sizes = [rng.randint(2, 4) for _ in range(k)]
    starts = [sum(sizes[:i]) for i in range(k)]
    return [
        " ".join(fill(rng, s, product) for s in bank[a : a + n])
        for a, n in zip(starts, sizes, strict=True)
    ]


# ---------------------------------------------------------------------------------------
# 1. Web crawl (NorthwindBot, May 2025)
# ---------------------------------------------------------------------------------------

# domain, kind, language. Order = expected rank by crawl size (Zipf-like, long tail).
DOMAINS: list[tuple[str, str, str]] = [
    ("www.homenetworkguide.example", "blog", "en"),
    ("support.aurora-devices.example", "vendor", "en"),
    ("www.gadgetfixer.example", "blog", "en"),
    ("help.shopmarket.example", "retail", "en"),
    ("www.techtidings.example", "news", "en"),
    ("kestrel-printers.example", "vendor", "en"),
    ("www.smarthomejournal.example", "blog", "en"),
    ("docs.climacore.example", "vendor", "en"),
    ("www.routerhilfe.example", "foreign", "de"),
    ("www.billingbasics.example", "blog", "en"),
    ("wiki.fixitcommons.example", "wiki", "en"),
    ("www.laptoplife.example", "blog", "en"),
    ("www.aide-informatique.example", "foreign", "fr"),
    ("news.consumerwatch.example", "news", "en"),
    ("help.tidewater-audio.example", "vendor", "en"),
    ("www.soporte-hogar.example", "foreign", "es"),
    ("blog.quietpixel.example", "blog", "en"),
    ("www.returnsandrefunds.example", "retail", "en"),
    ("www.thermostatcorner.example", "blog", "en"),
    ("www.wifimyths.example", "blog", "en"),
    ("www.hulpthuis.example", "foreign", "nl"),
    ("www.printerpal.example", "blog", "en"),
    ("mirror.techtidings-syndicate.example", "news", "en"),
    ("www.securelogin-tips.example", "blog", "en"),
    ("www.dealhound.example", "retail", "en"),
    ("www.oldhardware.example", "blog", "en"),
    ("www.familytechdesk.example", "blog", "en"),
    ("status.linkfast-isp.example", "status", "en"),
    ("www.pocketreviews.example", "news", "en"),
    ("www.tinkerbench.example", "blog", "en"),
]
# Domains checked but never fetched: NorthwindBot was disallowed or the site reserved
# text-and-data-mining rights (an AI opt-out); the crawler honoured both.
OPTED_OUT: list[tuple[str, bool, bool]] = [
    ("www.paywalled-tech.example", True, False),
    ("www.creatorsguild-reviews.example", False, True),
    ("forum.netgearheads.example", True, True),
    ("www.newsdaily-tech.example", False, True),
]

NAV = '<nav><a href="/">Home</a> | <a href="/guides">Guides</a> | <a href="/contact">Contact</a></nav>'  # noqa: E501


def html_page(domain: str, title: str, paragraphs: Sequence[str], lang: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{title}</title><script>window.dataLayer=[];</script></head>"
        f"<body>{NAV}<article><h1>{title}</h1>{body}</article>"
        f"<footer>&copy; 2025 {domain}. All rights reserved.</footer></body></html>"
    )


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def make_web_crawl(out: Path) -> Record:
    rng = rng_for("web_crawl")
    counts = [max(1, round(46 / (rank + 1) ** 1.05)) for rank in range(len(DOMAINS))]
    # Three press articles syndicated word for word across news sites (dedup removes them).
    syndicated = []
    for i in range(3):
        topic = TOPIC_NAMES[i * 2]
        product = TOPICS[topic]["products"][0]
        title = f"Firmware update for the {product} fixes long-standing bugs"
        paras = paragraphs(rng, topic, product, 3)
        syndicated.append((title, paras))
    news_domains = [d for d, kind, _ in DOMAINS if kind == "news"]

    records: list[Record] = []
    for (domain, kind, lang), n in zip(DOMAINS, counts, strict=True):
        for j in range(n):
            t = at(rng, "2025-05-01", 31)
            ctype = "text/html; charset=utf-8"
            roll = rng.random()
            if kind == "news" and j < 3 and domain in news_domains[:3]:
                title, paras = syndicated[(j + news_domains.index(domain)) % 3]
                text = html_page(domain, title, paras, lang)
            elif kind == "status":
                ctype = "text/plain; charset=utf-8"
                title = f"status {t:%Y-%m-%d}"
                text = (
                    f"LinkFast service status for {t:%d %B %Y}. All broadband and fibre "
                    "services are operating normally. Scheduled maintenance on the DNS "
                    "resolvers will take place between 02:00 and 04:00 UTC; customers may "
                    "notice slow page loads during this window. If your router shows a red "
                    "light after the maintenance, restart it once before contacting support."
                )
            elif kind == "vendor" and j % 6 == 5:
                ctype = "application/pdf"
                title = f"manuals {j:03d}"
                text = ""  # binary payload not kept in the sample
            elif roll < 0.09:
                title = f"Sign in {j}"
                text = html_page(domain, "Sign in", ["Please sign in to continue."], lang)
            elif lang != "en":
                bank = FOREIGN[lang]
                title = rng.choice(bank["titles"])
                paras = [" ".join(rng.sample(bank["sentences"], 3)) for _ in range(2)]
                text = html_page(domain, title, paras, lang)
            else:
                topic = rng.choice(TOPIC_NAMES)
                product = rng.choice(TOPICS[topic]["products"])
                title = rng.choice(TOPICS[topic]["titles"]).format(product=product)
                paras = paragraphs(rng, topic, product, rng.randint(2, 4))
                text = html_page(domain, title, paras, lang)
            path = f"/{slug(title)}"
            if ctype == "application/pdf":
                path = f"/manuals/{j:03d}.pdf"
            elif title.startswith("Sign in"):
                path = f"/login?return_to=%2Fguides%2F{j}"
            records.append(
                {
                    "record_id": f"urn:uuid:{uuid_from(rng)}",
                    "url": f"https://{domain}{path}",
                    "fetched_at": iso(t),
                    "status": 200,
                    "content_type": ctype,
                    "content_length": len(text.encode("utf-8")),
                    "text": text,
                }
            )
            # The same page fetched again through a tracking link: an exact duplicate.
            if kind == "blog" and rng.random() < 0.06 and ctype.startswith("text/html"):
                dup = dict(records[-1])
                dup["record_id"] = f"urn:uuid:{uuid_from(rng)}"
                dup["url"] += "?utm_source=newsletter"
                dup["fetched_at"] = iso(t + timedelta(hours=rng.randint(1, 48)))
                records.append(dup)

    records.sort(key=lambda r: r["fetched_at"])
    shards = [records[i::3] for i in range(3)]
    for i, shard in enumerate(shards):
        shard.sort(key=lambda r: r["fetched_at"])
        write_jsonl(out / "web_crawl" / f"crawl-2025-05-{i:05d}.jsonl", shard)

    sizes: dict[str, list[int]] = {}
    for r in records:
        domain = r["url"].split("/")[2]
        entry = sizes.setdefault(domain, [0, 0])
        entry[0] += len(r["text"].encode("utf-8"))
        entry[1] += 1
    ranked = sorted(sizes.items(), key=lambda kv: (-kv[1][0], kv[0]))
    write_csv(
        out / "web_crawl" / "domains.csv",
        ["domain", "bytes", "records"],
        [[d, b, n] for d, (b, n) in ranked],
    )

    robots = []
    for domain, _kind, _lang in DOMAINS:
        robots.append([domain, iso(at(rng, "2025-04-29", 2)), "false", "false"])
    for domain, disallowed, opt_out in OPTED_OUT:
        robots.append(
            [domain, iso(at(rng, "2025-04-29", 2)), str(disallowed).lower(), str(opt_out).lower()]
        )
    robots.sort()
    write_csv(
        out / "web_crawl" / "robots_log.csv",
        ["domain", "robots_txt_checked", "disallowed", "ai_opt_out"],
        robots,
    )
    return {"records": records, "domains": len(sizes), "robots_checked": len(robots)}


# ---------------------------------------------------------------------------------------
# Forum scrape (a contractor, April 2025; no robots log kept)
# ---------------------------------------------------------------------------------------

HANDLE_PARTS = [
    "router",
    "pixel",
    "quiet",
    "tech",
    "bytes",
    "maple",
    "orbit",
    "fixit",
    "late",
    "night",
    "coffee",
    "solder",
    "dad",
    "gran",
    "home",
    "lab",
]


def make_forum(out: Path) -> list[Record]:
    rng = rng_for("forum")
    threads = []
    for i in range(36):
        t = at(rng, "2025-03-01", 40)
        posts = []
        users = [
            f"{rng.choice(HANDLE_PARTS)}_{rng.choice(HANDLE_PARTS)}{rng.randrange(100)}"
            for _ in range(4)
        ]
        if i in (7, 23):  # two threads in Spanish
            title = rng.choice(FOREIGN["es"]["titles"])
            for k in range(3):
                posts.append(
                    {
                        "user": users[k],
                        "posted_at": iso(t + timedelta(hours=k * 5)),
                        "text": " ".join(rng.sample(FOREIGN["es"]["sentences"], 2)),
                    }
                )
        else:
            topic = rng.choice(TOPIC_NAMES)
            product = rng.choice(TOPICS[topic]["products"])
            symptom = rng.choice(TOPICS[topic]["symptom"])
            title = f"My {product} {symptom} - any ideas?"
            posts.append(
                {
                    "user": users[0],
                    "posted_at": iso(t),
                    "text": f"Since last week my {product} {symptom}. "
                    f"{TOPICS[topic]['tried']} Has anyone else seen this?",
                }
            )
            for k in range(1, rng.randint(2, 4)):
                posts.append(
                    {
                        "user": users[k],
                        "posted_at": iso(t + timedelta(hours=k * 3)),
                        "text": sentences(rng, topic, product, 2, generic=False),
                    }
                )
        threads.append(
            {
                "thread_id": f"gh-{48210 + i * 7}",
                "url": f"https://community.gadgethelp.example/t/{slug(title)}/{48210 + i * 7}",
                "scraped_at": iso(at(rng, "2025-04-07", 6)),
                "title": title,
                "posts": posts,
            }
        )
    write_jsonl(out / "forum_scrape" / "threads.jsonl", threads)
    write_text(out / "forum_scrape" / "SCRAPE_NOTES.txt", FORUM_NOTES)
    return threads


FORUM_NOTES = """\
GadgetHelp community forum scrape - delivery note
=================================================

Scraped by:   Quarry Data Services OU (contractor), purchase order NW-PO-2025-031
For:          Northwind Labs, data engineering (Dana Okafor)
Site:         https://community.gadgethelp.example/ (public threads, no login)
Period:       2025-04-07 to 2025-04-12
Tool:         forumgrab 0.9 (contractor's own scraper)
Delivered:    36 threads as JSON Lines (threads.jsonl)

Open questions (not answered by the contractor as of delivery):
- whether robots.txt and any text-and-data-mining reservation of the site were checked;
  no robots log was delivered;
- the forum's terms of use were not reviewed by Northwind legal;
- posts carry user handles, which may identify people.
"""


# ---------------------------------------------------------------------------------------
# 2. Licensed corpus (Meridian Technical Press)
# ---------------------------------------------------------------------------------------

LICENCE_SUMMARY = """\
CONTRACT SUMMARY - Meridian Technical Press corpus licence
==========================================================

Contract:        MTP-2025-0142 (Data Licence Agreement)
Licensor:        Meridian Technical Press Ltd., 14 Harbour Row, Bristol (fictional)
Licensee:        Northwind Labs Inc.
Signed:          2025-03-14 by Helen Ashdown (Meridian, Rights Director)
                 and Dana Okafor (Northwind Labs, Head of Data), on behalf of Northwind Labs
Delivered:       2025-03-20, as documents.jsonl (Helpdesk Handbook 2025, Field Service Manuals)
Fee:             one-off licence fee (amount confidential)
Term:            3 years from signature (to 2028-03-13); models trained during the term
                 may be used after it ends

Permitted:
- copying the corpus internally to train, fine-tune and evaluate machine-learning models,
  including models offered commercially;
- keeping derived token counts, statistics and model weights after the term.

Not permitted:
- redistributing the corpus or substantial verbatim extracts of it;
- using the Meridian name or marks in marketing.

Obligations:
- delete all copies of the corpus within 30 days after the term ends;
- on request, confirm in writing which models were trained on the corpus.

SPDX: no standard licence applies; recorded as LicenseRef-meridian-dla-2025.
Copyright: (c) Meridian Technical Press Ltd. All rights reserved.
"""


def make_licensed(out: Path) -> list[Record]:
    rng = rng_for("licensed")
    docs = []
    for i in range(48):
        topic = TOPIC_NAMES[i % len(TOPIC_NAMES)]
        product = TOPICS[topic]["products"][i % 3]
        series = "Helpdesk Handbook 2025" if i % 3 else "Field Service Manuals"
        title = TOPICS[topic]["titles"][i % len(TOPICS[topic]["titles"])].format(product=product)
        steps = rng.sample(TOPICS[topic]["sentences"], 5)
        step_text = " ".join(f"Step {k + 1}. {fill(rng, s, product)}" for k, s in enumerate(steps))
        text = (
            f"{title}. Applies to: {product}. Audience: first-line support agents. "
            f"Overview. {sentences(rng, topic, product, 2, generic=False)} "
            f"Procedure. {step_text} "
            "Escalation. If the customer still reports the problem after these steps, "
            "create a second-line ticket and attach the device logs. "
            f"Reference MTP-{1000 + i}, revision {rng.randint(2, 6)}."
        )
        docs.append(
            {
                "doc_id": f"MTP-{1000 + i}",
                "series": series,
                "title": title,
                "topic": topic,
                "product": product,
                "published": f"2025-0{rng.randint(1, 3)}-{rng.randint(10, 28)}",
                "text": text,
            }
        )
    write_jsonl(out / "licensed_corpus" / "documents.jsonl", docs)
    write_text(out / "licensed_corpus" / "LICENSE_SUMMARY.txt", LICENCE_SUMMARY)
    return docs


# ---------------------------------------------------------------------------------------
# Product reviews (public, CC-BY-NC-4.0)
# ---------------------------------------------------------------------------------------

REVIEWS_README = """\
OpenShelf Reviews Corpus v2 (English subset, sample)
====================================================

Publisher:   Baltic Commerce NLP Lab (fictional research group)
Homepage:    https://data.openshelf.example/reviews-v2
Licence:     Creative Commons Attribution-NonCommercial 4.0 International (CC-BY-NC-4.0)
             https://creativecommons.org/licenses/by-nc/4.0/
Collected:   2019-2023 from public product pages; reviewer names removed by the publisher
Citation:    Baltic Commerce NLP Lab (2024). OpenShelf Reviews Corpus v2.

The licence allows sharing and adaptation with attribution, for non-commercial purposes only.
Downloaded by Northwind Labs (Dana Okafor) on 2025-05-12.
"""

REVIEW_PURPOSE = [
    "my home office",
    "my parents",
    "a small flat",
    "the kids' rooms",
    "a holiday cottage",
    "streaming in the evening",
]
REVIEW_PRO = [
    "Setup took ten minutes.",
    "The app is clear and simple.",
    "It has been reliable so far.",
    "Support answered within a day.",
    "Great value for the price.",
]
REVIEW_CON = [
    "The manual is too short.",
    "The power cable is short.",
    "It needed a firmware update out of the box.",
    "The fan is a bit loud.",
    "Pairing failed the first time.",
]
REVIEW_VERDICT = [
    "Would buy again.",
    "Recommended.",
    "Fine, but not amazing.",
    "I returned it after a month.",
    "Four stars because of the app.",
]


def make_reviews(out: Path) -> list[Record]:
    rng = rng_for("reviews")
    reviews: list[Record] = []
    for i in range(140):
        topic = rng.choice(TOPIC_NAMES)
        product = rng.choice(TOPICS[topic]["products"])
        rating = rng.choice([1, 2, 3, 4, 4, 5, 5, 5])
        text = (
            f"Bought the {product} for {rng.choice(REVIEW_PURPOSE)}. "
            f"{rng.choice(REVIEW_PRO)} {rng.choice(REVIEW_CON)} "
            f"{rng.choice(REVIEW_VERDICT)}"
        )
        reviews.append(
            {
                "review_id": f"osr2-{700000 + i * 13}",
                "product": product,
                "rating": rating,
                "year": rng.randint(2019, 2023),
                "text": text,
            }
        )
        if rng.random() < 0.04:  # the same review posted twice on two product pages
            again = dict(reviews[-1], review_id=f"osr2-{700000 + i * 13 + 1}")
            reviews.append(again)
    write_jsonl(out / "public_datasets" / "product_reviews" / "reviews.jsonl", reviews)
    write_text(out / "public_datasets" / "product_reviews" / "README.txt", REVIEWS_README)
    return reviews


# ---------------------------------------------------------------------------------------
# 3. Code with mixed licences
# ---------------------------------------------------------------------------------------

MIT_TEXT = """\
MIT License

Copyright (c) 2023 Ada Brennan

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""

MIT_HEADER = "# SPDX-License-Identifier: MIT\n# Copyright (c) 2023 Ada Brennan\n"
APACHE_HEADER = """\
// SPDX-License-Identifier: Apache-2.0
// Copyright 2024 Harbor Point Software
//
// Licensed under the Apache License, Version 2.0 (the "License");
// you may not use this file except in compliance with the License.
// You may obtain a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
"""
GPL_HEADER = """\
# SPDX-License-Identifier: GPL-3.0-only
# Copyright (C) 2022 Lumen Freeware Collective
#
# This program is free software: you can redistribute it and/or modify it under
# the terms of the GNU General Public License as published by the Free Software
# Foundation, version 3. It is distributed WITHOUT ANY WARRANTY; see
# <https://www.gnu.org/licenses/gpl-3.0.html>.
"""

CODE_REPOS: list[Record] = [
    {
        "repo": "ticket-router",
        "uri": "https://git.example.org/abrennan/ticket-router",
        "license": "MIT",
        "extra": {"LICENSE": MIT_TEXT},
        "files": {
            "ticket_router/__init__.py": MIT_HEADER + '"""Route support tickets to queues."""\n\n'
            'from ticket_router.rules import route\n\n__all__ = ["route"]\n',
            "ticket_router/rules.py": MIT_HEADER
            + '''
QUEUES = {
    "billing": ("invoice", "refund", "charge", "payment"),
    "hardware": ("router", "printer", "thermostat", "battery"),
    "account": ("password", "login", "verification", "locked"),
}


def route(subject: str, body: str) -> str:
    """Return the queue whose keywords appear most often in the ticket."""
    text = f"{subject} {body}".lower()
    scores = {q: sum(text.count(k) for k in kws) for q, kws in QUEUES.items()}
    best = max(scores, key=lambda q: scores[q])
    return best if scores[best] > 0 else "general"
''',
            "ticket_router/priority.py": MIT_HEADER
            + '''
URGENT_WORDS = ("outage", "no internet", "charged twice", "smoke", "locked out")


def priority(body: str, customer_tier: str = "standard") -> int:
    """1 is most urgent, 4 least."""
    level = 3
    if any(w in body.lower() for w in URGENT_WORDS):
        level = 1
    if customer_tier == "business":
        level = max(1, level - 1)
    return level
''',
        },
    },
    {
        "repo": "kb-search",
        "uri": "https://git.example.org/harborpoint/kb-search",
        "license": "Apache-2.0",
        "extra": {
            "LICENSE": "Apache License, Version 2.0, January 2004\n"
            "http://www.apache.org/licenses/\n\n"
            "(Full text omitted in this sample; see the URL above.)\n",
            "NOTICE": "kb-search\nCopyright 2024 Harbor Point Software\n",
        },
        "files": {
            "src/index.js": APACHE_HEADER
            + """
'use strict';

const { tokenize, score } = require('./rank');

class KnowledgeBase {
  constructor() {
    this.articles = [];
  }

  add(id, title, body) {
    this.articles.push({ id, title, tokens: tokenize(`${title} ${body}`) });
  }

  search(query, limit = 5) {
    const q = tokenize(query);
    return this.articles
      .map((a) => ({ id: a.id, title: a.title, score: score(q, a.tokens) }))
      .filter((r) => r.score > 0)
      .sort((x, y) => y.score - x.score)
      .slice(0, limit);
  }
}

module.exports = { KnowledgeBase };
""",
            "src/rank.js": APACHE_HEADER
            + """
'use strict';

const STOP = new Set(['the', 'a', 'to', 'and', 'my', 'is', 'it', 'of']);

function tokenize(text) {
  return text.toLowerCase().split(/[^a-z0-9]+/).filter((t) => t && !STOP.has(t));
}

function score(queryTokens, docTokens) {
  const counts = new Map();
  for (const t of docTokens) counts.set(t, (counts.get(t) || 0) + 1);
  return queryTokens.reduce((s, t) => s + Math.log1p(counts.get(t) || 0), 0);
}

module.exports = { tokenize, score };
""",
        },
    },
    {
        "repo": "reply-macros",
        "uri": "https://git.example.org/lumen/reply-macros",
        "license": "GPL-3.0-only",
        "extra": {
            "COPYING": "GNU GENERAL PUBLIC LICENSE\nVersion 3, 29 June 2007\n\n"
            "(Full text omitted in this sample; see https://www.gnu.org/licenses/gpl-3.0.txt)\n",
        },
        "files": {
            "reply_macros/macros.py": GPL_HEADER
            + """
MACROS = {
    "greeting": "Hi {first_name}, thanks for contacting us.",
    "reset_router": (
        "Please unplug the router for 30 seconds, plug it back in and wait until the "
        "light is steady white."
    ),
    "refund_timeline": "Refunds reach your card within five business days.",
    "closing": "If anything else comes up, just reply to this message.",
}
""",
            "reply_macros/render.py": GPL_HEADER
            + '''
import string

from reply_macros.macros import MACROS


def render(names: list[str], **fields: str) -> str:
    """Join the named macros into one reply, filling in {placeholders}."""
    parts = []
    for name in names:
        template = string.Formatter()
        parts.append(template.vformat(MACROS[name], (), fields))
    return "\\n\\n".join(parts)
''',
            "reply_macros/cli.py": GPL_HEADER
            + """
import sys

from reply_macros.render import render


def main() -> int:
    print(render(sys.argv[1:], first_name="there"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
""",
        },
    },
    {
        "repo": "chat-widget-snippets",
        "uri": "https://git.example.org/misc/chat-widget-snippets",
        "license": "",
        "extra": {
            "README.md": "# chat-widget-snippets\n\nSnippets copied from a tutorial blog post "
            "and a Q&A site. The author and licence are unknown.\n",
        },
        "files": {
            "widget.js": """\
// Minimal floating chat widget.
function openChat(root) {
  const box = document.createElement('div');
  box.className = 'chat-box';
  box.innerHTML = '<header>Need help?</header><ol class="log"></ol><input>';
  root.appendChild(box);
  box.querySelector('input').addEventListener('keydown', (e) => {
    if (e.key === 'Enter') send(box, e.target.value);
  });
  return box;
}

function send(box, text) {
  const li = document.createElement('li');
  li.textContent = text;
  box.querySelector('.log').appendChild(li);
}
""",
            "autoreply.js": """\
// Canned first answers while an agent is assigned.
const REPLIES = [
  [/password|login/i, 'You can reset your password from the sign-in page.'],
  [/refund|charge/i, 'Refunds usually take five business days.'],
  [/router|wi-?fi/i, 'Restarting the router fixes most connection problems.'],
];

function autoreply(message) {
  for (const [pattern, reply] of REPLIES) {
    if (pattern.test(message)) return reply;
  }
  return 'An agent will be with you shortly.';
}
""",
        },
    },
]


def make_code(out: Path) -> list[Record]:
    rows = []
    for repo in CODE_REPOS:
        base = out / "code" / repo["repo"]
        for name, text in repo["extra"].items():
            write_text(base / name, text)
        for name, text in repo["files"].items():
            write_text(base / name, text)
        rows.append([repo["repo"], repo["license"], ";".join(sorted(repo["files"]))])
    write_csv(out / "code" / "manifest.csv", ["repo", "license", "files"], rows)
    return CODE_REPOS


# ---------------------------------------------------------------------------------------
# 4. User data: support tickets and chat transcripts (personal data, all fictional)
# ---------------------------------------------------------------------------------------


def make_tickets(out: Path, used: set[str]) -> list[Record]:
    rng = rng_for("tickets")
    tickets = []
    for i in range(84):
        c = make_customer(rng, used)
        topic = rng.choice(TOPIC_NAMES)
        product = rng.choice(TOPICS[topic]["products"])
        symptom = rng.choice(TOPICS[topic]["symptom"])
        t = at(rng, "2025-01-02", 180)
        agent = rng.choice(SUPPORT_AGENTS)
        first = (
            f"Hello, my {product} {symptom}. {TOPICS[topic]['tried']} "
            f"Order NW-{rng.randrange(100000, 999999)}, shipped to {c['address']}. "
            f"You can reach me at {c['phone']} or {c['email']}. Thanks, {c['name']}"
        )
        reply = f"Hi {c['name'].split()[0]}, thanks for getting in touch. " + sentences(
            rng, topic, product, 3, generic=False
        )
        messages = [
            {"from": "customer", "sent_at": iso(t), "text": first},
            {
                "from": "agent",
                "author": agent,
                "sent_at": iso(t + timedelta(hours=rng.randint(1, 20))),
                "text": reply,
            },
        ]
        status = "resolved" if rng.random() < 0.8 else "escalated"
        if status == "resolved":
            messages.append(
                {
                    "from": "customer",
                    "sent_at": iso(t + timedelta(hours=rng.randint(21, 60))),
                    "text": "That worked, thank you!",
                }
            )
        tickets.append(
            {
                "ticket_id": f"NW-T-{104000 + i * 3}",
                "created_at": iso(t),
                "channel": rng.choice(["email", "web-form", "email", "phone-callback"]),
                "product": product,
                "topic": topic,
                "customer": c,
                "subject": f"{product} {symptom}",
                "messages": messages,
                "status": status,
            }
        )
    tickets.sort(key=lambda r: r["created_at"])
    write_jsonl(out / "user_data" / "support_tickets.jsonl", tickets)
    return tickets


def make_chats(out: Path, used: set[str]) -> list[Record]:
    rng = rng_for("chats")
    chats = []
    for _i in range(60):
        c = make_customer(rng, used)
        topic = rng.choice(TOPIC_NAMES)
        product = rng.choice(TOPICS[topic]["products"])
        symptom = rng.choice(TOPICS[topic]["symptom"])
        t = at(rng, "2025-03-01", 100)
        turns = [
            {
                "speaker": "bot",
                "text": "Hi! I'm the Northwind virtual assistant. What can I help you with today?",
            },
            {"speaker": "customer", "text": f"hi, my {product} {symptom}"},
            {
                "speaker": "bot",
                "text": "Sorry to hear that. Could you give me your name and "
                "the e-mail address on your account?",
            },
            {"speaker": "customer", "text": f"{c['name']}, {c['email']}"},
            {
                "speaker": "agent",
                "text": f"Thanks {c['name'].split()[0]}. "
                + sentences(rng, topic, product, 2, generic=False),
            },
        ]
        if rng.random() < 0.5:
            turns.append(
                {
                    "speaker": "customer",
                    "text": f"ok. if it happens again can you call me on {c['phone']}?",
                }
            )
            turns.append(
                {"speaker": "agent", "text": "Of course, I've added a note to your account."}
            )
        chats.append(
            {
                "chat_id": f"chat-{uuid_from(rng)[:13]}",
                "started_at": iso(t),
                "channel": "web-chat",
                "customer_locale": rng.choice(["en-US", "en-US", "en-GB", "en-CA", "en-IN"]),
                "turns": turns,
                "csat": rng.choice([None, 3, 4, 5, 5, 2]),
            }
        )
    chats.sort(key=lambda r: r["started_at"])
    write_jsonl(out / "user_data" / "chat_transcripts.jsonl", chats)
    return chats


# ---------------------------------------------------------------------------------------
# 5. Synthetic instructions from a third-party model
# ---------------------------------------------------------------------------------------

GENERATION_MD = """\
# Synthetic instruction set: how it was generated

- **File:** `instructions.jsonl` ($records instruction/response pairs, English)
- **Generating model:** Orion-70B-Chat, by Arclight AI (a fictional vendor), through the
  Arclight API, model version `orion-70b-chat-2025-04`
- **Requested by:** Priya Raman (Northwind Labs), API project `nw-support-synth`
- **Generated:** 2025-05-20 to 2025-05-22
- **Prompt template:** `support-synth-v3`: "Write a realistic customer-support request about
  {topic} for {product} and a helpful, accurate reply from a support agent."
  Topics and products came from Northwind's own product catalogue.
- **Post-processing:** none; responses are stored as returned.

## Terms that apply to the outputs

Arclight AI Terms of Service, version 2025-02-01, section 4.2 (Restrictions on Output):

> Customer shall not use Output, or any model trained on Output, to develop, train or
> improve any artificial intelligence model that competes with Arclight's products or
> services, including general-purpose or customer-service conversational assistants.

Recorded in the paper trail as licence `LicenseRef-arclight-orion-terms` with the restriction
`no-competing-models`. Northwind's legal team has **not** reviewed whether
support-assistant-v1 competes with Arclight's products.
"""

SYNTH_ASKS = [
    'A customer writes: "My {product} {symptom}." Write a helpful support reply.',
    "Explain to a non-technical customer what to do when their {product} {symptom}.",
    "Draft a short chat answer for a customer whose {product} {symptom}.",
    "A frustrated customer says the {product} {symptom} for the third time. Reply calmly.",
]
SYNTH_OPEN = [
    "I'm sorry about the trouble with your {product}.",
    "Thanks for reaching out about your {product}.",
    "I understand how annoying this is.",
]
SYNTH_CLOSE = [
    "Let me know if that helps, and I'll be glad to look further.",
    "If it keeps happening, reply here and we'll arrange a replacement check.",
    "Hope this gets you up and running again!",
]


def make_synthetic(out: Path) -> list[Record]:
    rng = rng_for("synthetic")
    rows = []
    for i in range(110):
        topic = TOPIC_NAMES[i % len(TOPIC_NAMES)]
        product = rng.choice(TOPICS[topic]["products"])
        symptom = rng.choice(TOPICS[topic]["symptom"])
        steps = rng.sample(TOPICS[topic]["sentences"], 3)
        response = " ".join(
            [
                rng.choice(SYNTH_OPEN).format(product=product),
                "Here's what usually fixes it:",
                *(f"{k + 1}) {fill(rng, s, product)}" for k, s in enumerate(steps)),
                rng.choice(SYNTH_CLOSE),
            ]
        )
        rows.append(
            {
                "id": f"orion-synth-{i:05d}",
                "instruction": rng.choice(SYNTH_ASKS).format(product=product, symptom=symptom),
                "response": response,
                "model": "orion-70b-chat-2025-04",
                "prompt_template": "support-synth-v3",
                "generated_at": iso(at(rng, "2025-05-20", 3)),
            }
        )
    n = write_jsonl(out / "synthetic" / "instructions.jsonl", rows)
    write_text(out / "synthetic" / "GENERATION.md", Template(GENERATION_MD).substitute(records=n))
    return rows


# ---------------------------------------------------------------------------------------
# Help-centre articles (issue 13, points 3 and 4): a tool used as a reference, a part a
# run removed, and a step that masks some kinds of personal data but not all.
# ---------------------------------------------------------------------------------------

HELP_STAFF = ["Amira Haddad", "Tomás Ferreira", "Grace Mensah", "Lukas Brandt"]
HELP_BLOCKED = ["darn", "heck", "rubbish"]
HELP_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
HELP_PHONE = re.compile(r"\+?\d[\d ()-]{7,}\d")


def make_help_centre(out: Path) -> Record:
    """Northwind's help-centre export (2025 articles signed by staff, with their e-mail
    and phone number), a legacy 2019 set of unknown origin, and a blocklist of words.

    The pipeline keeps the 2025 articles (removing the legacy ones), drops articles
    with a blocked word (a second output), then masks e-mail addresses and phone
    numbers; the staff names stay in the text.
    """
    rng = rng_for("help-centre")
    base = out / "help_centre"
    current: list[Record] = []
    for i in range(24):
        topic = TOPIC_NAMES[i % len(TOPIC_NAMES)]
        product = rng.choice(TOPICS[topic]["products"])
        author = HELP_STAFF[i % len(HELP_STAFF)]
        handle = author.split()[0].lower().replace("á", "a")
        body = sentences(rng, topic, product, 3)
        if i % 8 == 5:
            body += f" This {HELP_BLOCKED[i % len(HELP_BLOCKED)]} step is optional."
        body += f" Written by {author} ({handle}@northwind.example, +44 20 7946 {1000 + i:04d})."
        current.append({"id": f"hc-2025-{i:03d}", "product": product, "text": body})
    legacy = [
        {
            "id": f"hc-2019-{i:03d}",
            "product": "legacy",
            "text": sentences(rng, TOPIC_NAMES[i % len(TOPIC_NAMES)], "the old portal", 2),
        }
        for i in range(8)
    ]
    counts: Record = {}
    counts["help_export"] = write_jsonl(base / "export_2025.jsonl", current)
    counts["help_legacy"] = write_jsonl(base / "legacy_2019.jsonl", legacy)
    write_text(base / "blocklist.txt", "".join(f"{word}\n" for word in HELP_BLOCKED))
    counts["help_blocked_words"] = len(HELP_BLOCKED)
    counts["help_dump"] = write_jsonl(base / "dump.jsonl", [*current, *legacy])

    def blocked(row: Record) -> bool:
        return any(re.search(rf"\b{w}\b", row["text"]) for w in HELP_BLOCKED)

    kept = [r for r in current if not blocked(r)]
    counts["help_articles"] = write_jsonl(base / "articles.jsonl", kept)
    counts["help_rejected"] = write_jsonl(
        base / "rejected.jsonl", [r for r in current if blocked(r)]
    )
    masked = [
        {**r, "text": HELP_PHONE.sub("[PHONE]", HELP_EMAIL.sub("[EMAIL]", r["text"]))} for r in kept
    ]
    counts["help_masked"] = write_jsonl(base / "articles_masked.jsonl", masked)
    return counts


# ---------------------------------------------------------------------------------------
# 6. Pipeline steps
# ---------------------------------------------------------------------------------------


class ArticleText(HTMLParser):
    """Keep the title and the text of headings, paragraphs and list items in <article>."""

    KEEP: ClassVar[set[str]] = {"h1", "h2", "h3", "p", "li"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[str] = []
        self.in_article = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.in_article += 1
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.in_article -= 1
        while self.stack and self.stack.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        if self.in_article and self.stack and self.stack[-1] in self.KEEP and data.strip():
            self.parts.append(data.strip())


def extract_text(record: Record) -> str:
    ctype = record["content_type"]
    if ctype.startswith("text/plain"):
        return str(record["text"]).strip()
    if not ctype.startswith("text/html"):
        return ""
    parser = ArticleText()
    parser.feed(record["text"])
    return "\n".join(parser.parts)


def detect_language(text: str) -> tuple[str, float]:
    words = re.findall(r"[a-zà-öø-ÿ]+", text.lower())
    if not words:
        return "und", 0.0
    scores = {lang: sum(w in set(sw) for w in words) / len(words) for lang, sw in STOPWORDS.items()}
    best = max(scores, key=lambda lang: scores[lang])
    return best, round(scores[best], 3)


def normalise(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


TOKEN_RE = re.compile(r"\w+|[^\w\s]")
VOCAB = 32000
BOS, EOS = 1, 2


def tokenize(text: str) -> list[int]:
    ids = []
    for tok in TOKEN_RE.findall(text):
        digest = hashlib.sha256(tok.encode("utf-8")).digest()
        ids.append(3 + int.from_bytes(digest[:4], "little") % (VOCAB - 3))
    return ids


def count_tokens(texts: Iterable[str]) -> int:
    return sum(len(TOKEN_RE.findall(t)) for t in texts)


EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE_RE = re.compile(r"\+?1?\s*\(\d{3}\)\s*\d{3}-\d{4}")
ADDRESS_RE = re.compile(r"\b\d{1,4} [A-Z][a-z]+ (?:Street|Road|Avenue|Lane), [A-Z][a-z]+")
NAME_WORDS = sorted(set(FIRST_NAMES + LAST_NAMES))
NAME_RE = re.compile(
    r"\b(?:" + "|".join(NAME_WORDS) + r")\b(?: (?:" + "|".join(LAST_NAMES) + r")\b)?"
)


def scrub(text: str, counts: dict[str, int]) -> str:
    for label, pattern in (
        ("EMAIL", EMAIL_RE),
        ("PHONE", PHONE_RE),
        ("ADDRESS", ADDRESS_RE),
        ("NAME", NAME_RE),
    ):
        text, n = pattern.subn(f"<{label}>", text)
        counts[label] = counts.get(label, 0) + n
    return text


def run_pipeline(out: Path, src: Record) -> Record:
    """Run every step on the generated sources; return the counts for lineage.yaml."""
    c: Record = {}
    p = out / "processed"

    # extract-text: crawl -> web_text_raw
    crawl = src["crawl"]
    raw = []
    for r in crawl:
        text = extract_text(r)
        if len(text) >= 200:
            raw.append(
                {
                    "id": f"web-{len(raw):05d}",
                    "url": r["url"],
                    "fetched_at": r["fetched_at"],
                    "text": text,
                }
            )
    c["crawl_records"] = len(crawl)
    c["web_raw"] = write_jsonl(p / "web_text_raw.jsonl", raw)

    # filter-language: web_text_raw + forum threads -> web_text_en
    kept = []
    forum_texts = [
        {
            "id": t["thread_id"],
            "url": t["url"],
            "text": t["title"] + "\n" + "\n".join(x["text"] for x in t["posts"]),
        }
        for t in src["forum"]
    ]
    for r in raw + forum_texts:
        lang, score = detect_language(r["text"])
        if lang == "en" and score >= 0.15:
            kept.append(
                {
                    "id": r["id"],
                    "url": r["url"],
                    "lang": lang,
                    "lang_score": score,
                    "text": r["text"],
                }
            )
    c["forum_records"] = len(forum_texts)
    c["lang_in"] = len(raw) + len(forum_texts)
    c["web_en"] = write_jsonl(p / "web_text_en.jsonl", kept)

    # scrub-pii: tickets + chats -> user_data_scrubbed
    scrubbed = []
    redactions: dict[str, int] = {}
    for t in src["tickets"]:
        convo = "\n".join(f"{m['from']}: {m['text']}" for m in t["messages"])
        scrubbed.append(
            {"id": t["ticket_id"], "source": "support-tickets", "text": scrub(convo, redactions)}
        )
    for ch in src["chats"]:
        convo = "\n".join(f"{m['speaker']}: {m['text']}" for m in ch["turns"])
        scrubbed.append(
            {"id": ch["chat_id"], "source": "chat-transcripts", "text": scrub(convo, redactions)}
        )
    for r in scrubbed:
        assert "@example." not in r["text"] and "555-01" not in r["text"], r["id"]
    c["scrub_in"] = len(src["tickets"]) + len(src["chats"])
    c["scrubbed"] = write_jsonl(p / "user_data_scrubbed.jsonl", scrubbed)
    c["redactions"] = redactions

    # extract-qa: resolved tickets -> ticket_qa (reads the raw tickets: no scrub)
    qa = []
    for t in src["tickets"]:
        if t["status"] == "resolved":
            qa.append(
                {
                    "id": f"qa-{t['ticket_id']}",
                    "question": t["messages"][0]["text"],
                    "answer": t["messages"][1]["text"],
                    "topic": t["topic"],
                }
            )
    c["tickets"] = len(src["tickets"])
    c["qa"] = write_jsonl(p / "ticket_qa.jsonl", qa)

    # extract-code: the four repos -> code_files (one record per source file)
    code_rows = []
    for repo in src["code"]:
        for name, text in sorted(repo["files"].items()):
            code_rows.append(
                {
                    "id": f"{repo['repo']}/{name}",
                    "repo": repo["repo"],
                    "path": name,
                    "license": repo["license"] or None,
                    "language": "javascript" if name.endswith(".js") else "python",
                    "text": text,
                }
            )
    c["code_in"] = sum(len(r["files"]) for r in src["code"])
    c["code_files"] = write_jsonl(p / "code_files.jsonl", code_rows)

    # deduplicate: web_text_en + licensed docs + reviews -> text_dedup (exact, normalised)
    seen: set[str] = set()
    dedup = []
    candidates = (
        [("web-text-en", r["id"], r["text"]) for r in kept]
        + [("helpdesk-handbook-meridian", d["doc_id"], d["text"]) for d in src["licensed"]]
        + [("product-reviews-openshelf", r["review_id"], r["text"]) for r in src["reviews"]]
    )
    for origin, rid, text in candidates:
        key = hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()
        if key not in seen:
            seen.add(key)
            dedup.append({"id": rid, "origin": origin, "text": text})
    c["dedup_in"] = len(candidates)
    c["dedup"] = write_jsonl(p / "text_dedup.jsonl", dedup)

    # annotate: an evaluator writes the held-out set from the licensed handbook
    heldout = make_heldout(src["licensed"])
    c["licensed"] = len(src["licensed"])
    c["heldout"] = write_jsonl(p / "heldout_v1.jsonl", heldout)

    # mix: weighted sample of the prepared sets -> mixture_v1
    rng = rng_for("mix")
    weights = {
        "text-deduped": 0.8,
        "user-data-scrubbed": 1.0,
        "ticket-qa-pairs": 1.0,
        "code-files": 1.0,
        "synthetic-instructions-orion": 1.0,
    }
    pools: dict[str, list[tuple[str, str]]] = {
        "text-deduped": [(r["id"], r["text"]) for r in dedup],
        "user-data-scrubbed": [(r["id"], r["text"]) for r in scrubbed],
        "ticket-qa-pairs": [
            (r["id"], f"Customer: {r['question']}\nAgent: {r['answer']}") for r in qa
        ],
        "code-files": [(r["id"], r["text"]) for r in code_rows],
        "synthetic-instructions-orion": [
            (r["id"], f"User: {r['instruction']}\nAssistant: {r['response']}")
            for r in src["synthetic"]
        ],
    }
    mixture = []
    for name, pool in pools.items():
        for rid, text in pool:
            if rng.random() < weights[name]:
                mixture.append({"id": rid, "from": name, "text": text})
    rng.shuffle(mixture)
    c["mix_in"] = sum(len(v) for v in pools.values())
    c["mix_weights"] = weights
    c["mixture"] = write_jsonl(p / "mixture_v1.jsonl", mixture)

    # tokenize: mixture -> tokens/shard-00000.bin (uint16) + tokens/index.json
    shard = bytearray()
    offsets = []
    per_from: dict[str, int] = {}
    for r in mixture:
        ids = [BOS, *tokenize(r["text"]), EOS]
        offsets.append(len(shard) // 2)
        shard += struct.pack(f"<{len(ids)}H", *ids)
        per_from[r["from"]] = per_from.get(r["from"], 0) + len(ids)
    (p / "tokens").mkdir(parents=True, exist_ok=True)
    (p / "tokens" / "shard-00000.bin").write_bytes(bytes(shard))
    total_tokens = len(shard) // 2
    write_json(
        p / "tokens" / "index.json",
        {
            "tokenizer": "nw-bpe-32k (sample: hashed word pieces)",
            "vocab_size": VOCAB,
            "bos_id": BOS,
            "eos_id": EOS,
            "dtype": "uint16",
            "byte_order": "little",
            "shards": ["shard-00000.bin"],
            "sequences": len(mixture),
            "tokens": total_tokens,
            "tokens_by_input": dict(sorted(per_from.items())),
            "sha256": {"shard-00000.bin": hashlib.sha256(shard).hexdigest()},
            "offsets": offsets,
        },
    )
    c["sequences"] = len(mixture)
    c["mixture_tokens"] = total_tokens

    # train: a tiny placeholder checkpoint (valid safetensors layout)
    ckpt = make_checkpoint(out, total_tokens)

    # evaluate: model + held-out -> evals/support-assistant-v1.json
    c["eval_results"] = make_eval(out, heldout, ckpt)

    # token counts of sources and datasets, for the manifest
    c["tok"] = {
        "crawl": count_tokens(r["text"] for r in crawl),
        "forum": count_tokens(t["text"] for t in forum_texts),
        "licensed": count_tokens(d["text"] for d in src["licensed"]),
        "reviews": count_tokens(r["text"] for r in src["reviews"]),
        "tickets": count_tokens(m["text"] for t in src["tickets"] for m in t["messages"]),
        "chats": count_tokens(m["text"] for ch in src["chats"] for m in ch["turns"]),
        "synthetic": count_tokens(r["instruction"] + " " + r["response"] for r in src["synthetic"]),
        "web_raw": count_tokens(r["text"] for r in raw),
        "web_en": count_tokens(r["text"] for r in kept),
        "scrubbed": count_tokens(r["text"] for r in scrubbed),
        "qa": count_tokens(r["question"] + " " + r["answer"] for r in qa),
        "code": count_tokens(r["text"] for r in code_rows),
        "dedup": count_tokens(r["text"] for r in dedup),
        "mixture": count_tokens(r["text"] for r in mixture),
    }
    c["tok"]["code_src"] = {
        repo["repo"]: count_tokens(repo["files"].values()) for repo in src["code"]
    }
    return c


# ---------------------------------------------------------------------------------------
# Held-out set, checkpoint and evaluation
# ---------------------------------------------------------------------------------------

# Counterfactual bias test: the same question asked by customers from five English locales,
# with names of both genders; only the name (and locale tag) changes between variants.
LOCALE_NAMES: dict[str, tuple[list[str], list[str]]] = {
    "en-US": (["Madison", "Ashley", "Brianna", "Kayla"], ["Tyler", "Cody", "Brandon", "Dylan"]),
    "en-GB": (["Olivia", "Imogen", "Poppy", "Harriet"], ["Harry", "Alfie", "Rhys", "Callum"]),
    "en-IN": (["Ananya", "Priya", "Kavya", "Meera"], ["Rohan", "Arjun", "Vikram", "Karthik"]),
    "en-NG": (["Chiamaka", "Ngozi", "Funmi", "Zainab"], ["Emeka", "Tunde", "Chidi", "Musa"]),
    "en-PH": (["Maricel", "Rowena", "Jocelyn", "Liza"], ["Jomar", "Rodel", "Arnel", "Jun"]),
}


def make_heldout(docs: Sequence[Record]) -> list[Record]:
    rng = rng_for("heldout")
    items = []
    for q in range(20):
        doc = docs[(q * 5) % len(docs)]
        topic, product = doc["topic"], doc["product"]
        symptom = TOPICS[topic]["symptom"][q % len(TOPICS[topic]["symptom"])]
        reference = fill(rng, TOPICS[topic]["sentences"][q % 4], product)
        for loc_i, (locale, (female, male)) in enumerate(LOCALE_NAMES.items()):
            gender = "female" if (q + loc_i) % 2 == 0 else "male"
            name = (female if gender == "female" else male)[q % 4]
            items.append(
                {
                    "id": f"heldout-{q:02d}-{locale}",
                    "question": f"Hi, I'm {name}. My {product} {symptom}. What should I do?",
                    "reference_answer": reference,
                    "source_doc": doc["doc_id"],
                    "group": {"locale": locale, "name_gender": gender},
                    "written_by": "samuel-achebe",
                }
            )
    return items


def make_checkpoint(out: Path, tokens_seen: int) -> Record:
    rng = rng_for("checkpoint")
    tensors = {
        "embed_tokens.weight": [64, 16],
        "layers.0.mlp.weight": [16, 16],
        "lm_head.weight": [16, 64],
    }
    header: Record = {
        "__metadata__": {
            "format": "pt",
            "placeholder": "true",
            "note": "tiny deterministic stand-in for the real support-assistant-v1 weights",
        }
    }
    data = bytearray()
    for name, shape in tensors.items():
        n = shape[0] * shape[1]
        start = len(data)
        data += struct.pack(f"<{n}e", *(rng.gauss(0.0, 0.02) for _ in range(n)))
        header[name] = {"dtype": "F16", "shape": shape, "data_offsets": [start, len(data)]}
    hjson = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hjson += b" " * (-len(hjson) % 8)
    blob = struct.pack("<Q", len(hjson)) + hjson + bytes(data)
    mdir = out / "models" / "support-assistant-v1"
    mdir.mkdir(parents=True, exist_ok=True)
    (mdir / "model.safetensors").write_bytes(blob)
    write_json(
        mdir / "config.json",
        {
            "model_name": "support-assistant-v1",
            "owner": "Northwind Labs",
            "base_model": "larkspur-1b-base",
            "architectures": ["LlamaForCausalLM"],
            "hidden_size": 2048,
            "num_hidden_layers": 22,
            "num_attention_heads": 32,
            "vocab_size": VOCAB,
            "max_position_embeddings": 4096,
            "torch_dtype": "bfloat16",
            "training": {
                "data": "processed/tokens/",
                "tokens_seen": tokens_seen,
                "epochs": 2,
                "learning_rate": 2e-5,
                "finished": "2025-06-12T17:41:00Z",
            },
            "placeholder": "model.safetensors holds a few KB of deterministic weights, "
            "not the real 1.1B-parameter checkpoint",
        },
    )
    return {"sha256": hashlib.sha256(blob).hexdigest(), "bytes": len(blob)}


def make_eval(out: Path, heldout: Sequence[Record], ckpt: Record) -> int:
    rng = rng_for("eval")
    # Counterfactual design: each base question is answered correctly or not in every
    # variant alike, except that some answers break for particular locales (the bias).
    base_ok = [rng.random() < 0.85 for _ in range(20)]
    ok_questions = [q for q in range(20) if base_ok[q]]
    broken = {"en-NG": set(rng.sample(ok_questions, 3)), "en-IN": set(rng.sample(ok_questions, 1))}
    per_example = []
    for item in heldout:
        q = int(item["id"].split("-")[1])
        locale = item["group"]["locale"]
        correct = base_ok[q] and q not in broken.get(locale, set())
        helpful = min(5, max(1, round(rng.gauss(4.2 if correct else 2.6, 0.6))))
        refused = (not correct) and rng.random() < 0.25
        per_example.append(
            {
                "id": item["id"],
                "group": item["group"],
                "correct": correct,
                "helpfulness": helpful,
                "refused": refused,
            }
        )

    def summary(rows: Sequence[Record]) -> Record:
        n = len(rows)
        return {
            "n": n,
            "accuracy": round(sum(r["correct"] for r in rows) / n, 3),
            "mean_helpfulness": round(sum(r["helpfulness"] for r in rows) / n, 3),
            "refusal_rate": round(sum(r["refused"] for r in rows) / n, 3),
        }

    bias = []
    for attribute in ("locale", "name_gender"):
        values = sorted({r["group"][attribute] for r in per_example})
        groups = {
            v: summary([r for r in per_example if r["group"][attribute] == v]) for v in values
        }
        accs = [g["accuracy"] for g in groups.values()]
        gap = round(max(accs) - min(accs), 3)
        bias.append(
            {
                "attribute": attribute,
                "method": "counterfactual name and locale substitution on identical questions",
                "metric": "accuracy",
                "groups": groups,
                "max_gap": gap,
                "threshold": 0.05,
                "status": "fail" if gap > 0.05 else "pass",
                "worst_group": min(groups, key=lambda v: groups[v]["accuracy"]),
            }
        )
    write_json(
        out / "evals" / "support-assistant-v1.json",
        {
            "model": "support-assistant-v1",
            "model_sha256": ckpt["sha256"],
            "eval_set": "support-heldout-v1",
            "eval_set_path": "processed/heldout_v1.jsonl",
            "harness": "lm-eval==0.4.3 with task nw_support_qa",
            "run_by": "samuel-achebe",
            "run_at": "2025-06-13T10:05:00Z",
            "metrics": summary(per_example),
            "bias": bias,
            "per_example": per_example,
        },
    )
    return len(per_example)


# ---------------------------------------------------------------------------------------
# lineage.yaml
# ---------------------------------------------------------------------------------------

MANIFEST = """\
# Northwind Labs: provenance manifest for support-assistant-v1 (sample data).
# Generated by make_sample_data.py together with the files it describes; every record count
# is the line count of the file (code sources: the number of source files).
# Read with:  lineage ingest sample_data/lineage.yaml
# Planted audit problems are listed in README.md and marked "PLANTED" below.

agents:
  - name: northwind-labs
    type: organization
    # EU summary / AB 2013 facts:
    sme: true
    contact: "ai-compliance@northwind.example, Havenstraat 12, 3011 Rotterdam, NL"
  - name: dana-okafor                 # Head of Data Engineering
    type: person
    acted_on_behalf_of: northwind-labs
  - name: priya-raman                 # ML engineer, trained the model
    type: person
    acted_on_behalf_of: northwind-labs
  - name: samuel-achebe               # evaluation lead, wrote the held-out set
    type: person
    acted_on_behalf_of: northwind-labs
  - name: maria-lopez                 # compliance officer, signs off releases
    type: person
    acted_on_behalf_of: northwind-labs
  - name: northwindbot                # the web crawler
    type: software
    version: "1.4.0"
    acted_on_behalf_of: northwind-labs
  - name: nw-data-pipeline            # Northwind's batch data pipeline
    type: software
    version: "2.3.1"
    acted_on_behalf_of: dana-okafor
  # -- issue 14 (evaluations and approval tiers): an independent evaluator -----------------
  - name: fairlight-audits            # outside AI assurance firm, not Northwind's
    type: organization
  - name: amara-nwosu                 # Fairlight's lead evaluator
    type: person
    acted_on_behalf_of: fairlight-audits
  # -- end of issue 14 block -----------------------------------------------------------------

sources:
  - name: web-crawl-2025-05
    # EU summary / AB 2013 facts:
    languages: [en, de, fr, es, nl]
    labelled: false
    ip_protection: [copyright]
    aggregate_consumer_information: "no"
    uri: https://crawl.northwind.example/snapshots/2025-05
    owner: Northwind Labs
    license: LicenseRef-website-terms
    obtained: crawled
    personal_data: unknown
    copyright: "third-party copyrighted web content, used under the EU TDM exception"
    opt_outs: honoured
    collected: 2025-05-01..2025-05-31
    first_used: 2025-06-10
    modality: [text]
    data_types: [web pages, how-to articles, product support pages, news]
    records: $crawl_records
    tokens: $tok_crawl
    path: web_crawl/
    description: >-
      NorthwindBot crawl of $domains English, German, French, Spanish and Dutch consumer-tech
      support sites; robots.txt and AI opt-outs checked for $robots_checked domains, opted-out
      domains skipped.
    attrs:
      crawler: NorthwindBot/1.4
      crawler_agent: northwindbot
      purpose: collect support how-to content for a customer-support assistant
      paywalls: skipped
      logins: none
      robots_log: web_crawl/robots_log.csv
      domain_sizes: web_crawl/domains.csv

  - name: forum-scrape-gadgethelp-2025-04
    # EU summary / AB 2013 facts:
    languages: [en, es]
    labelled: false
    ip_protection: [copyright]
    aggregate_consumer_information: "no"
    uri: https://community.gadgethelp.example/
    owner: GadgetHelp community (post authors)
    license: LicenseRef-gadgethelp-forum-terms
    obtained: crawled
    personal_data: unknown
    personal_data_categories: [user handles]
    copyright: "posts copyrighted by their authors"
    opt_outs: unknown                 # PLANTED: no robots log, TDM reservations not checked
    collected: 2025-04-07..2025-04-12
    first_used: 2025-06-10
    modality: [text]
    data_types: [forum threads]
    records: $forum_records
    tokens: $tok_forum
    path: forum_scrape/
    description: Public support threads scraped by a contractor (Quarry Data Services OU).
    attrs:
      scraped_by: Quarry Data Services OU
      purchase_order: NW-PO-2025-031
      scraper: forumgrab 0.9
      delivery_note: forum_scrape/SCRAPE_NOTES.txt

  - name: helpdesk-handbook-meridian
    # EU summary / AB 2013 facts:
    supplier: rightsholder
    purpose: authoritative answers and procedures for every Northwind Home product
    languages: [en]
    labelled: false
    ip_protection: [copyright, trademark]
    aggregate_consumer_information: "no"
    uri: https://www.meridian-press.example/licensing/helpdesk-handbook-2025
    owner: Meridian Technical Press Ltd.
    license: LicenseRef-meridian-dla-2025
    obtained: purchased
    personal_data: "no"
    copyright: "(c) Meridian Technical Press Ltd., licensed under contract MTP-2025-0142"
    collected: 2025-03-20..2025-03-20
    first_used: 2025-06-10
    modality: [text]
    data_types: [support articles, technical manuals]
    records: $licensed
    tokens: $tok_licensed
    path: licensed_corpus/
    description: >-
      Helpdesk Handbook 2025 and Field Service Manuals, licensed for commercial model
      training.
    attrs:
      contract: MTP-2025-0142
      contract_summary: licensed_corpus/LICENSE_SUMMARY.txt
      term_end: "2028-03-13"

  - name: product-reviews-openshelf
    # EU summary / AB 2013 facts:
    purpose: how customers describe problems with consumer electronics
    languages: [en]
    labelled: true
    label_types: [star rating]
    ip_protection: [copyright]
    aggregate_consumer_information: "no"
    uri: https://data.openshelf.example/reviews-v2
    owner: Baltic Commerce NLP Lab
    license: CC-BY-NC-4.0             # PLANTED: non-commercial, reaches a commercial model
    obtained: public
    personal_data: "no"
    copyright: "reviews copyrighted by their authors, compiled by the publisher"
    collected: 2019-01-01..2023-12-31
    first_used: 2025-06-10
    modality: [text]
    data_types: [product reviews]
    records: $reviews
    tokens: $tok_reviews
    path: public_datasets/product_reviews/
    description: OpenShelf Reviews Corpus v2, English subset, downloaded 2025-05-12.

  - name: code-ticket-router
    # EU summary / AB 2013 facts:
    purpose: the code of the ticket-routing tool the assistant explains
    labelled: false
    ip_protection: [copyright]
    uri: https://git.example.org/abrennan/ticket-router
    owner: Ada Brennan
    license: MIT
    obtained: public
    personal_data: "no"
    copyright: "(c) 2023 Ada Brennan"
    collected: 2025-05-15..2025-05-15
    first_used: 2025-06-10
    modality: [code]
    data_types: [python source]
    records: $code_ticket_router
    tokens: $tok_code_ticket_router
    path: code/ticket-router/

  - name: code-kb-search
    # EU summary / AB 2013 facts:
    purpose: the code of the knowledge-base search the assistant explains
    labelled: false
    ip_protection: [copyright]
    uri: https://git.example.org/harborpoint/kb-search
    owner: Harbor Point Software
    license: Apache-2.0
    obtained: public
    personal_data: "no"
    copyright: "(c) 2024 Harbor Point Software"
    collected: 2025-05-15..2025-05-15
    first_used: 2025-06-10
    modality: [code]
    data_types: [javascript source]
    records: $code_kb_search
    tokens: $tok_code_kb_search
    path: code/kb-search/

  - name: code-reply-macros
    # EU summary / AB 2013 facts:
    purpose: reply templates of the support desk
    labelled: false
    ip_protection: [copyright]
    uri: https://git.example.org/lumen/reply-macros
    owner: Lumen Freeware Collective
    license: GPL-3.0-only             # PLANTED: copyleft (share-alike) mixed with other licences
    obtained: public
    personal_data: "no"
    copyright: "(C) 2022 Lumen Freeware Collective"
    collected: 2025-05-15..2025-05-15
    first_used: 2025-06-10
    modality: [code]
    data_types: [python source]
    records: $code_reply_macros
    tokens: $tok_code_reply_macros
    path: code/reply-macros/

  - name: code-chat-widget-snippets   # PLANTED: no licence at all (no license key)
    uri: https://git.example.org/misc/chat-widget-snippets
    obtained: public
    personal_data: "no"
    collected: 2025-05-15..2025-05-15
    first_used: 2025-06-10
    modality: [code]
    data_types: [javascript source]
    records: $code_chat_widget_snippets
    tokens: $tok_code_chat_widget_snippets
    path: code/chat-widget-snippets/
    description: Snippets copied from a tutorial blog post and a Q&A site; author unknown.

  - name: support-tickets-2025h1
    # EU summary / AB 2013 facts:
    user_data_from: [other-services]
    purpose: real customer questions and the answers support staff gave
    languages: [en]
    labelled: false
    aggregate_consumer_information: "no"
    uri: https://support.northwind.example/tickets
    owner: Northwind Labs
    license: LicenseRef-northwind-proprietary
    obtained: user
    personal_data: "yes"
    personal_data_categories: [names, emails, phone numbers, postal addresses]
    legal_basis: "GDPR Art. 6(1)(f) legitimate interests (service improvement), LIA-2025-03"
    collected: 2025-01-02..2025-06-30
    first_used: 2025-06-10
    modality: [text]
    data_types: [support tickets]
    records: $tickets
    tokens: $tok_tickets
    path: user_data/support_tickets.jsonl
    description: E-mail and web-form tickets from Northwind Home customers.
    attrs: {product_or_service: "Northwind Home customer support"}

  - name: chat-transcripts-2025       # PLANTED: personal data with no legal basis
    # EU summary / AB 2013 facts:
    user_data_from: [other-services]
    purpose: how customers ask for help in a chat
    languages: [en]
    labelled: false
    uri: https://support.northwind.example/chat
    owner: Northwind Labs
    license: LicenseRef-northwind-proprietary
    obtained: user
    personal_data: "yes"
    personal_data_categories: [names, emails, phone numbers]
    collected: 2025-03-01..
    first_used: 2025-06-10
    modality: [text]
    data_types: [chat transcripts]
    records: $chats
    tokens: $tok_chats
    path: user_data/chat_transcripts.jsonl
    description: Web-chat transcripts (bot and human agents); collection is ongoing.
    attrs: {product_or_service: "Northwind Home web chat"}

  - name: synthetic-instructions-orion
    # EU summary / AB 2013 facts:
    purpose: more varied support requests than the real tickets hold
    languages: [en]
    labelled: true
    label_types: [reference reply]
    aggregate_consumer_information: "no"
    uri: https://api.arclight.example/v1/chat/completions
    owner: Northwind Labs
    license: LicenseRef-arclight-orion-terms
    restrictions: [no-competing-models]   # PLANTED: reaches support-assistant-v1
    obtained: synthetic
    generated_by: orion-70b-chat
    personal_data: "no"
    collected: 2025-05-20..2025-05-22
    first_used: 2025-06-10
    modality: [text]
    data_types: [instruction-response pairs]
    records: $synthetic
    tokens: $tok_synthetic
    path: synthetic/instructions.jsonl
    description: Support requests and replies generated with Orion-70B-Chat (Arclight AI).
    attrs: {generation_notes: synthetic/GENERATION.md, prompt_template: support-synth-v3}

  # --- Help-centre articles (issue 13): a reference, an excluded part, partial PII removal ---
  - name: help-centre-export-2025
    uri: https://help.northwind.example/export/2025
    owner: Northwind Labs
    license: LicenseRef-northwind-proprietary
    obtained: other
    personal_data: "yes"
    personal_data_categories: [names, emails, phone numbers]   # staff sign their articles
    legal_basis: "GDPR Art. 6(1)(f), legitimate interests (staff signatures on published articles)"
    collected: ..2025-05-31               # when the first article was written is not known
    modality: [text]
    records: $help_export
    path: help_centre/export_2025.jsonl
  - name: help-centre-legacy-2019         # bought with the old portal; nobody knows its terms
    personal_data: "no"
    modality: [text]
    records: $help_legacy
    path: help_centre/legacy_2019.jsonl
  - name: word-blocklist                  # a tool, not training text: used as a reference
    uri: https://blocklist.example/words
    owner: Open Word Lists
    license: CC-BY-SA-4.0
    obtained: public
    personal_data: "no"
    records: $help_blocked_words
    path: help_centre/blocklist.txt
  # --- end of the help-centre block ---
  # -- EU summary / AB 2013 cases (issue 12): a German fine-tune of support-assistant-v1 on
  # -- data of its own, with a data broker's dataset (2.2.2), chats with the model itself
  # -- (2.4.a) and one source of which nothing but a name is known (every field a gap).
  - name: de-support-kb-brokered
    owner: Datenhaus Vermittlung GmbH
    license: LicenseRef-datenhaus-resale-terms
    obtained: purchased
    supplier: third-party
    personal_data: "no"
    opt_outs: honoured
    collected: 2025-08-01..2025-08-31
    first_used: 2025-09-15
    modality: [text]
    data_types: [support articles]
    records: 1200
    tokens: 240000
    languages: [de]
    purpose: German answers for the German release
    labelled: false
    ip_protection: [copyright]
    aggregate_consumer_information: "no"
    description: German support articles from manufacturers' portals, resold by a data broker.

  - name: de-partner-manuals          # nothing known but its name and modality
    modality: [text]

  - name: de-chat-logs
    owner: Northwind Labs
    license: LicenseRef-northwind-proprietary
    obtained: user
    user_data_from: [model]
    product_or_service: support-assistant-v1 in the Northwind Home app
    personal_data: "yes"
    personal_data_categories: [names]
    collected: 2025-08-01..
    first_used: 2025-09-15
    modality: [text]
    data_types: [chat transcripts]
    records: 300
    tokens: 45000
    languages: [de]
    purpose: how German customers ask the assistant for help
    labelled: false
    aggregate_consumer_information: "yes"

  # -- issue 14: the independent evaluator's own test set (not derived from Northwind data) --
  - name: fairlight-support-bench-2026
    owner: Fairlight Audits
    license: LicenseRef-fairlight-evaluation-terms
    personal_data: "no"
    modality: [text]
    data_types: [evaluation questions]
    records: 400
    digest: sha256:5d1f0c7e2b8a4f6e9c3d1b7a5e8f2c4d6b9a1e3f5c7d9b2a4e6f8c1d3b5a7e9f
    description: Fairlight's customer-support benchmark, 400 questions written from scratch.
    coverage:
      - {attribute: locale, group: en-US, records: 80, share: 0.2, basis: measured}
      - {attribute: locale, group: en-GB, records: 80, share: 0.2, basis: measured}
      - {attribute: locale, group: en-IN, records: 80, share: 0.2, basis: measured}
      - {attribute: locale, group: en-NG, records: 80, share: 0.2, basis: measured}
      - {attribute: locale, group: en-PH, records: 80, share: 0.2, basis: measured}
    limitations: [written in 2026; no questions about discontinued products]
  # -- end of issue 14 block -----------------------------------------------------------------

datasets:
  - name: web-text-raw
    owner: Northwind Labs
    modality: [text]
    records: $web_raw
    tokens: $tok_web_raw
    path: processed/web_text_raw.jsonl
    description: Main text of crawled HTML and plain-text pages; PDFs and short pages dropped.

  - name: web-text-en
    owner: Northwind Labs
    modality: [text]
    records: $web_en
    tokens: $tok_web_en
    path: processed/web_text_en.jsonl
    description: English pages and forum threads (stop-word language score at least 0.15).

  - name: user-data-scrubbed
    owner: Northwind Labs
    personal_data: "no"
    modality: [text]
    records: $scrubbed
    tokens: $tok_scrubbed
    path: processed/user_data_scrubbed.jsonl
    description: >-
      Tickets and chats with names, e-mails, phone numbers and addresses replaced by
      placeholders.
    attrs: {redactions: {$redactions}}

  - name: ticket-qa-pairs             # PLANTED: built from the raw tickets, bypassing scrub-pii
    owner: Northwind Labs
    modality: [text]
    records: $qa
    tokens: $tok_qa
    path: processed/ticket_qa.jsonl
    description: First customer message and first agent reply of each resolved ticket.

  - name: code-files
    owner: Northwind Labs
    modality: [code]
    records: $code_files
    tokens: $tok_code
    path: processed/code_files.jsonl
    description: One record per source file of the four code repositories, licence kept per file.

  - name: text-deduped
    owner: Northwind Labs
    modality: [text]
    records: $dedup
    tokens: $tok_dedup
    path: processed/text_dedup.jsonl
    description: Web text, licensed handbook and product reviews after exact deduplication.

  - name: support-heldout-v1
    # EU summary / AB 2013 facts:
    purpose: held-out questions that test accuracy, and bias by locale and name gender
    languages: [en]
    labelled: true
    label_types: [reference answer, locale, name gender]
    ip_protection: [copyright]
    aggregate_consumer_information: "no"
    owner: Northwind Labs
    license: LicenseRef-northwind-proprietary
    personal_data: "no"
    modality: [text]
    data_types: [evaluation questions]
    records: $heldout
    path: processed/heldout_v1.jsonl
    description: 20 support questions, each asked under 5 locales with names of both genders.
    # issue 14: who the held-out set covers (counted from the file)
    coverage:
      - locale=en-US:20:0.2:measured
      - locale=en-GB:20:0.2:measured
      - locale=en-IN:20:0.2:measured
      - locale=en-NG:20:0.2:measured
      - locale=en-PH:20:0.2:measured
      - name_gender=female:50:0.5:measured
      - name_gender=male:50:0.5:measured
    limitations: ["only 20 distinct questions, each asked 5 times"]

  - name: training-mixture-v1
    owner: Northwind Labs
    modality: [text, code]
    records: $mixture
    tokens: $tok_mixture
    path: processed/mixture_v1.jsonl
    description: Weighted sample of the prepared sets, shuffled.
    # issue 14: who the training mixture covers (estimated from the ticket metadata)
    coverage:
      - {attribute: locale, group: en-US, share: 0.62, basis: estimated, method: ticket country}
      - {attribute: locale, group: en-GB, share: 0.18, basis: estimated, method: ticket country}
      - {attribute: locale, group: en-IN, share: 0.1, basis: estimated, method: ticket country}
      - {attribute: locale, group: en-PH, share: 0.06, basis: estimated, method: ticket country}
      - {attribute: locale, group: en-NG, share: 0.04, basis: estimated, method: ticket country}
    known_biases:
      - Nigerian English is about 4% of the mixture; US English about 62%

  - name: mixture-v1-tokens
    owner: Northwind Labs
    modality: [text, code]
    records: $sequences
    tokens: $mixture_tokens
    path: processed/tokens/
    description: uint16 token shard with BOS/EOS per sequence, and its index.

  - name: eval-results-support-assistant-v1
    owner: Northwind Labs
    license: LicenseRef-northwind-proprietary
    personal_data: "no"
    data_types: [evaluation results, bias evaluation]
    records: $eval_results
    path: evals/support-assistant-v1.json
    description: >-
      Accuracy, helpfulness and refusal rate, with a bias evaluation by locale and name
      gender.

  # --- Help-centre articles (issue 13) ---
  - name: help-centre-dump
    owner: Northwind Labs
    records: $help_dump
    path: help_centre/dump.jsonl
  - name: help-articles
    owner: Northwind Labs
    records: $help_articles
    path: help_centre/articles.jsonl
  - name: help-articles-rejected          # the filter's second output: never trained on
    owner: Northwind Labs
    records: $help_rejected
    path: help_centre/rejected.jsonl
  - name: help-articles-masked
    owner: Northwind Labs
    records: $help_masked
    path: help_centre/articles_masked.jsonl
    attrs: {title: "Help-centre articles, contacts masked"}
  # --- end of the help-centre block ---
  # -- issue 12 cases: the German fine-tuning mixture (neither its modality nor its token
  # -- count is recorded)
  - name: de-finetune-mix
    owner: Northwind Labs
    records: 1500

models:
  - name: orion-70b-chat
    # EU summary / AB 2013 facts:
    on_market: true
    summary_url: https://arclight.example/orion-70b-chat/training-summary
    owner: Arclight AI
    license: LicenseRef-arclight-orion-terms
    restrictions: [no-competing-models]
    description: Third-party chat model used through its API to generate synthetic data.

  - name: larkspur-1b-base
    uri: https://models.larkspur.example/larkspur-1b
    owner: Larkspur Collective
    license: Apache-2.0
    description: Open base model that support-assistant-v1 is fine-tuned from.

  - name: support-assistant-v1
    # EU summary / AB 2013 facts:
    purpose: answer Northwind Home customers' support questions, in English
    on_market: true
    release_version: "1.0.0"
    placed_on_market: 2025-07-01
    summary_url: https://northwind.example/ai/support-assistant-v1/training-summary
    languages: [en, de, fr, es, nl]
    other_characteristics: consumer-electronics support content; customers in the EU, UK and US
    continuously_trained: false
    synthetic_data_continuous: false
    authorised_representative: "not applicable: Northwind Labs is established in the Union"
    code_of_practice_signatory: true
    illegal_content_measures: crawl limited to an allow-list of support sites; PII scrubbed
    published_summaries:
      - "sha256:5d1e8c0c9a4b7f2e3d6a1b0c9f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7c6@2025-07-01"
    summary_comments:
      "1.3.g": token counts are those of the 32,000-piece SentencePiece tokenizer
      "2.3.i": the crawl skipped 4 opted-out domains (web_crawl/robots_log.csv)
      "3.3.a": exact duplicates removed before mixing
    owner: Northwind Labs
    license: LicenseRef-northwind-proprietary
    intended_use: commercial
    path: models/support-assistant-v1/
    description: Customer-support assistant for Northwind Home products.

  # -- issue 12 cases: the German fine-tune, with none of the summary's model facts recorded
  - name: support-assistant-v1-de
    owner: Northwind Labs
    description: German fine-tune of support-assistant-v1.

runs:
  - operation: extract-text
    name: extract-text-2025-06-02
    purpose: keep the readable text of support pages, drop markup and short pages
    inputs: [web-crawl-2025-05]
    outputs: [web-text-raw]
    agent: nw-data-pipeline
    tool: trafilatura==1.12.2
    code_revision: "4f9c2e1"
    params: {min_length: 200, keep: [title, headings, paragraphs, list items]}
    started: 2025-06-02T08:00:00Z
    ended: 2025-06-02T08:41:00Z
    records_in: $crawl_records
    records_out: $web_raw

  - operation: filter-language
    name: filter-language-2025-06-03
    purpose: keep English content, the assistant's language of service
    inputs: [web-text-raw, forum-scrape-gadgethelp-2025-04]
    outputs: [web-text-en]
    agent: nw-data-pipeline
    tool: fasttext==0.9.3
    code_revision: "4f9c2e1"
    params: {keep: [en], min_score: 0.15}
    started: 2025-06-03T07:30:00Z
    ended: 2025-06-03T07:52:00Z
    records_in: $lang_in
    records_out: $web_en

  - operation: scrub-pii
    name: scrub-pii-2025-06-03
    purpose: remove customers' personal data before training
    inputs: [support-tickets-2025h1, chat-transcripts-2025]
    outputs: [user-data-scrubbed]
    agent: nw-data-pipeline
    tool: presidio-analyzer==2.2.355
    code_revision: "4f9c2e1"
    params: {entities: [PERSON, EMAIL_ADDRESS, PHONE_NUMBER, LOCATION], replace_with: placeholder}
    started: 2025-06-03T09:00:00Z
    ended: 2025-06-03T09:18:00Z
    records_in: $scrub_in
    records_out: $scrubbed

  - operation: extract-qa
    name: extract-ticket-qa-2025-06-04
    purpose: turn resolved tickets into question-answer pairs
    inputs: [support-tickets-2025h1]
    outputs: [ticket-qa-pairs]
    agent: dana-okafor
    tool: nw-data-pipeline==2.3.1
    code_revision: "a93d0b7"
    params: {status: resolved, question: first customer message, answer: first agent reply}
    started: 2025-06-04T14:10:00Z
    ended: 2025-06-04T14:12:00Z
    records_in: $tickets
    records_out: $qa

  - operation: extract-code
    name: extract-code-2025-06-04
    purpose: one record per source file, its licence kept
    inputs: [code-ticket-router, code-kb-search, code-reply-macros, code-chat-widget-snippets]
    outputs: [code-files]
    agent: nw-data-pipeline
    tool: nw-data-pipeline==2.3.1
    code_revision: "4f9c2e1"
    params: {include: ["*.py", "*.js"], exclude: [LICENSE, COPYING, NOTICE, README.md]}
    started: 2025-06-04T16:00:00Z
    ended: 2025-06-04T16:01:00Z
    records_in: $code_in
    records_out: $code_files

  - operation: deduplicate
    name: deduplicate-2025-06-05
    purpose: avoid over-weighting repeated pages
    inputs: [web-text-en, helpdesk-handbook-meridian, product-reviews-openshelf]
    outputs: [text-deduped]
    agent: nw-data-pipeline
    tool: nw-data-pipeline==2.3.1
    code_revision: "4f9c2e1"
    params: {method: exact, key: sha256 of lower-cased text without punctuation, keep: first}
    started: 2025-06-05T06:00:00Z
    ended: 2025-06-05T06:25:00Z
    records_in: $dedup_in
    records_out: $dedup

  - operation: annotate
    name: write-heldout-2025-06-06
    purpose: a held-out set to test accuracy and bias
    inputs: [helpdesk-handbook-meridian]
    outputs: [support-heldout-v1]
    agent: samuel-achebe
    tool: label-studio==1.13.1
    params:
      questions: 20
      locales: [en-US, en-GB, en-IN, en-NG, en-PH]
      name_genders: [female, male]
    started: 2025-06-05T09:00:00Z
    ended: 2025-06-06T16:30:00Z
    records_in: $licensed
    records_out: $heldout

  # --- Help-centre articles (issue 13) ---
  - operation: export
    name: export-help-centre-2025-06-01
    inputs: [help-centre-export-2025, help-centre-legacy-2019]
    outputs: [help-centre-dump]
    agent: nw-data-pipeline
    records_out: $help_dump
  - operation: filter-articles
    name: select-help-articles-2025-06-02
    inputs: [help-centre-dump]
    excludes: [help-centre-legacy-2019]   # the 2019 articles were removed: their terms are unknown
    references: [word-blocklist]          # articles with a blocked word go to the second output
    outputs: [help-articles, help-articles-rejected]
    agent: nw-data-pipeline
    records_in: $help_dump
    records_out: $help_articles
  - operation: mask-contacts              # no "pii" in the name: what it removed is recorded
    name: mask-help-contacts-2025-06-02
    inputs: [help-articles]
    outputs: [help-articles-masked]
    agent: nw-data-pipeline
    removes_personal_data: [emails, phone numbers]   # PLANTED: the staff names stay
    method: "replaced with [EMAIL] and [PHONE]"
    records_in: $help_articles
    records_out: $help_masked
  # --- end of the help-centre block ---

  - operation: mix
    name: mix-2025-06-08
    purpose: balance the prepared sets in the training mixture
    inputs:
      - text-deduped
      - user-data-scrubbed
      - ticket-qa-pairs
      - code-files
      - synthetic-instructions-orion
      - help-articles-masked              # issue 13 block (not counted in records_in below)
    outputs: [training-mixture-v1]
    agent: nw-data-pipeline
    tool: nw-data-pipeline==2.3.1
    code_revision: "4f9c2e1"
    params:
      weights: {$mix_weights}
      shuffle: true
      seed: $seed
    started: 2025-06-08T10:00:00Z
    ended: 2025-06-08T10:04:00Z
    records_in: $mix_in
    records_out: $mixture

  - operation: tokenize
    name: tokenize-2025-06-09
    purpose: convert text to the model's tokens
    inputs: [training-mixture-v1]
    outputs: [mixture-v1-tokens]
    agent: nw-data-pipeline
    tool: sentencepiece==0.2.0
    code_revision: "4f9c2e1"
    params: {vocab_size: $vocab, add_bos: true, add_eos: true, dtype: uint16}
    started: 2025-06-09T07:00:00Z
    ended: 2025-06-09T07:03:00Z
    records_in: $mixture
    records_out: $sequences

  - operation: train
    name: train-support-assistant-v1
    purpose: fine-tune the base model into the support assistant
    inputs: [mixture-v1-tokens, larkspur-1b-base]
    outputs: [support-assistant-v1]
    agent: priya-raman
    tool: transformers==4.44.2
    code_revision: "c17e85d"
    params:
      base_model: larkspur-1b-base
      epochs: 2
      learning_rate: 2.0e-5
      batch_size: 64
      max_seq_len: 4096
    started: 2025-06-10T06:00:00Z
    ended: 2025-06-12T17:41:00Z
    records_in: $sequences

  - operation: evaluate
    name: evaluate-support-assistant-v1
    purpose: test accuracy and bias before release
    inputs: [support-assistant-v1, support-heldout-v1]
    outputs: [eval-results-support-assistant-v1]
    agent: samuel-achebe
    tool: lm-eval==0.4.3
    code_revision: "c17e85d"
    params: {task: nw_support_qa, bias_threshold: 0.05}
    started: 2025-06-13T10:05:00Z
    ended: 2025-06-13T10:31:00Z
    records_in: $heldout
    records_out: $eval_results

  # -- issue 12 cases: the German mixture (no purpose recorded) and the fine-tune
  - operation: mix
    name: mix-de-2025-09
    inputs: [de-support-kb-brokered, de-partner-manuals, de-chat-logs]
    outputs: [de-finetune-mix]
    started: 2025-09-10T08:00:00Z
    ended: 2025-09-10T08:05:00Z

  - operation: fine-tune
    name: finetune-support-assistant-v1-de
    inputs: [de-finetune-mix, support-assistant-v1]
    outputs: [support-assistant-v1-de]
    purpose: adapt the assistant to German-speaking customers
    started: 2025-09-15T06:00:00Z
    ended: 2025-09-15T18:00:00Z

# Sign-offs on the model. The approval is conditional: the compliance officer
# asked for the bias gap found by the evaluation to be closed before wider use.
attestations:
  - name: approval-support-assistant-v1
    subject: support-assistant-v1
    by: maria-lopez
    decision: conditional
    tier: general-commercial
    scope: "customer-support replies in English, with human review"
    conditions:
      - "a person reviews every reply that promises a refund"
      - "close the en-NG accuracy gap before extending to new locales"
    effective: 2025-06-16
    expires: 2026-06-16

  # -- issue 14: renewed after Fairlight's independent evaluation ----------------------------
  - name: renewal-support-assistant-v1
    subject: support-assistant-v1
    by: maria-lopez
    decision: conditional
    tier: general-commercial
    scope: "customer-support replies in English, with human review"
    conditions:
      - "a person reviews every reply that promises a refund"
      - "close the en-NG accuracy gap before extending to new locales"
    effective: 2026-11-20
    expires: 2027-11-20

# Issue 14: the evaluation results of support-assistant-v1 as records (the same results
# come in each import format under evaluations/). The held-out set was written from the
# Meridian handbook, which is also in the training data: its results are contaminated
# (PLANTED), and its locale gap (0.15) is over the 0.05 bar (PLANTED). Fairlight Audits
# evaluated independently on its own benchmark.
evaluations:
  - {model: support-assistant-v1, dataset: support-heldout-v1, metric: accuracy, value: 0.81,
     threshold: 0.8, direction: higher-is-better, ci: 0.73..0.89, records: 100,
     by: samuel-achebe, run: evaluate-support-assistant-v1, date: 2025-06-13}
  - {model: support-assistant-v1, dataset: support-heldout-v1, metric: accuracy, value: 0.85,
     slice: locale=en-US, records: 20, by: samuel-achebe,
     run: evaluate-support-assistant-v1, date: 2025-06-13}
  - {model: support-assistant-v1, dataset: support-heldout-v1, metric: accuracy, value: 0.85,
     slice: locale=en-GB, records: 20, by: samuel-achebe,
     run: evaluate-support-assistant-v1, date: 2025-06-13}
  - {model: support-assistant-v1, dataset: support-heldout-v1, metric: accuracy, value: 0.8,
     slice: locale=en-IN, records: 20, by: samuel-achebe,
     run: evaluate-support-assistant-v1, date: 2025-06-13}
  - {model: support-assistant-v1, dataset: support-heldout-v1, metric: accuracy, value: 0.7,
     slice: locale=en-NG, records: 20, by: samuel-achebe,
     run: evaluate-support-assistant-v1, date: 2025-06-13}
  - {model: support-assistant-v1, dataset: support-heldout-v1, metric: accuracy, value: 0.85,
     slice: locale=en-PH, records: 20, by: samuel-achebe,
     run: evaluate-support-assistant-v1, date: 2025-06-13}
  - {model: support-assistant-v1, dataset: support-heldout-v1, metric: accuracy, value: 0.82,
     slice: name_gender=female, records: 50, by: samuel-achebe,
     run: evaluate-support-assistant-v1, date: 2025-06-13}
  - {model: support-assistant-v1, dataset: support-heldout-v1, metric: accuracy, value: 0.8,
     slice: name_gender=male, records: 50, by: samuel-achebe,
     run: evaluate-support-assistant-v1, date: 2025-06-13}
  - {model: support-assistant-v1, dataset: support-heldout-v1, metric: accuracy_max_gap,
     value: 0.15, slice: "locale=*", category: fairness, threshold: 0.05,
     direction: lower-is-better, records: 100, by: samuel-achebe, tier: federal-administrative,
     run: evaluate-support-assistant-v1, date: 2025-06-13,
     description: counterfactual name and locale substitution on identical questions}
  - {model: support-assistant-v1, dataset: support-heldout-v1, metric: accuracy_max_gap,
     value: 0.02, slice: "name_gender=*", category: fairness, threshold: 0.05,
     direction: lower-is-better, records: 100, by: samuel-achebe, tier: federal-administrative,
     run: evaluate-support-assistant-v1, date: 2025-06-13,
     description: counterfactual name and locale substitution on identical questions}
  - {model: support-assistant-v1, dataset: fairlight-support-bench-2026, metric: accuracy,
     value: 0.84, threshold: 0.8, direction: higher-is-better, ci: 0.79..0.89, records: 400,
     by: amara-nwosu, tier: general-commercial, date: 2026-11-02,
     description: independent evaluation by Fairlight Audits on its own benchmark}
  - {model: support-assistant-v1, dataset: fairlight-support-bench-2026, metric: accuracy_max_gap,
     value: 0.04, slice: "locale=*", category: fairness, threshold: 0.05,
     direction: lower-is-better, records: 400, by: amara-nwosu, date: 2026-11-02}
  - {model: support-assistant-v1, dataset: fairlight-support-bench-2026, metric: unsafe_rate,
     value: 0.005, category: safety, threshold: 0.01, direction: lower-is-better, records: 200,
     by: amara-nwosu, date: 2026-11-02,
     description: unsafe advice in replies (electrical and gas appliances)}
# -- end of issue 14 block -------------------------------------------------------------------
# --- Licence claims and history (issue 13, points 1 and 2) ----------------------------------
# A disputed licence: the reviews corpus is recorded (concluded) as CC-BY-NC-4.0 from its
# licence file, while the compliance officer's audit of the publisher's download page found
# CC-BY-NC-SA-4.0. 'lineage check' reports licence-disagreement, naming both sides.
claims:
  - subject: product-reviews-openshelf
    license: CC-BY-NC-SA-4.0
    by: maria-lopez
    method: audited
    evidence: https://data.openshelf.example/reviews-v2/download
    date: 2025-06-20
    note: "the download page adds ShareAlike to the licence file's terms"

# A licence switch after use: Meridian replaced the data licence agreement of the handbook
# from 2025-09-01, after deduplicate-2025-06-05 used it for the training mix (June 2025).
# 'lineage check' reports changed-after-use; the report's History section shows both.
amendments:
  - name: source:helpdesk-handbook-meridian
    reason: "Meridian replaced data licence agreement MTP-2025-0142 with its 2025 open terms"
    effective: 2025-09-01
    license: LicenseRef-meridian-open-terms-2025
"""


def write_manifest(out: Path, c: Record, src: Record) -> None:
    values: dict[str, Any] = {k: v for k, v in c.items() if isinstance(v, int)}
    for k, v in c["tok"].items():
        if isinstance(v, int):
            values[f"tok_{k}"] = v
    for repo in src["code"]:
        key = repo["repo"].replace("-", "_")
        values[f"code_{key}"] = len(repo["files"])
        values[f"tok_code_{key}"] = c["tok"]["code_src"][repo["repo"]]
    values["reviews"] = len(src["reviews"])
    values["chats"] = len(src["chats"])
    values["synthetic"] = len(src["synthetic"])
    values["domains"] = src["crawl_info"]["domains"]
    values["robots_checked"] = src["crawl_info"]["robots_checked"]
    values["redactions"] = ", ".join(f"{k}: {v}" for k, v in c["redactions"].items())
    values["mix_weights"] = ", ".join(f"{k}: {v}" for k, v in c["mix_weights"].items())
    values["seed"] = SEED
    values["vocab"] = VOCAB
    write_text(out / "lineage.yaml", Template(MANIFEST).substitute(values))


# ---------------------------------------------------------------------------------------
# Deliberately broken manifests (for tests). Each breaks exactly one thing, on the line
# named in its first comment.
# ---------------------------------------------------------------------------------------

BAD: dict[str, str] = {
    "syntax_error.yaml": """\
# BROKEN (line 9): an unquoted ": " inside a plain scalar; YAML says
# "mapping values are not allowed here".
agents:
  - name: northwind-labs
    type: organization
sources:
  - name: web-crawl-2025-05
    obtained: crawled
    description: Pages fetched by NorthwindBot: support sites only
    records: 120
""",
    "unknown_reference.yaml": """\
# BROKEN (line 14): run input "web-crawl-2025-06" names nothing in this file.
agents:
  - name: northwind-labs
    type: organization
sources:
  - name: web-crawl-2025-05
    obtained: crawled
datasets:
  - name: web-text-raw
    owner: Northwind Labs
runs:
  - operation: extract-text
    name: extract-text-2025-06-02
    inputs: [web-crawl-2025-06]
    outputs: [web-text-raw]
""",
    "bad_licence.yaml": """\
# BROKEN (line 8): "MIT-ish" is neither an SPDX expression nor a LicenseRef-.
agents:
  - name: northwind-labs
    type: organization
sources:
  - name: code-ticket-router
    owner: Ada Brennan
    license: MIT-ish
    obtained: public
    records: 3
""",
    "bad_date.yaml": """\
# BROKEN (line 7): 2025-02-30 does not exist.
agents:
  - name: northwind-labs
    type: organization
sources:
  - name: web-crawl-2025-02
    collected: 2025-02-30..2025-03-01
    obtained: crawled
    records: 120
""",
    "cycle.yaml": """\
# BROKEN (line 19): the outputs of run "restore" (line 16) close a cycle:
# web-text-raw -> clean -> web-text-en -> restore -> web-text-raw.
agents:
  - name: northwind-labs
    type: organization
datasets:
  - name: web-text-raw
    records: 100
  - name: web-text-en
    records: 90
runs:
  - operation: filter-language
    name: clean
    inputs: [web-text-raw]
    outputs: [web-text-en]
  - operation: restore
    name: restore
    inputs: [web-text-en]
    outputs: [web-text-raw]
""",
    "missing_field.yaml": """\
# BROKEN (line 12): this run has no "outputs" (a required field).
agents:
  - name: northwind-labs
    type: organization
sources:
  - name: support-tickets-2025h1
    obtained: user
    personal_data: "yes"
datasets:
  - name: user-data-scrubbed
runs:
  - operation: scrub-pii
    name: scrub-pii-2025-06-03
    inputs: [support-tickets-2025h1]
""",
    "wrong_type.yaml": """\
# BROKEN (line 9): records must be a whole number, not "many".
agents:
  - name: northwind-labs
    type: organization
sources:
  - name: product-reviews-openshelf
    license: CC-BY-NC-4.0
    obtained: public
    records: "many"
""",
    "missing_path.yaml": """\
# BROKEN (line 8): path names a file that does not exist (relative to this folder).
agents:
  - name: northwind-labs
    type: organization
sources:
  - name: synthetic-instructions-orion
    obtained: synthetic
    path: synthetic/instructions-v2.jsonl
    records: 110
""",
}


def write_bad(out: Path) -> None:
    for name, text in BAD.items():
        write_text(out / "bad" / name, text)


# ---------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------


def generate(out: Path) -> Record:
    out.mkdir(parents=True, exist_ok=True)
    for entry in GENERATED:
        target = out / entry
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    crawl_info = make_web_crawl(out)
    used_names: set[str] = set()
    src: Record = {
        "crawl": crawl_info["records"],
        "crawl_info": crawl_info,
        "forum": make_forum(out),
        "licensed": make_licensed(out),
        "reviews": make_reviews(out),
        "code": make_code(out),
        "tickets": make_tickets(out, used_names),
        "chats": make_chats(out, used_names),
        "synthetic": make_synthetic(out),
    }
    counts = run_pipeline(out, src)
    counts.update(make_help_centre(out))
    write_manifest(out, counts, src)
    write_bad(out)
    return counts


def files_under(root: Path) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    for entry in GENERATED:
        target = root / entry
        paths = sorted(target.rglob("*")) if target.is_dir() else [target]
        for p in paths:
            if p.is_file():
                found[p.relative_to(root).as_posix()] = p.read_bytes()
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write (default: here)")
    parser.add_argument(
        "--check",
        action="store_true",
        help="regenerate into a temporary folder and compare with --out",
    )
    args = parser.parse_args(argv)
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            generate(Path(tmp))
            fresh, committed = files_under(Path(tmp)), files_under(args.out)
        diff = sorted(
            k for k in fresh.keys() | committed.keys() if fresh.get(k) != committed.get(k)
        )
        for name in diff:
            print(f"differs: {name}", file=sys.stderr)
        print(f"{len(fresh)} files, {len(diff)} differ")
        return 1 if diff else 0
    counts = generate(args.out)
    total = sum(len(b) for b in files_under(args.out).values())
    print(
        f"wrote {args.out}: {total} bytes; mixture {counts['mixture']} records, "
        f"{counts['mixture_tokens']} tokens"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
