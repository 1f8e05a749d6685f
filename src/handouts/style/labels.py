"""The words the tool itself prints, per language: what ``language:`` in a content file selects.

Only the labels around the content are translated (headings, the footer's advice, the
cards' continuation notes); the content is printed as written.  English is the theme's
own :class:`~handouts.style.theme.Labels`, so a clinic's house wording still applies to it.
The notes in a card sheet's margins (how to print it) are in the card file's language; a
deck, which may hold cards of several languages, uses the clinic's (English without one).
"""

from __future__ import annotations

import datetime
from dataclasses import replace
from functools import lru_cache

from handouts.style.theme import Labels

LANGUAGES: dict[str, Labels] = {
    "en": Labels(),
    "es": replace(
        Labels(), code="es", instructions="Instrucciones", tips="Consejos", caution="Precaución", targets="Trabaja",
        equipment="Material", level="Nivel", continued="(continuación)", video="Vea el vídeo",
        more_about="Más sobre este ejercicio",
        dose=(("sets", "Series"), ("reps", "Repeticiones"), ("hold", "Mantener"), ("rest", "Descanso"),
              ("frequency", "Frecuencia"), ("side", "Lado")),
        footer_note="Consulte a su fisioterapeuta si algo no está claro o le duele.",
        card_continues="continúa en la tarjeta {number}", page_of="Página {page} de {pages}",
        program="Programa de ejercicios en casa", client="Para", clinician="Fisioterapeuta", date="Fecha",
        exercise="Ejercicio", how_much="Cuánto", notes="Notas", note="Nota",
        exercise_of="Ejercicio {number} de {count}", log="Registro de cuatro semanas",
        log_hint="Marque una casilla cada día que haga el ejercicio.", week="Semana {number}",
        weekdays=("Lu", "Ma", "Mi", "Ju", "Vi", "Sá", "Do"),
        months=("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
                "octubre", "noviembre", "diciembre"), date_format="{day} de {month} de {year}",
        print_duplex="Imprima a tamaño real (100 %), a doble cara, volteando por el borde {edge}.",
        edges=(("long", "largo"), ("short", "corto")),
        print_fold="Tamaño real (100 %), una cara. Corte en las marcas, doble en la línea de puntos.",
        sheet_fronts="Hoja {sheet} de {sheets}: anversos (preguntas)",
        sheet_backs="Hoja {sheet} de {sheets}: reversos (respuestas)",
        sheet_fold="Hoja {sheet} de {sheets}: tarjetas para doblar",
        outline_cover="Resumen", outline_cards="Preguntas y respuestas"),
    "fr": replace(
        Labels(), code="fr", instructions="Instructions", tips="Conseils", caution="Attention", targets="Cible",
        equipment="Matériel", level="Niveau", continued="(suite)", video="Voir la vidéo",
        more_about="En savoir plus sur cet exercice",
        dose=(("sets", "Séries"), ("reps", "Répétitions"), ("hold", "Tenir"), ("rest", "Repos"),
              ("frequency", "Fréquence"), ("side", "Côté")),
        footer_note="Demandez à votre thérapeute si quelque chose n'est pas clair ou fait mal.",
        card_continues="suite sur la carte {number}", page_of="Page {page} sur {pages}",
        program="Programme d'exercices à domicile", client="Pour", clinician="Thérapeute", date="Date",
        exercise="Exercice", how_much="Combien", notes="Remarques", note="Remarque",
        exercise_of="Exercice {number} sur {count}", log="Suivi sur quatre semaines",
        log_hint="Cochez une case chaque jour où vous faites l'exercice.", week="Semaine {number}",
        weekdays=("Lu", "Ma", "Me", "Je", "Ve", "Sa", "Di"),
        months=("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
                "octobre", "novembre", "décembre"), date_format="{day} {month} {year}",
        print_duplex="Imprimez à taille réelle (100 %), recto verso, retournement sur le bord {edge}.",
        edges=(("long", "long"), ("short", "court")),
        print_fold="Taille réelle (100 %), recto seul. Coupez sur les repères, pliez sur le pointillé.",
        sheet_fronts="Feuille {sheet} sur {sheets} : recto (questions)",
        sheet_backs="Feuille {sheet} sur {sheets} : verso (réponses)",
        sheet_fold="Feuille {sheet} sur {sheets} : cartes à plier",
        outline_cover="Aperçu", outline_cards="Questions et réponses"),
    "de": replace(
        Labels(), code="de", instructions="Anleitung", tips="Tipps", caution="Vorsicht", targets="Trainiert",
        equipment="Ausrüstung", level="Niveau", continued="(Fortsetzung)", video="Video ansehen",
        more_about="Mehr zu dieser Übung",
        dose=(("sets", "Sätze"), ("reps", "Wiederholungen"), ("hold", "Halten"), ("rest", "Pause"),
              ("frequency", "Wie oft"), ("side", "Seite")),
        footer_note="Fragen Sie Ihre Therapeutin oder Ihren Therapeuten, wenn etwas unklar ist oder schmerzt.",
        card_continues="weiter auf Karte {number}", page_of="Seite {page} von {pages}",
        program="Übungsprogramm für zu Hause", client="Für", clinician="Therapeut/in", date="Datum",
        exercise="Übung", how_much="Wie viel", notes="Hinweise", note="Hinweis",
        exercise_of="Übung {number} von {count}", log="Vier-Wochen-Protokoll",
        log_hint="Kreuzen Sie jeden Tag an, an dem Sie die Übung machen.", week="Woche {number}",
        weekdays=("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"),
        months=("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
                "Oktober", "November", "Dezember"), date_format="{day}. {month} {year}",
        print_duplex="In Originalgröße (100 %) beidseitig drucken, an der {edge} Kante wenden.",
        edges=(("long", "langen"), ("short", "kurzen")),
        print_fold="Originalgröße (100 %), einseitig. Schneiden an den Marken, falten an der Linie.",
        sheet_fronts="Blatt {sheet} von {sheets}: Vorderseiten (Fragen)",
        sheet_backs="Blatt {sheet} von {sheets}: Rückseiten (Antworten)",
        sheet_fold="Blatt {sheet} von {sheets}: Faltkarten",
        outline_cover="Übersicht", outline_cards="Fragen und Antworten"),
}


