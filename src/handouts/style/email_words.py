"""The words of the clinic's email, per language: the subject, the message and the headings
of the message's body, as data (a clinic's ``email:`` block may give its own subject and message).

Templates use the placeholders of :data:`handouts.content.clinic_email.PLACEHOLDERS`.  The
message is short on purpose: the program is in the attached PDF; the body repeats the
exercises, their dose and their steps so that a client reading on a phone, or with a
screen reader, has them without opening the attachment.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EmailWords:
    subject: str
    message: str
    handout_subject: str          # one exercise's handout sent on its own
    handout_message: str
    exercises: str                # the heading over the list of exercises
    how_much: str
    steps: str
    tips: str
    caution: str
    note: str                     # the clinician's note on one exercise
    attached: str                 # where the PDF is, and how to print it
    signature: str


WORDS: dict[str, EmailWords] = {
    "en": EmailWords(
        subject="Your home exercise program from {clinic}",
        message="Dear {first_name},\n\nHere is the exercise program we went through on {date}. "
                "Please follow the dose for each exercise, and get in touch if anything is unclear or painful.",
        handout_subject="Your exercise: {title}",
        handout_message="Hello,\n\nHere is the exercise we talked about. "
                        "Get in touch if anything is unclear or painful.",
        exercises="Your exercises", how_much="How much", steps="Steps", tips="Tips", caution="Caution",
        note="Note", attached="The attached PDF has the same exercises with pictures, ready to print "
                              "(print at actual size, 100 %).",
        signature="Best wishes,"),
    "es": EmailWords(
        subject="Su programa de ejercicios en casa de {clinic}",
        message="Hola, {first_name}:\n\nLe enviamos el programa de ejercicios que repasamos el {date}. "
                "Siga la dosis de cada ejercicio y consúltenos si algo no está claro o le duele.",
        handout_subject="Su ejercicio: {title}",
        handout_message="Hola:\n\nLe enviamos el ejercicio del que hablamos. "
                        "Consúltenos si algo no está claro o le duele.",
        exercises="Sus ejercicios", how_much="Cuánto", steps="Pasos", tips="Consejos", caution="Precaución",
        note="Nota", attached="El PDF adjunto tiene los mismos ejercicios con imágenes, listo para imprimir "
                              "(a tamaño real, 100 %).",
        signature="Un saludo,"),
    "fr": EmailWords(
        subject="Votre programme d'exercices à domicile de {clinic}",
        message="Bonjour {first_name},\n\nVoici le programme d'exercices que nous avons vu le {date}. "
                "Respectez la dose de chaque exercice et contactez-nous si quelque chose n'est pas clair "
                "ou fait mal.",
        handout_subject="Votre exercice : {title}",
        handout_message="Bonjour,\n\nVoici l'exercice dont nous avons parlé. "
                        "Contactez-nous si quelque chose n'est pas clair ou fait mal.",
        exercises="Vos exercices", how_much="Combien", steps="Étapes", tips="Conseils", caution="Attention",
        note="Remarque", attached="Le PDF joint contient les mêmes exercices avec les images, prêt à imprimer "
                                  "(à taille réelle, 100 %).",
        signature="Bien cordialement,"),
    "de": EmailWords(
        subject="Ihr Heimübungsprogramm von {clinic}",
        message="Hallo {first_name},\n\nhier ist das Übungsprogramm, das wir am {date} besprochen haben. "
                "Bitte halten Sie sich an die Dosierung jeder Übung und melden Sie sich, wenn etwas unklar "
                "ist oder schmerzt.",
        handout_subject="Ihre Übung: {title}",
        handout_message="Hallo,\n\nhier ist die Übung, über die wir gesprochen haben. "
                        "Melden Sie sich, wenn etwas unklar ist oder schmerzt.",
        exercises="Ihre Übungen", how_much="Wie viel", steps="Schritte", tips="Tipps", caution="Vorsicht",
        note="Hinweis", attached="Das angehängte PDF enthält dieselben Übungen mit Bildern, druckfertig "
                                 "(in Originalgröße, 100 %).",
        signature="Viele Grüße"),
}


def email_words(language: str | None) -> EmailWords:
    """The words for *language* (English for none, or one without a translation)."""
    return WORDS.get(language or "en", WORDS["en"])


#: Words that come before a name and are not one (a greeting keeps the whole name after them:
#: "Dear Dr Jane Doe", never "Dear Dr"), with or without their full stop, in en, es, fr and de.
HONORIFICS = frozenset({
    "dr", "mr", "mrs", "ms", "miss", "mx", "prof", "sir", "dame", "rev", "fr",
    "sr", "sra", "srta", "don", "doña", "dña", "d", "dra",
    "m", "mme", "mlle", "me", "pr",
    "herr", "frau",
})
