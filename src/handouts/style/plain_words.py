"""The words ``handouts check`` reads patient text by, as data: clinical words with plain ones to
use instead, and the small closed word classes its plain-language rules need.

Kept here, with the labels, because they are the wording of the tool's advice: a clinic
that wants another plain word edits one line.  The jargon is the anatomical and clinical
vocabulary the plain-language guides for patient material list (the CDC's "Everyday Words
for Public Health Communication", 2016; NHS "Health literacy toolkit", 2023; the Spanish
"Lectura fácil" guidance of Plena Inclusión), limited to words found in exercise handouts.
"""

from __future__ import annotations

#: Clinical word or phrase (lower case) -> the plain words to use, per language.
JARGON: dict[str, dict[str, str]] = {
    "en": {
        "supine": "lying on your back", "prone": "lying face down", "lumbar": "lower back",
        "cervical": "neck", "thoracic": "upper back", "anterior": "front", "posterior": "back",
        "lateral": "outer side", "medial": "inner side", "bilateral": "both sides", "bilaterally": "on both sides",
        "unilateral": "one side", "contralateral": "the other side", "ipsilateral": "the same side",
        "distal": "farther from the body", "proximal": "closer to the body", "flexion": "bending",
        "dorsiflexion": "pulling your toes up", "plantarflexion": "pointing your toes",
        "abduction": "moving out to the side", "adduction": "moving in toward the body",
        "supinated": "palms up", "pronated": "palms down",
        "scapula": "shoulder blade", "scapulae": "shoulder blades", "patella": "kneecap", "sacrum": "tailbone area",
        "gluteal": "buttock", "quadriceps": "front thigh muscles", "isometric": "without moving the joint",
        "proprioception": "sense of balance and position", "contraindicated": "not safe",
        "oedema": "swelling", "edema": "swelling", "ambulate": "walk", "ambulation": "walking",
        "utilize": "use", "perform": "do", "commence": "start", "discontinue": "stop", "approximately": "about",
        "neutral spine": "your back in its natural curve",
    },
    "es": {
        "decúbito supino": "boca arriba", "decúbito prono": "boca abajo", "decúbito lateral": "de lado",
        "lumbar": "parte baja de la espalda", "cervical": "cuello", "dorsal": "parte alta de la espalda",
        "bilateral": "los dos lados", "unilateral": "un lado", "flexión": "doblar", "extensión": "estirar",
        "abducción": "separar del cuerpo", "aducción": "acercar al cuerpo", "escápula": "omóplato",
        "rótula": "hueso de la rodilla", "isométrico": "sin mover la articulación", "edema": "hinchazón",
        "contraindicado": "no recomendado", "realizar": "hacer", "efectuar": "hacer", "deambular": "caminar",
        "aproximadamente": "unos",
    },
    "fr": {
        "décubitus dorsal": "allongé sur le dos", "décubitus ventral": "allongé sur le ventre",
        "lombaire": "bas du dos", "cervical": "cou", "bilatéral": "des deux côtés", "flexion": "plier",
        "abduction": "écarter du corps", "adduction": "rapprocher du corps",
        "œdème": "gonflement", "contre-indiqué": "déconseillé", "effectuer": "faire",
    },
    "de": {
        "rückenlage": "auf dem Rücken liegend", "bauchlage": "auf dem Bauch liegend", "lumbal": "unterer Rücken",
        "zervikal": "Hals", "bilateral": "beidseitig", "flexion": "Beugen", "extension": "Strecken",
        "abduktion": "vom Körper weg", "adduktion": "zum Körper hin", "skapula": "Schulterblatt",
        "patella": "Kniescheibe", "ödem": "Schwellung", "kontraindiziert": "nicht erlaubt",
        "durchführen": "machen",
    },
}

#: Words that show a step does not start with what to do: articles, possessives and subject
#: pronouns ("The knee stays ...", "You lift ...").  A step starting with one of these is
#: a statement; one starting with any other word is taken to be a verb (the list of verbs a
#: step may start with would never be complete: "Hug", "Tuck", "Scoot").
NOT_A_VERB: dict[str, frozenset[str]] = {
    "en": frozenset("the a an your my his her its our their this that these those you it they we he she i "
                    "there one each both all some any most many".split()),
    "es": frozenset("el la los las un una unos unas su sus tu tus este esta estos estas ese esa usted ustedes "
                    "ellos ellas él ella yo nosotros cada ambos ambas todo todos".split()),
    "fr": frozenset("le la les l un une des du votre vos ton ta tes ce cet cette ces vous il elle ils elles on "
                    "je nous chaque".split()),
    "de": frozenset("der die das den dem des ein eine einen einem einer ihr ihre ihren ihrem sein seine es er sie "
                    "wir ich man dieser diese dieses jeder jede beide alle".split()),
}

#: The passive voice, by a simple rule: a form of "be" (Spanish "ser"), then, next or after one
#: adverb, a past participle (an -ed or -en word, a Spanish -ado/-ido word, or one of these).
BE_FORMS: dict[str, frozenset[str]] = {
    "en": frozenset("am is are was were be been being".split()),
    "es": frozenset("es son fue fueron será serán sea sean ser sido era eran".split()),
}
PARTICIPLE_ENDINGS: dict[str, tuple[str, ...]] = {
    "en": ("ed", "en"),
    "es": ("ado", "ada", "ados", "adas", "ido", "ida", "idos", "idas"),
}
IRREGULAR_PARTICIPLES = frozenset(
    "done made held kept put set shown told taught felt found given known left lost read seen sent shut spread "
    "led built bought brought caught thought sought hurt cut hit split bound wound ground bent lent meant "
    "spent struck stuck hung swung worn torn born borne drawn grown thrown blown".split())
#: -ed/-en words that are not participles after "be" (an adjective or a noun), so never passive.
NOT_PARTICIPLES = frozenset("open even often seven eleven listen heaven garden children women men ten then when "
                            "tired relaxed interested concerned worried pleased supposed red bed need "
                            "speed indeed hundred sacred naked kitchen".split())

#: Tags that mean an exercise must say when to stop or take care (its caution: field).
CAUTION_TAGS = ("caution", "post-op", "post-surgery", "pregnancy", "prenatal", "postnatal", "osteoporosis",
                "hypertension", "balance", "fall risk")