def labels_for(language: str | None, english: Labels) -> Labels:
    """The labels for *language*; *english* (the theme's, perhaps a house wording) for en or none."""
    if not language or language == "en":
        return english
    return LANGUAGES[language]


def labels_for_paper(labels: Labels, paper: str) -> Labels:
    """English on A4 paper (outside North America) writes the day first: 25 November 2026."""
    if labels.code == "en" and paper.lower() != "letter":
        return replace(labels, date_format="{day} {month} {year}")
    return labels


def format_date(date: datetime.date, labels: Labels) -> str:
    """*date* in the labels' language, with month names from the table, never from the machine's locale."""
    day = "1er" if date.day == 1 and labels.code == "fr" else str(date.day)
    return labels.date_format.format(day=day, month=labels.months[date.month - 1], year=date.year)


@lru_cache(maxsize=16)
def as_markup(labels: Labels) -> Labels:
    """*labels* escaped for Paragraph markup: a house wording may hold "&" or "<"."""
    from dataclasses import fields
    from xml.sax.saxutils import escape

    def esc(value):
        if isinstance(value, str):
            return escape(value)
        if isinstance(value, tuple):
            return tuple(esc(v) for v in value)
        return value

    return replace(labels, **{f.name: esc(getattr(labels, f.name)) for f in fields(labels) if f.name != "code"})


#: The usual level words (free-exercise-db's "beginner", "intermediate", "expert"; and "advanced")
#: in each language, so "Nivel: principiante" is printed, not "Nivel: beginner".
LEVEL_WORDS: dict[str, dict[str, str]] = {
    "es": {"beginner": "principiante", "intermediate": "intermedio", "advanced": "avanzado", "expert": "experto"},
    "fr": {"beginner": "débutant", "intermediate": "intermédiaire", "advanced": "avancé", "expert": "expert"},
    "de": {"beginner": "Einsteiger", "intermediate": "Mittelstufe", "advanced": "Fortgeschritten",
           "expert": "Experte"},
}


def level_word(level: str, language: str | None) -> str:
    """*level* in *language* when it is one of the usual English words (its first letter's case
    kept), else as written: a clinic's own scale ("Stage 2") is printed as typed."""
    translated = LEVEL_WORDS.get(language or "en", {}).get(level.strip().casefold())
    if translated is None or language == "de":  # German nouns keep their capital
        return translated or level
    return translated[:1].upper() + translated[1:] if level.strip()[:1].isupper() else translated
