"""The words the tool itself prints, per language: what ``language:`` in a content file selects.

Only the labels around the content are translated (headings, the footer's advice, the
cards' continuation notes); the content is printed as written.  English is the theme's
own :class:`~handouts.theme.Labels`, so a clinic's house wording still applies to it.
The sheet notes of card decks (how to print) stay in the build's language, English for
now, since one deck may hold cards of several languages.
"""

from __future__ import annotations

from dataclasses import replace

from .theme import Labels

LANGUAGES: dict[str, Labels] = {
    "en": Labels(),
    "es": replace(
        Labels(), instructions="Instrucciones", tips="Consejos", caution="Precaución", targets="Trabaja",
        equipment="Material", level="Nivel", continued="(continuación)", video="Vea el vídeo",
        dose=(("sets", "Series"), ("reps", "Repeticiones"), ("hold", "Mantener"), ("rest", "Descanso"),
              ("frequency", "Frecuencia"), ("side", "Lado")),
        footer_note="Consulte a su fisioterapeuta si algo no está claro o le duele.",
        card_continues="continúa en la tarjeta {number}"),
    "fr": replace(
        Labels(), instructions="Instructions", tips="Conseils", caution="Attention", targets="Cible",
        equipment="Matériel", level="Niveau", continued="(suite)", video="Voir la vidéo",
        dose=(("sets", "Séries"), ("reps", "Répétitions"), ("hold", "Tenir"), ("rest", "Repos"),
              ("frequency", "Fréquence"), ("side", "Côté")),
        footer_note="Demandez à votre thérapeute si quelque chose n'est pas clair ou fait mal.",
        card_continues="suite sur la carte {number}"),
    "de": replace(
        Labels(), instructions="Anleitung", tips="Tipps", caution="Vorsicht", targets="Trainiert",
        equipment="Ausrüstung", level="Niveau", continued="(Fortsetzung)", video="Video ansehen",
        dose=(("sets", "Sätze"), ("reps", "Wiederholungen"), ("hold", "Halten"), ("rest", "Pause"),
              ("frequency", "Wie oft"), ("side", "Seite")),
        footer_note="Fragen Sie Ihre Therapeutin oder Ihren Therapeuten, wenn etwas unklar ist oder schmerzt.",
        card_continues="weiter auf Karte {number}"),
}


def labels_for(language: str | None, english: Labels) -> Labels:
    """The labels for *language*; *english* (the theme's, perhaps a house wording) for en or none."""
    if not language or language == "en":
        return english
    return LANGUAGES[language]
